/**
 * Workers' shards of a data file (src/ps/shard.ts): byte ranges aligned to line starts, so that N
 * workers together read every example exactly once, in file order; a CSV worker past the first
 * reads the header; a bad line's error names its line in the file, not in the shard; a gzip file
 * falls back to every N-th example.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../src/data/errors.js';
import type { Example } from '../src/data/example.js';
import { onShard, openShard, type Shard, type ShardOptions } from '../src/ps/index.js';
import { removeScratch, scratch } from './data/cli/helpers.js';

const dir = scratch();
afterAll(() => removeScratch());

const OPTIONS: ShardOptions = { bits: 18, skipBadLines: false };

async function examplesOf(shard: Shard): Promise<Example[]> {
  const all: Example[] = [];
  for await (const batch of shard.pass()) all.push(...batch);
  return all;
}

/** Labels of every example each of N workers reads, worker by worker. */
async function shardsOf(path: string, count: number, options = OPTIONS): Promise<number[][]> {
  const out: number[][] = [];
  for (let index = 1; index <= count; index++) {
    out.push((await examplesOf(await openShard(path, { index, count }, options))).map((e) => e.label));
  }
  return out;
}

/** Lines of uneven length (labels 1..n as the example's number) so byte ranges cut lines anywhere. */
function libsvm(n: number, newline = '\n'): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const features = Array.from({ length: 1 + ((i * 7) % 11) }, (_, j) => `${j + 1}:${(i + j) % 5}`);
    lines.push(`${i} ${features.join(' ')}`);
  }
  return lines.join(newline);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('byte-range shards', () => {
  for (const [name, text] of [
    ['ending in a newline', libsvm(97) + '\n'],
    ['without a final newline', libsvm(97)],
    ['with CRLF line ends and blank lines', libsvm(97, '\r\n').replace(/\r\n(2\d )/g, '\r\n\r\n$1') + '\r\n'],
  ] as const) {
    it(`cover every example once, in order, for 1 to 7 workers (${name})`, async () => {
      const path = join(dir, `uneven-${name.replace(/\W+/g, '-')}.svm`);
      writeFileSync(path, text);
      for (let count = 1; count <= 7; count++) {
        const shards = await shardsOf(path, count);
        expect(shards.flat(), `${count} workers`).toEqual(range(97));
        // Byte ranges, not example counts: no shard is empty, and none holds nearly all.
        for (const shard of shards) expect(shard.length).toBeGreaterThan(97 / count / 3);
      }
    });
  }

  it('more workers than lines: the extra shards are empty, not an error', async () => {
    const path = join(dir, 'three.svm');
    writeFileSync(path, libsvm(3) + '\n');
    const shards = await shardsOf(path, 8);
    expect(shards.flat()).toEqual([1, 2, 3]);
    expect(shards.filter((s) => s.length === 0).length).toBe(5);
  });

  it('read again each pass the same examples (kept in memory after the first)', async () => {
    const path = join(dir, 'passes.svm');
    writeFileSync(path, libsvm(40) + '\n');
    const shard = await openShard(path, { index: 2, count: 3 }, OPTIONS);
    const first = await examplesOf(shard);
    const second = await examplesOf(shard);
    expect(second.map((e) => [e.label, e.line, [...e.indices]])).toEqual(
      first.map((e) => [e.label, e.line, [...e.indices]]),
    );
    expect(first.length).toBeGreaterThan(5);
  });

  it('a CSV worker past the first reads the header, so its columns are named the same', async () => {
    const rows = range(50).map((i) => `${i % 7},${i},${(i * 3) % 11}`);
    const path = join(dir, 'table.csv');
    writeFileSync(path, `a,label,b\n${rows.join('\n')}\n`);
    const csv: ShardOptions = { ...OPTIONS, format: 'csv', labelColumn: 'label' };
    const shards = await shardsOf(path, 4, csv);
    expect(shards.flat()).toEqual(range(50));
    const third = await examplesOf(await openShard(path, { index: 3, count: 4 }, csv));
    const row = third[0].label;
    expect([...third[0].values]).toEqual([row % 7, (row * 3) % 11]);
  });
});

describe('a bad line names its line in the file', () => {
  const lines = libsvm(60).split('\n');
  lines[44] = '45 7:oops'; // line 45
  const path = join(dir, 'bad.svm');
  writeFileSync(path, lines.join('\n') + '\n');

  it('from whichever shard holds it, not from the start of the shard', async () => {
    const messages: string[] = [];
    for (let index = 1; index <= 3; index++) {
      const shard = await openShard(path, { index, count: 3 }, OPTIONS);
      try {
        await onShard(shard, () => examplesOf(shard));
      } catch (error) {
        expect(error).toBeInstanceOf(DataError);
        messages.push((error as Error).message);
      }
    }
    expect(messages).toEqual([`${path}:45: expected index:value with a numeric value, got '7:oops'`]);
  });

  it('and so does an error the learner raises about any example of any shard', async () => {
    const plain = join(dir, 'numbered.svm');
    writeFileSync(plain, libsvm(97) + '\n'); // example i is on line i
    for (let index = 1; index <= 4; index++) {
      const shard = await openShard(plain, { index, count: 4 }, OPTIONS);
      for (const example of await examplesOf(shard)) {
        const located = await shard.locate(new DataError('not learnable', { line: example.line }));
        expect(located.message).toBe(`${plain}:${example.label}: not learnable`);
      }
    }
  });
});

describe('a gzip file', () => {
  it('is read whole by each worker, keeping every N-th example, lines as in the file', async () => {
    const path = join(dir, 'packed.svm.gz');
    writeFileSync(path, gzipSync(libsvm(20) + '\n'));
    const shard = await openShard(path, { index: 2, count: 3 }, OPTIONS);
    expect(shard.kind).toBe('interleaved');
    const examples = await examplesOf(shard);
    expect(examples.map((e) => e.label)).toEqual([2, 5, 8, 11, 14, 17, 20]);
    expect(examples.map((e) => e.line)).toEqual([2, 5, 8, 11, 14, 17, 20]);
    expect((await shardsOf(path, 3)).flat().sort((a, b) => a - b)).toEqual(range(20));
  });
});
