/**
 * Parsing on a worker thread (readExamplesInThread) yields what the calling thread's reader yields:
 * the same examples in the same order, stats, bad-line reports and errors, pass after pass, with
 * the worker held to a few batches ahead. The worker runs the built script (dist/, which `npm test`
 * builds first), as the command runs it; the bundle must keep that script beside the chunk that
 * starts it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Example } from '../src/data/example.js';
import { mulberry32 } from '../src/data/random.js';
import { readExamples, type ReadOptions } from '../src/data/node/read.js';

const { PARSE_THREAD_MIN_BYTES, readExamplesInThread, parseThreadWorthIt } = await import('adagrad/node');
const ROOT = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'adagrad-parse-thread-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A VW file of `n` examples: labels, importance weights, tags, namespaces, a comment now and then. */
function vwText(n: number, seed = 7): string {
  const random = mulberry32(seed);
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    if (k % 97 === 5) lines.push('');
    const label = random() < 0.5 ? '-1' : '1';
    const weight = k % 3 === 0 ? ` ${(1 + random()).toFixed(3)}` : '';
    const tag = k % 4 === 0 ? ` 'ex${k}` : '';
    const words = Array.from(
      { length: 1 + Math.floor(random() * 30) },
      () => `w${Math.floor(random() * 500)}`,
    );
    lines.push(`${label}${weight}${tag} |body ${words.join(' ')} |meta len:${words.length}`);
  }
  return `${lines.join('\n')}\n`;
}

