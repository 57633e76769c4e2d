import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Example } from '../src/data/example.js';
import { type CacheOptions, cachedExamples } from '../src/data/node/cache.js';
import { readExamples } from '../src/data/node/read.js';

const scratch = mkdtempSync(join(tmpdir(), 'adagrad-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let fileCounter = 0;
function dataFile(extension: string, text: string): string {
  const path = join(scratch, `data${++fileCounter}.${extension}`);
  writeFileSync(path, text);
  return path;
}

async function collect(data: AsyncIterable<Example>): Promise<Example[]> {
  const examples: Example[] = [];
  for await (const example of data) examples.push(example);
  return examples;
}

function withMessages(options: CacheOptions = {}): { options: CacheOptions; messages: string[] } {
  const messages: string[] = [];
  return { options: { ...options, onMessage: (m) => messages.push(m) }, messages };
}

const vwText = "1 2 'a|f x:1.5 y\n-1 |f z\n\n1 'tag-ü| w:-2\n";

describe('cachedExamples', () => {
  it('parses and writes the cache on the first pass, then reads identical examples from it', async () => {
    const path = dataFile('vw', vwText);
    const { options, messages } = withMessages({ bits: 10 });
    const data = cachedExamples(path, options);
    const direct = await collect(readExamples(path, { bits: 10 }));
    const first = await collect(data);
    const firstStats = { ...data.stats };
    const second = await collect(data);
    expect(messages).toEqual([`creating cache ${path}.cache`, `reading cache ${path}.cache`]);
    expect(first).toEqual(direct);
    expect(second).toEqual(direct);
    expect(second[2].tag).toBe('tag-ü');
    expect(data.stats).toEqual(firstStats);
    expect(firstStats).toMatchObject({ lines: 4, examples: 3, badLines: 0 });
  });

  it('survives records that span its read buffer, many times over', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const features = Array.from({ length: 40 }, (_, j) => `${i * 40 + j + 1}:${((i + j) % 97) / 8}`);
      lines.push(`${i % 2 ? 1 : -1} ${features.join(' ')}`);
    }
    const path = dataFile('svm', lines.join('\n'));
    const data = cachedExamples(path);
    const first = await collect(data);
    const second = await collect(data);
    expect(statSync(`${path}.cache`).size).toBeGreaterThan(6_000_000);
    expect(second).toHaveLength(20000);
    // Deep-comparing 20000 rows is slow; compare every row's checksum and a sample in full.
    const checksum = (e: Example) =>
      e.label + e.line + e.indices.reduce((a, b) => a + b, 0) * 3 + e.values.reduce((a, b) => a + b, 0);
    expect(second.map(checksum)).toEqual(first.map(checksum));
    for (let i = 0; i < 20000; i += 997) expect(second[i]).toEqual(first[i]);
    expect(second[19999].indices[39]).toBe(800000);
  });

  it('rebuilds a cache whose source changed size, with a message saying so', async () => {
    const path = dataFile('svm', '1 1:1\n-1 2:1\n');
    const { options, messages } = withMessages();
    await collect(cachedExamples(path, options));
    appendFileSync(path, '1 3:1\n');
    const again = await collect(cachedExamples(path, options));
    expect(again).toHaveLength(3);
    expect(messages[1]).toBe(
      `cache ${path}.cache is stale: the source is 19 bytes, the cache was made from 13; rebuilding it`,
    );
  });

  it('rebuilds when only the modification time changed', async () => {
    const path = dataFile('svm', '1 1:1\n');
    const { options, messages } = withMessages();
    await collect(cachedExamples(path, options));
    writeFileSync(path, '1 2:1\n'); // same size, other content
    const later = new Date(statSync(`${path}.cache`).mtimeMs + 5000);
    utimesSync(path, later, later);
    const [example] = await collect(cachedExamples(path, options));
    expect(example.indices[0]).toBe(2);
    expect(messages[1]).toMatch(/is stale: the source was modified .* after the cache was made from it/);
  });

  it('rebuilds a cache made with other parse options', async () => {
    const path = dataFile('vw', vwText);
    const { options, messages } = withMessages({ bits: 10 });
    await collect(cachedExamples(path, options));
    const wider = await collect(cachedExamples(path, { ...options, bits: 20 }));
    expect(messages[1]).toBe(
      `cache ${path}.cache was made with other parse options (format, bits, label column or skip-bad-lines); rebuilding it`,
    );
    expect(wider).toEqual(await collect(readExamples(path, { bits: 20 })));
  });

  it('never uses a foreign or truncated file at the cache path', async () => {
    const path = dataFile('svm', '1 1:1\n-1 2:1\n');
    writeFileSync(`${path}.cache`, 'not a cache at all, just some text long enough to have a header......');
    const { options, messages } = withMessages();
    expect(await collect(cachedExamples(path, options))).toHaveLength(2);
    expect(messages[0]).toBe(`cache ${path}.cache is not an adagrad cache (bad magic); rebuilding it`);
    truncateSync(`${path}.cache`, statSync(`${path}.cache`).size - 3);
    expect(await collect(cachedExamples(path, options))).toHaveLength(2);
    expect(messages[1]).toMatch(/is truncated or damaged \(\d+ bytes, its header says \d+\); rebuilding it/);
    expect(messages).toHaveLength(2);
    await collect(cachedExamples(path, options));
    expect(messages[2]).toBe(`reading cache ${path}.cache`);
  });

  it('leaves no cache and no temporary file when a pass stops early or fails', async () => {
    const path = dataFile('svm', '1 1:1\n-1 2:1\n1 3:1\n');
    const data = cachedExamples(path);
    for await (const _example of data) break;
    const bad = dataFile('svm', '1 1:1\n-1 oops\n');
    await expect(collect(cachedExamples(bad))).rejects.toThrow(`${bad}:2: expected index:value, got 'oops'`);
    const leftovers = readdirSync(scratch).filter((name) => name.includes('.cache') || name.endsWith('.tmp'));
    expect(
      leftovers.filter(
        (name) => name.includes(`data${fileCounter - 1}.`) || name.includes(`data${fileCounter}.`),
      ),
    ).toEqual([]);
  });

  it('keeps CSV feature names and skip-bad-lines counts across cached passes', async () => {
    const path = dataFile('csv', 'a,y,b\n1,2,3\n4,x,6\n7,8,9\n');
    const data = cachedExamples(path, { labelColumn: 'y', skipBadLines: true });
    const first = await collect(data);
    const second = await collect(data);
    expect(second).toEqual(first);
    expect(data.featureNames).toEqual(['a', 'b']);
    expect(data.stats).toMatchObject({ lines: 4, examples: 2, badLines: 1 });
  });

  it('caches standard input when given a cache file, and asks for one otherwise', async () => {
    const cachePath = join(scratch, 'stdin.cache');
    const { options, messages } = withMessages({
      format: 'libsvm',
      cachePath,
      stdin: Readable.from([Buffer.from('1 1:1\n-1 2:2\n')]),
    });
    const data = cachedExamples('-', options);
    const first = await collect(data);
    const second = await collect(data);
    expect(second).toEqual(first);
    expect(first.map((e) => e.label)).toEqual([1, -1]);
    expect(messages).toEqual([
      `creating cache ${cachePath} from standard input`,
      `reading cache ${cachePath}`,
    ]);
    const partly = cachedExamples('-', {
      format: 'libsvm',
      cachePath: join(scratch, 'stdin2.cache'),
      stdin: Readable.from([Buffer.from('1 1:1\n-1 2:2\n')]),
    });
    for await (const _example of partly) break;
    await expect(collect(partly)).rejects.toThrow(
      '<stdin>: standard input was read only partly on the first pass',
    );
    expect(() => cachedExamples('-', { format: 'libsvm' })).toThrow(
      '<stdin>: standard input needs an explicit cache file for several passes (--cache-file)',
    );
  });
});
