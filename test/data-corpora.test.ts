import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseExamples } from '../src/data/parser.js';
import type { Example } from '../src/data/example.js';
import { featureIndex } from '../src/data/hashing.js';
import { formatLibsvmLine, shortestFloat32 } from '../src/data/libsvm-writer.js';
import { BOSTON_FEATURES, type Corpus, loadCorpus } from '../src/data/node/corpora.js';
import { exportCorpus, exportDataset, splitExamples } from '../src/data/node/export.js';
import { readExamples } from '../src/data/node/read.js';

const scratch = mkdtempSync(join(tmpdir(), 'adagrad-corpora-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function collect(path: string): Promise<Example[]> {
  const examples: Example[] = [];
  for await (const example of readExamples(path)) examples.push(example);
  return examples;
}

describe('spam corpus', () => {
  let spam: Corpus;
  beforeAll(() => {
    spam = loadCorpus('spam');
  });

  it('has the package’s 6046 messages: 1896 spam (+1) and 4150 ham (-1)', () => {
    expect(spam.task).toBe('binary');
    expect(spam.examples).toHaveLength(6046);
    const spamCount = spam.examples.filter((e) => e.label === 1).length;
    const hamCount = spam.examples.filter((e) => e.label === -1).length;
    expect([spamCount, hamCount]).toEqual([500 + 1396, 2500 + 1400 + 250]);
    const groups = new Map<string, Set<number>>();
    for (const e of spam.examples) {
      const group = e.tag!.split('/')[0];
      groups.set(group, (groups.get(group) ?? new Set()).add(e.label));
    }
    expect(Object.fromEntries([...groups].map(([g, labels]) => [g, [...labels]]))).toEqual({
      'easy-ham-1': [-1],
      'easy-ham-2': [-1],
      'hard-ham-1': [-1],
      'spam-1': [1],
      'spam-2': [1],
    });
  });

  it('gives unit-length rows with sorted unique hashed indices, headers included', () => {
    // Checked in plain loops (one expect per property) to stay fast over all 6046 rows.
    let worstNormError = 0;
    let unsorted = 0;
    let maxIndex = 0;
    for (const e of spam.examples) {
      let squared = 0;
      for (let j = 0; j < e.values.length; j++) squared += e.values[j] * e.values[j];
      worstNormError = Math.max(worstNormError, Math.abs(Math.sqrt(squared) - 1));
      for (let j = 1; j < e.indices.length; j++) if (e.indices[j] <= e.indices[j - 1]) unsorted++;
      maxIndex = Math.max(maxIndex, e.indices[e.indices.length - 1] ?? 0);
    }
    expect(worstNormError).toBeLessThan(1e-5);
    expect(unsorted).toBe(0);
    expect(maxIndex).toBeLessThan(2 ** 18);
    // Every message has a Subject header; its words are features in the "subject:" space.
    const first = spam.examples[0];
    expect(first.indices.length).toBeGreaterThan(20);
  });

  it('exports a split that reads back to exactly the same features', async () => {
    const prefix = join(scratch, 'spam');
    const result = exportCorpus(spam, prefix, { seed: 1 });
    expect(result.train.examples + result.test.examples).toBe(6046);
    expect(result.test.examples).toBe(Math.round(0.2 * 6046));
    const test = await collect(result.test.path);
    expect(test).toHaveLength(result.test.examples);
    // Row k of the test file is the k-th test example of the documented split, 1-based, same float32s.
    const expected = splitExamples(spam.examples, 0.2, 1).test;
    for (let k = 0; k < test.length; k += 7) {
      expect(test[k].label).toBe(expected[k].label);
      expect(Array.from(test[k].indices)).toEqual(Array.from(expected[k].indices, (i) => i + 1));
      expect(Array.from(test[k].values)).toEqual(Array.from(expected[k].values));
    }
    const spamInTest = test.filter((e) => e.label === 1).length / test.length;
    expect(spamInTest).toBeGreaterThan(0.25);
    expect(spamInTest).toBeLessThan(0.38);
  });
});

describe('boston corpus', () => {
  it('has 506 rows of 13 named dense features and the medv target', () => {
    const boston = loadCorpus('boston');
    expect(boston.task).toBe('regression');
    expect(boston.examples).toHaveLength(506);
    expect(boston.featureNames).toEqual([...BOSTON_FEATURES]);
    const [first] = boston.examples;
    // The first row of the published data set.
    expect(first.label).toBe(24);
    expect(Array.from(first.indices)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(first.values)).toEqual(
      [0.00632, 18, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 396.9, 4.98].map(Math.fround),
    );
  });

  it('exports deterministically: same seed same bytes, another seed another split', () => {
    const a = exportDataset('boston', join(scratch, 'a'), { seed: 7, testFraction: 0.25 });
    const b = exportDataset('boston', join(scratch, 'b'), { seed: 7, testFraction: 0.25 });
    const c = exportDataset('boston', join(scratch, 'c'), { seed: 8, testFraction: 0.25 });
    expect(readFileSync(a.train.path)).toEqual(readFileSync(b.train.path));
    expect(readFileSync(a.test.path)).toEqual(readFileSync(b.test.path));
    expect(readFileSync(a.test.path)).not.toEqual(readFileSync(c.test.path));
    expect(a.test.examples).toBe(Math.round(0.25 * 506));
    // Train and test together are the whole data set, each row once.
    const rows = (path: string) => readFileSync(path, 'utf8').trim().split('\n');
    const all = [...rows(a.train.path), ...rows(a.test.path)].sort();
    expect(all).toEqual([...rows(c.train.path), ...rows(c.test.path)].sort());
    expect(all).toHaveLength(506);
    // LIBSVM: 1-based indices, zeros left out (row 1 has chas = 0, index 4).
    expect(rows(a.train.path).concat(rows(a.test.path))).toContain(
      '24 1:0.00632 2:18 3:2.31 5:0.538 6:6.575 7:65.2 8:4.09 9:1 10:296 11:15.3 12:396.9 13:4.98',
    );
  });

  it('rejects bad export options and unknown corpora', () => {
    expect(() => exportDataset('boston', join(scratch, 'x'), { testFraction: 1 })).toThrow(
      'testFraction must be between 0 and 1 (exclusive), got 1',
    );
    expect(() => exportDataset('boston', join(scratch, 'x'), { seed: 1.5 })).toThrow(
      'seed must be an integer',
    );
    expect(() => loadCorpus('mnist')).toThrow("unknown corpus 'mnist': expected one of spam, boston");
    expect(() => loadCorpus('spam', { bits: 40 })).toThrow('bits must be an integer from 1 to 28');
  });
});

describe('split and LIBSVM writing helpers', () => {
  it('splits by a seeded shuffle', () => {
    const items = [...Array(10).keys()];
    const { train, test } = splitExamples(items, 0.3, 1);
    expect(test).toHaveLength(3);
    expect([...train, ...test].sort((x, y) => x - y)).toEqual(items);
    expect(splitExamples(items, 0.3, 1)).toEqual({ train, test });
  });

  it('prints the shortest decimal that reads back to the same float32', () => {
    expect(shortestFloat32(0.1)).toBe('0.1');
    expect(shortestFloat32(Math.fround(1 / 3))).toBe('0.33333334');
    expect(shortestFloat32(1e-7)).toBe('1e-7');
    expect(shortestFloat32(-2.5)).toBe('-2.5');
    for (let i = 0; i < 2000; i++) {
      const x = Math.fround((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 20 - 10));
      expect(Math.fround(Number(shortestFloat32(x)))).toBe(x);
    }
    expect(() => shortestFloat32(NaN)).toThrow('non-finite');
  });

  it('writes sorted 1-based indices and a +1 label', () => {
    const line = formatLibsvmLine({
      label: 1,
      indices: Uint32Array.from([featureIndex('', 'b', 4), 0, 9]),
      values: Float32Array.from([0.5, 2, 0]),
    });
    expect(line).toBe(`+1 1:2 ${featureIndex('', 'b', 4) + 1}:0.5`);
  });

  it('round-trips any row through LIBSVM text exactly (float32 values, 1-based sorted indices)', () => {
    const row = fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 18 - 1 }), { maxLength: 30 }).chain((indices) =>
      fc.record({
        label: fc.oneof(fc.constantFrom(-1, 0, 1), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
        indices: fc.constant(indices),
        values: fc.array(
          fc.float({ noNaN: true, noDefaultInfinity: true }).filter((v) => v !== 0),
          {
            minLength: indices.length,
            maxLength: indices.length,
          },
        ),
      }),
    );
    fc.assert(
      fc.property(row, ({ label, indices, values }) => {
        const line = formatLibsvmLine({
          label,
          indices: Uint32Array.from(indices),
          values: Float32Array.from(values),
        });
        const [back] = parseExamples(line, { format: 'libsvm', bits: 18 });
        const order = indices.map((_, j) => j).sort((a, b) => indices[a] - indices[b]);
        expect(back.label).toBe(label === 0 ? 0 : label);
        expect(Array.from(back.indices)).toEqual(order.map((j) => indices[j] + 1));
        expect(Array.from(back.values)).toEqual(order.map((j) => Math.fround(values[j])));
      }),
      { numRuns: 500 },
    );
  });
});