function libsvmText(n: number, seed = 3): string {
  const random = mulberry32(seed);
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    const features = Array.from(
      { length: 1 + Math.floor(random() * 40) },
      () => `${1 + Math.floor(random() * 5000)}:${(random() * 2 - 1).toFixed(6)}`,
    );
    lines.push(`${random() < 0.5 ? -1 : 1} ${features.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function plain(ex: Example) {
  return { ...ex, indices: Array.from(ex.indices), values: Array.from(ex.values) };
}

async function passes(
  stream: ReturnType<typeof readExamples>,
  count: number,
): Promise<{ examples: ReturnType<typeof plain>[]; stats: unknown; featureNames: unknown }[]> {
  const out = [];
  for (let p = 0; p < count; p++) {
    const examples = [];
    for await (const batch of stream.batches()) for (const ex of batch) examples.push(plain(ex));
    out.push({ examples, stats: { ...stream.stats }, featureNames: stream.featureNames });
  }
  return out;
}

async function failureOf(stream: ReturnType<typeof readExamples>): Promise<Error> {
  try {
    for await (const _batch of stream.batches());
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the pass to fail');
}

// Small chunks make many batches, so the worker runs into its window of batches ahead.
const SMALL_CHUNKS: ReadOptions = { chunkSize: 4096 };

describe('readExamplesInThread', () => {
  it('yields the examples, stats and tags of readExamples, pass after pass (VW, hashed)', async () => {
    const path = join(scratch, 'tags.vw');
    writeFileSync(path, vwText(3000));
    const options: ReadOptions = { ...SMALL_CHUNKS, bits: 12 };
    const threaded = await passes(readExamplesInThread(path, options), 2);
    const direct = await passes(readExamples(path, options), 2);
    expect(threaded[0].examples.length).toBe(3000);
    expect(threaded[0].examples.filter((ex) => ex.tag !== undefined).length).toBe(750);
    expect(threaded).toEqual(direct);
  });

  it('reads LIBSVM, gzip and CSV (with its header names) as readExamples does', async () => {
    const svm = join(scratch, 'rows.svm');
    writeFileSync(svm, libsvmText(2000));
    const gz = join(scratch, 'rows.svm.gz');
    writeFileSync(gz, gzipSync(readFileSync(svm)));
    const csv = join(scratch, 'rows.csv');
    writeFileSync(csv, 'y,a,b\n1,0.5,2\n0,1.25,-3\n1,0,4\n');
    for (const [path, options] of [
      [svm, SMALL_CHUNKS],
      [gz, SMALL_CHUNKS],
      [csv, { labelColumn: 'y' }],
    ] as const) {
      expect(await passes(readExamplesInThread(path, options), 1)).toEqual(
        await passes(readExamples(path, options), 1),
      );
    }
    const [{ featureNames }] = await passes(readExamplesInThread(csv, { labelColumn: 'y' }), 1);
    expect(featureNames).toEqual(['a', 'b']);
  });

  it('reports skipped bad lines through onBadLine, in order, with file and line', async () => {
    const path = join(scratch, 'bad-lines.svm');
    writeFileSync(path, '1 1:0.5\n-1 2:abc\n1 3:1\n0 nope\n1 4:2\n');
    const seen: string[] = [];
    const direct: string[] = [];
    const threaded = await passes(
      readExamplesInThread(path, { skipBadLines: true, onBadLine: (e) => seen.push(e.message) }),
      1,
    );
    const expected = await passes(
      readExamples(path, { skipBadLines: true, onBadLine: (e) => direct.push(e.message) }),
      1,
    );
    expect(threaded).toEqual(expected);
    expect(seen).toEqual(direct);
    expect(seen).toEqual([
      `${path}:2: expected index:value with a numeric value, got '2:abc'`,
      `${path}:4: expected index:value, got 'nope'`,
    ]);
  });

  it('fails with the DataError readExamples throws: a bad line, a missing file', async () => {
    const path = join(scratch, 'bad.svm');
    writeFileSync(path, `${libsvmText(500)}1 7:x\n`);
    const threaded = await failureOf(readExamplesInThread(path, SMALL_CHUNKS));
    const direct = await failureOf(readExamples(path, SMALL_CHUNKS));
    expect(threaded.name).toBe('DataError');
    expect(threaded.message).toBe(direct.message);
    expect(threaded.message).toBe(`${path}:501: expected index:value with a numeric value, got '7:x'`);
    const missing = join(scratch, 'nowhere.svm');
    expect((await failureOf(readExamplesInThread(missing))).message).toBe(`${missing}: no such file`);
  });

  it('rejects bad options before a thread starts, as readExamples does', () => {
    expect(() => readExamplesInThread(join(scratch, 'x.svm'), { bits: 0 })).toThrow(
      'bits must be an integer from 1 to 28',
    );
  });

  it('stops its worker when a pass is left early, and the next pass starts over', async () => {
    const path = join(scratch, 'early.svm');
    writeFileSync(path, libsvmText(3000));
    const stream = readExamplesInThread(path, SMALL_CHUNKS);
    let first: ReturnType<typeof plain> | undefined;
    for await (const batch of stream.batches()) {
      first = plain(batch[0]);
      break;
    }
    const [again] = await passes(stream, 1);
    expect(again.examples[0]).toEqual(first);
    expect(again.examples.length).toBe(3000);
  });

  it('is worth a thread only for a large file', () => {
    const small = join(scratch, 'small.svm');
    writeFileSync(small, libsvmText(10));
    expect(parseThreadWorthIt(small)).toBe(false);
    // A second core is part of the rule: one core would only share itself between two threads.
    expect(parseThreadWorthIt(small, 1)).toBe(availableParallelism() > 1);
    expect(parseThreadWorthIt('-', 1)).toBe(false);
  });
});

describe('the command', () => {
  it('trains the same model from a large file parsed on its thread as through the binary cache', () => {
    // Above PARSE_THREAD_MIN_BYTES, so `train` parses on a thread (where a second core is free); the
    // cache's first pass parses on the calling thread.
    const path = join(scratch, 'large.svm');
    writeFileSync(path, libsvmText(70_000, 11));
    expect(statSync(path).size).toBeGreaterThan(PARSE_THREAD_MIN_BYTES);
    const bin = join(ROOT, 'dist', 'bin', 'adagrad.js');
    const train = (...extra: string[]) => {
      const args = ['train', path, '--optimizer', 'ftrl', '--l1', '0.5', '--passes', '2', ...extra];
      const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    };
    train('--model', join(scratch, 'threaded.model'));
    train('--model', join(scratch, 'cached.model'), '--cache-file', join(scratch, 'large.cache'));
    expect(readFileSync(join(scratch, 'threaded.model'))).toEqual(
      readFileSync(join(scratch, 'cached.model')),
    );
  });

  it('keeps the parse thread script beside the chunk that starts it', () => {
    const chunks = join(ROOT, 'dist', 'bin', 'chunks');
    expect(existsSync(join(chunks, 'parse-worker.js'))).toBe(true);
    const starters = readdirSync(chunks).filter((name) =>
      readFileSync(join(chunks, name), 'utf8').includes('new URL("./parse-worker.js", import.meta.url)'),
    );
    expect(starters.length).toBe(1);
    expect(readFileSync(join(ROOT, 'dist', 'bin', 'adagrad.js'), 'utf8')).not.toContain('parse-worker.js');
  });
});
