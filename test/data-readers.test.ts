import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Example } from '../src/data/example.js';
import { DataError } from '../src/data/errors.js';
import { featureIndex } from '../src/data/hashing.js';
import { hashedBagOfWords } from '../src/data/features.js';
import { tokenize } from '../src/data/tokenize.js';
import { parseExamples } from '../src/data/parser.js';
import { formatFromName } from '../src/data/format.js';
import { murmur3 } from '../src/data/murmur3.js';
import { readExamples, type ReadOptions } from '../src/data/node/read.js';

const inputs = join(import.meta.dirname, 'data', 'inputs');
const scratch = mkdtempSync(join(tmpdir(), 'adagrad-readers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function collect(path: string, options: ReadOptions = {}): Promise<Example[]> {
  const examples: Example[] = [];
  for await (const example of readExamples(path, options)) examples.push(example);
  return examples;
}

function plain(example: Example) {
  return { ...example, indices: Array.from(example.indices), values: Array.from(example.values) };
}

async function errorOf(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

describe('LIBSVM reader', () => {
  it('reads labels, index:value pairs, qid, comments and blank lines', async () => {
    const examples = (await collect(join(inputs, 'small.svm'))).map(plain);
    expect(examples).toEqual([
      { label: 1, weight: 1, indices: [1, 3], values: [0.5, 2], line: 1 },
      { label: -1, weight: 1, indices: [2, 10], values: [0.125, -3], line: 2 },
      { label: 1, weight: 1, indices: [4, 4], values: [1, 2], line: 5 },
      { label: 0, weight: 1, indices: [], values: [], line: 6 },
    ]);
  });

  it('names file, line and the offending token', async () => {
    const path = join(inputs, 'bad.svm');
    const error = await errorOf(collect(path));
    expect(error.message).toBe(`${path}:2: expected index:value with a numeric value, got '2:abc'`);
    expect(error.line).toBe(2);
    expect(error.file).toBe(path);
  });

  it('rejects NaN, Infinity, bad labels and indices beyond 2^bits', () => {
    const parse = (text: string, bits?: number) => () => parseExamples(text, { format: 'libsvm', bits });
    expect(parse('1 5:nan')).toThrow(/<input>:1: .*'5:nan' \(NaN and Infinity are not allowed\)/);
    expect(parse('1 5:1e999')).toThrow(/value of feature 5 is not a finite number/);
    expect(parse('inf 1:1')).toThrow(/expected a numeric label, got 'inf' \(NaN and Infinity/);
    expect(parse('spam 1:1')).toThrow(/expected a numeric label, got 'spam'/);
    expect(parse('1 3:1 x')).toThrow(/expected index:value, got 'x'/);
    expect(parse('1 -3:1')).toThrow(/expected index:value, got '-3:1'/);
    expect(parse('1 3:1.5.5')).toThrow(/got '3:1.5.5'/);
    expect(parse('1 1:1\n1 17:1', 4)).toThrow(/<input>:2: index 17 is beyond the hashed space of 2\^4 = 16/);
    expect(parseExamples('1 16:1', { format: 'libsvm', bits: 4 })[0].indices[0]).toBe(16);
  });

  it('skips and counts bad lines when asked, telling the callback where', async () => {
    const path = join(inputs, 'bad.svm');
    const seen: string[] = [];
    const data = readExamples(path, { skipBadLines: true, onBadLine: (e) => seen.push(e.message) });
    const labels: number[] = [];
    for await (const example of data) labels.push(example.line);
    expect(labels).toEqual([1, 5]);
    expect(data.stats).toMatchObject({ lines: 5, examples: 2, badLines: 3 });
    expect(seen).toEqual([
      `${path}:2: expected index:value with a numeric value, got '2:abc'`,
      `${path}:3: expected index:value with a numeric value, got '5:nan' (NaN and Infinity are not allowed)`,
      `${path}:4: expected index:value, got 'x'`,
    ]);
  });

  it('handles CRLF line ends, no final newline, and lines split across chunks', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${i % 2 ? 1 : -1} ${i + 1}:${(i / 7).toFixed(5)}`);
    const path = join(scratch, 'crlf.svm');
    writeFileSync(path, lines.join('\r\n'));
    const examples = await collect(path, { chunkSize: 7 });
    expect(examples).toHaveLength(300);
    expect(examples[299].indices[0]).toBe(300);
    expect(examples[299].values[0]).toBe(Math.fround(Number((299 / 7).toFixed(5))));
    expect(examples[123].line).toBe(124);
  });

  it('ignores a UTF-8 byte-order mark at the start', () => {
    const bom = '\ufeff';
    expect(parseExamples(`${bom}1 2:3`, { format: 'libsvm' })[0].indices[0]).toBe(2);
    expect(parseExamples(`${bom}y,x\n1,2`, { format: 'csv', labelColumn: 'y' })[0].label).toBe(1);
  });

  it('refuses an empty input, and one with only comments', async () => {
    const empty = join(scratch, 'empty.svm');
    writeFileSync(empty, '');
    expect((await errorOf(collect(empty))).message).toBe(`${empty}: no examples: the input is empty`);
    expect(() => parseExamples('# nothing\n\n', { format: 'libsvm', source: 'c.svm' })).toThrow(
      'c.svm: no examples: 2 line(s) read, 0 bad line(s) skipped',
    );
  });

  it('rejects bad options before opening anything', () => {
    expect(() => readExamples('nowhere.svm', { bits: 0 })).toThrow('bits must be an integer from 1 to 28');
    expect(() => readExamples('nowhere.svm', { format: 'parquet' as 'csv' })).toThrow(
      "unknown format 'parquet': expected one of libsvm, vw, csv, jsonl",
    );
  });

  it('reports a missing file by name', async () => {
    const error = await errorOf(collect(join(scratch, 'missing.svm')));
    expect(error.message).toBe(`${join(scratch, 'missing.svm')}: no such file`);
  });
});

describe('gzip and stdin', () => {
  it('gunzips by magic bytes, whatever the name', async () => {
    const original = readFileSync(join(inputs, 'small.svm'));
    const gz = join(scratch, 'small.svm.gz');
    writeFileSync(gz, gzipSync(original));
    const disguised = join(scratch, 'disguised.svm');
    writeFileSync(disguised, gzipSync(original));
    const expected = (await collect(join(inputs, 'small.svm'))).map(plain);
    expect((await collect(gz)).map(plain)).toEqual(expected);
    expect((await collect(disguised, { chunkSize: 1 })).map(plain)).toEqual(expected);
  });

  it('reads concatenated gzip members', async () => {
    const path = join(scratch, 'two-members.svm.gz');
    writeFileSync(path, Buffer.concat([gzipSync('1 1:1\n'), gzipSync('-1 2:2\n')]));
    expect((await collect(path)).map((e) => e.label)).toEqual([1, -1]);
  });

  it('reports truncated gzip data', async () => {
    const path = join(scratch, 'truncated.svm.gz');
    const gz = gzipSync('1 1:1\n'.repeat(1000));
    writeFileSync(path, gz.subarray(0, gz.length - 20));
    expect((await errorOf(collect(path))).message).toMatch(
      /truncated\.svm\.gz: corrupt or truncated gzip data/,
    );
  });

  it('reads `-` from an injected stdin stream, plain or gzipped, and needs a format', async () => {
    const text = '1 |a x y\n-1 |a z\n';
    const fromStdin = await collect('-', { format: 'vw', stdin: Readable.from([Buffer.from(text)]) });
    expect(fromStdin.map((e) => e.label)).toEqual([1, -1]);
    const gzipped = await collect('-', { format: 'vw', stdin: Readable.from([gzipSync(text)]) });
    expect(gzipped.map(plain)).toEqual(fromStdin.map(plain));
    expect(() => readExamples('-')).toThrow(/cannot tell the format of standard input: pass --format/);
    const error = await errorOf(collect('-', { format: 'libsvm', stdin: Readable.from([Buffer.from('x')]) }));
    expect(error.message).toBe("<stdin>:1: expected a numeric label, got 'x'");
  });
});

describe('VW text reader', () => {
  it('reads label, weight, tag, namespaces with hashed names and values', async () => {
    const [first, second, third] = await collect(join(inputs, 'small.vw'), { bits: 18 });
    expect(first.label).toBe(1);
    expect(first.weight).toBe(2);
    expect(first.tag).toBe('first');
    expect(Array.from(first.indices)).toEqual([
      featureIndex('words', 'hello', 18),
      featureIndex('words', 'world', 18),
      featureIndex('num', 'x', 18),
    ]);
    expect(Array.from(first.values)).toEqual([1, 2, 0.5]);
    expect(second).toMatchObject({ label: -1, weight: 1, line: 2 });
    expect(second.tag).toBeUndefined();
    expect(second.indices[0]).toBe(first.indices[0]);
    // `| goodbye`: the default namespace '' (seed 0).
    expect(third.tag).toBe('second');
    expect(Array.from(third.indices)).toEqual([murmur3('goodbye', 0) & 0x3ffff]);
  });

  it('applies a namespace scale and honours bits', () => {
    const [example] = parseExamples('1 |f:0.5 a:4 b', { format: 'vw', bits: 4 });
    expect(Array.from(example.values)).toEqual([2, 0.5]);
    expect(Array.from(example.indices)).toEqual([featureIndex('f', 'a', 4), featureIndex('f', 'b', 4)]);
    expect(Math.max(...example.indices)).toBeLessThan(16);
  });

  it('hashes UTF-8 names like featureIndex', () => {
    const [example] = parseExamples('1 |naïve café 日本', { format: 'vw' });
    expect(Array.from(example.indices)).toEqual([
      featureIndex('naïve', 'café', 18),
      featureIndex('naïve', '日本', 18),
    ]);
  });

  it('rejects malformed lines with their line number', () => {
    const parse = (text: string) => () => parseExamples(text, { format: 'vw', source: 'd.vw' });
    expect(parse('1 |a x\n1 a b')).toThrow(
      "d.vw:2: expected 'label [weight] ['tag] |namespace feature[:value] ...', found no '|'",
    );
    expect(parse('yes |a x')).toThrow("d.vw:1: expected a numeric label before '|', got 'yes'");
    expect(parse('|a x')).toThrow('d.vw:1: expected a label before');
    expect(parse('1 |a x:nan')).toThrow(/d.vw:1: .*'x:nan' \(NaN and Infinity are not allowed\)/);
    expect(parse('1 |a x:1e999')).toThrow(/d.vw:1: value of feature 'x' is not finite/);
    expect(parse('1 2 3 |a x')).toThrow("d.vw:1: expected 'label [weight] ['tag]' before '|', got extra '3'");
    expect(parse('1 -2 |a x')).toThrow('importance weight must be >= 0');
    expect(parse('1 |a :3')).toThrow("expected a feature name before ':'");
  });
});

describe('CSV reader', () => {
  it('takes the label column by name and the rest as dense features by position', async () => {
    const data = readExamples(join(inputs, 'small.csv'), { labelColumn: 'medv' });
    const examples: Example[] = [];
    for await (const example of data) examples.push(example);
    expect(data.featureNames).toEqual(['rm', 'age']);
    expect(examples.map(plain)).toEqual([
      { label: 24, weight: 1, indices: [0, 1], values: [6.5, Math.fround(65.2)], line: 2 },
      { label: 21.6, weight: 1, indices: [0, 1], values: [Math.fround(6.4), Math.fround(78.9)], line: 3 },
      { label: 34.7, weight: 1, indices: [0, 1], values: [Math.fround(7.185), Math.fround(61.1)], line: 4 },
    ]);
  });

  it('explains a missing label column and bad fields', async () => {
    const path = join(inputs, 'small.csv');
    expect((await errorOf(collect(path))).message).toBe(
      `${path}:1: no label column 'label' in the header; columns are 'rm', 'age', 'medv' (choose one with --label-column)`,
    );
    const parse = (text: string) => () =>
      parseExamples(text, { format: 'csv', labelColumn: 'y', source: 'e.csv' });
    expect(parse('x,y\n1,2\n3')).toThrow('e.csv:3: expected 2 fields as in the header, got 1');
    expect(parse('x,y\n,2')).toThrow("e.csv:2: expected a finite number in column 'x', got an empty field");
    expect(parse('x,y\n1,NaN')).toThrow(
      "e.csv:2: expected a finite number in column 'y', got 'NaN' (NaN and",
    );
    expect(parse('x,y\n1,"2')).toThrow('e.csv:2: unterminated quoted field');
    expect(parseExamples('"a,b",y\n"1",2', { format: 'csv', labelColumn: 'y' })[0].values[0]).toBe(1);
  });
});

describe('JSON lines reader', () => {
  it('tokenizes and hashes the text, keeping weight and tag', async () => {
    const [spam, ham] = await collect(join(inputs, 'small.jsonl'), { bits: 12 });
    const expected = hashedBagOfWords(tokenize('Win money now! Win!'), 12);
    expect(spam.label).toBe(1);
    expect(Array.from(spam.indices)).toEqual(Array.from(expected.indices));
    expect(Array.from(spam.values)).toEqual(Array.from(expected.values));
    expect(spam.indices).toContain(featureIndex('', 'win', 12));
    expect(ham).toMatchObject({ label: -1, weight: 2, tag: 'm1', line: 2 });
  });

  it('rejects lines that are not the expected objects', () => {
    const parse = (text: string) => () => parseExamples(text, { format: 'jsonl', source: 'f.jsonl' });
    expect(parse('{"label": 1, "text": "a"}\n{"label": 1')).toThrow(/f.jsonl:2: expected a JSON object: /);
    expect(parse('[1]')).toThrow('f.jsonl:1: expected a JSON object like');
    expect(parse('{"label": "spam", "text": "a"}')).toThrow(
      `f.jsonl:1: expected "label" to be a finite number, got '"spam"'`,
    );
    expect(parse('{"label": 1}')).toThrow(`f.jsonl:1: expected "text" to be a string, got 'nothing'`);
    expect(parse('{"label": 1, "text": "a", "weight": -1}')).toThrow(
      'expected "weight" to be a finite number >= 0',
    );
  });
});

describe('format from the file name', () => {
  it.each([
    ['a.svm', 'libsvm'],
    ['a.libsvm', 'libsvm'],
    ['dir.x/a.txt', 'libsvm'],
    ['a.svm.gz', 'libsvm'],
    ['a.vw.gz', 'vw'],
    ['a.csv', 'csv'],
    ['a.jsonl', 'jsonl'],
    ['a.ndjson', 'jsonl'],
  ])('%s -> %s', (name, format) => expect(formatFromName(name)).toBe(format));

  it('says what to do when the extension is unknown', () => {
    expect(() => formatFromName('data.parquet')).toThrow(
      "data.parquet: cannot tell the format from the extension '.parquet': use .svm/.libsvm/.txt, .vw, .csv or .jsonl/.ndjson, or pass --format libsvm|vw|csv|jsonl",
    );
    expect(() => formatFromName('data')).toThrow('extension (none)');
  });
});

describe('several passes', () => {
  it('reads a file again on each for-await, with fresh stats', async () => {
    const data = readExamples(join(inputs, 'small.svm'));
    for (let pass = 0; pass < 2; pass++) {
      let count = 0;
      for await (const _example of data) count++;
      expect(count).toBe(4);
      expect(data.stats.examples).toBe(4);
    }
  });
});
