/** Input the command must read (stdin, gzip, softmax classes, a cache) or refuse in one line. */
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';
import { passesSource } from '../src/cli/source.js';
import { cli, removeScratch, DATA, scratch } from './data/cli/helpers.js';

afterAll(removeScratch);

let dir: string;
beforeAll(() => {
  dir = scratch();
});

function oneLineError(args: string[]): string {
  const result = cli(args);
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('refused input', () => {
  it('NaN values, empty input and indices beyond 2^bits name file and line', () => {
    expect(oneLineError(['train', join(DATA, 'nan-value.svm'), '--model', join(dir, 'a')])).toMatch(
      /nan-value\.svm:2: .*'2:nan'/,
    );
    expect(oneLineError(['train', join(DATA, 'empty.svm'), '--model', join(dir, 'a')])).toMatch(
      /empty\.svm: no examples/,
    );
    expect(oneLineError(['train', join(DATA, 'tiny.svm'), '--model', join(dir, 'a'), '--bits', '2'])).toMatch(
      /tiny\.svm:1: index 9 is beyond the hashed space of 2\^2/,
    );
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('a prediction that fails midway leaves no output file', () => {
    const model = join(dir, 'm');
    expect(cli(['train', join(DATA, 'tiny.svm'), '--model', model, '--quiet']).code).toBe(0);
    const out = join(dir, 'pred.txt');
    expect(oneLineError(['predict', join(DATA, 'bad-line.svm'), '--model', model, '--out', out])).toMatch(
      /bad-line\.svm:3:/,
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('accepted input', () => {
  it('reads standard input with --format, and gzip by its magic bytes', () => {
    const tiny = readFileSync(join(DATA, 'tiny.svm'), 'utf8');
    const stdin = cli(['train', '-', '--format', 'libsvm', '--model', join(dir, 'stdin.model'), '--json'], {
      input: tiny,
    });
    expect(stdin.code).toBe(0);
    const gz = cli(['train', join(DATA, 'tiny.svm.gz'), '--model', join(dir, 'gz.model'), '--json']);
    expect(gz.code).toBe(0);
    const last = (s: string) => JSON.parse(s.trim().split('\n').pop()!);
    expect(last(stdin.stdout).examples).toBe(60);
    // Same bytes, same model: the same progressive loss to the last digit.
    expect(last(gz.stdout).averageLoss).toBe(last(stdin.stdout).averageLoss);
    expect(oneLineError(['train', '-', '--model', join(dir, 'x')])).toContain('--format');
  });

  it('softmax learns three classes; a class out of range is refused', () => {
    const model = join(dir, 'soft.model');
    const data = join(DATA, 'three-classes.svm');
    expect(
      cli(['train', data, '--model', model, '--loss', 'softmax', '--classes', '3', '--quiet']).code,
    ).toBe(0);
    const predicted = cli(['predict', data, '--model', model, '--json']);
    const records = predicted.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Object.keys(records[0])).toEqual(['line', 'class']);
    // Each class owns two features of its own: after one pass every training row is classified right.
    expect(records.pop().accuracy).toBe(1);
    expect(oneLineError(['train', data, '--model', model, '--loss', 'softmax', '--classes', '2'])).toMatch(
      /three-classes\.svm:3: label 2/,
    );
  });

  it('--cache writes a cache on the first pass and says so', () => {
    const exported = cli(['dataset', 'boston', '--out', join(dir, 'b'), '--quiet']);
    expect(exported.code).toBe(0);
    const source = join(dir, 'b.train.svm');
    const result = cli([
      'train',
      source,
      '--model',
      join(dir, 'c.model'),
      '--loss',
      'squared',
      '--passes',
      '2',
      '--cache',
      '--lr',
      '0.1',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^cache: /m);
    expect(existsSync(`${source}.cache`)).toBe(true);
  });

  it('several passes over a small file replay it from memory: the same model as through a cache, and no cache file', () => {
    const source = join(dir, 'auto.svm');
    copyFileSync(join(DATA, 'tiny.svm'), source);
    const args = ['train', source, '--passes', '3', '--json'];
    const last = (r: { stdout: string }) => JSON.parse(r.stdout.trim().split('\n').pop()!);
    const kept = cli([...args, '--model', join(dir, 'kept.model')]);
    expect(kept.code).toBe(0);
    expect(existsSync(`${source}.cache`)).toBe(false);
    const cached = cli([...args, '--model', join(dir, 'cached.model'), '--cache']);
    expect(existsSync(`${source}.cache`)).toBe(true);
    rmSync(`${source}.cache`);
    const reread = cli([...args, '--model', join(dir, 'reread.model'), '--no-cache']);
    expect(existsSync(`${source}.cache`)).toBe(false);
    // Every pass saw the same examples in the same order, whichever way it read them.
    const { seconds: _a, examplesPerSecond: _b, model: _c, modelBytes: _d, ...fromMemory } = last(kept);
    for (const other of [cached, reread]) {
      const { seconds: _e, examplesPerSecond: _f, model: _g, modelBytes: _h, ...rest } = last(other);
      expect(rest).toEqual(fromMemory);
    }
    expect(fromMemory.passes).toBe(3);
    expect(readFileSync(join(dir, 'kept.model'))).toEqual(readFileSync(join(dir, 'cached.model')));
    const contradiction = cli([...args, '--model', join(dir, 'x.model'), '--no-cache', '--cache']);
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toBe('adagrad: train: --no-cache contradicts --cache\n');
  });

  it('passesSource: memory up to the limit, a cache beyond it and for gzip, nothing for one pass or stdin', () => {
    const source = join(dir, 'limit.svm');
    copyFileSync(join(DATA, 'tiny.svm'), source);
    const size = statSync(source).size;
    const several = { passes: 2, cacheAsked: false, noCache: false };
    expect(passesSource(source, several, size)).toBe('memory');
    expect(passesSource(source, several, size - 1)).toBe('if-writable');
    // Gzip is told by its magic bytes, as the readers tell it: its size says little of its examples.
    const zipped = join(dir, 'limit.svm.gz');
    writeFileSync(zipped, gzipSync(readFileSync(source)));
    expect(passesSource(zipped, several)).toBe('if-writable');
    const unnamed = join(dir, 'limit-zipped.svm');
    copyFileSync(zipped, unnamed);
    expect(passesSource(unnamed, several, 2 ** 30)).toBe('if-writable');
    expect(passesSource(source, { ...several, passes: 1 })).toBe(false);
    expect(passesSource(source, { ...several, noCache: true })).toBe(false);
    expect(passesSource('-', several)).toBe(false);
    expect(passesSource(source, { passes: 1, cacheAsked: true, noCache: false })).toBe(true);
  });
});

describe('terminal output', () => {
  it('draws a progress bar only when stdout is a terminal', async () => {
    const outputs: Record<string, string> = {};
    for (const isTTY of [true, false]) {
      let out = '';
      const io: Io = { out: (s) => void (out += s), err: () => {}, isTTY, interrupted: () => false };
      // The spam demo has 4837 examples: enough for the bar's ticks.
      const code = await run(['train', '--model', join(dir, `tty-${isTTY}.model`), '--bits', '12'], io);
      expect(code).toBe(0);
      outputs[String(isTTY)] = out;
    }
    expect(outputs.true).toMatch(/\r\[#*\.*\]\s+\d+%/);
    expect(outputs.false).not.toContain('\r');
  }, 30_000);
});
