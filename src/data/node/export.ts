/**
 * `adagrad dataset NAME --out PREFIX`: writes PREFIX.train.svm and PREFIX.test.svm in LIBSVM format,
 * so liblinear, VW or scikit-learn can train on exactly our features.
 *
 * - Split: the records are shuffled with mulberry32(seed) (Fisher-Yates); the first
 *   round(testFraction · n) go to the test file, the rest to the train file, both in shuffled order
 *   (the corpora come grouped by class, which an online learner must not see in that order).
 *   Same seed, same bytes.
 * - Features: indices + 1 (LIBSVM is 1-based: hashed index h is written h + 1, so 1..2^bits),
 *   ascending; values as in loadCorpus (spam: unit-length log counts, so duplicates are summed
 *   into counts before the log) printed with the fewest digits that read back to the same float32.
 * - Both files are written atomically (temporary file, then rename).
 */
import type { Example } from '../example.js';
import { DataError } from '../errors.js';
import { formatLibsvmLine } from '../libsvm-writer.js';
import { mulberry32, shuffleInPlace } from '../random.js';
import { writeFileAtomic } from './atomic.js';
import { type Corpus, type CorpusName, loadCorpus } from './corpora.js';

export interface ExportOptions {
  /** Fraction of records in the test file, in (0, 1); default 0.2. */
  testFraction?: number;
  /** Seed of the split (an integer); default 1. */
  seed?: number;
  /** Hash space for text corpora; default 18. */
  bits?: number;
}

export interface ExportResult {
  corpus: CorpusName;
  train: { path: string; examples: number };
  test: { path: string; examples: number };
}

export function exportDataset(name: string, prefix: string, options: ExportOptions = {}): ExportResult {
  checkExportOptions(options);
  return exportCorpus(loadCorpus(name, { bits: options.bits }), prefix, options);
}

/** exportDataset for a corpus already in memory (loaded with the bits it should be written with). */
export function exportCorpus(corpus: Corpus, prefix: string, options: ExportOptions = {}): ExportResult {
  const { testFraction, seed } = checkExportOptions(options);
  if (prefix === '') throw new DataError('the output prefix is empty');
  const { train, test } = splitExamples(corpus.examples, testFraction, seed);
  if (train.length === 0 || test.length === 0) {
    throw new RangeError(
      `testFraction ${testFraction} leaves the ${test.length === 0 ? 'test' : 'train'} set of ` +
        `${corpus.examples.length} records empty`,
    );
  }
  const trainPath = `${prefix}.train.svm`;
  const testPath = `${prefix}.test.svm`;
  writeFileAtomic(trainPath, toLibsvm(train));
  writeFileAtomic(testPath, toLibsvm(test));
  return {
    corpus: corpus.name,
    train: { path: trainPath, examples: train.length },
    test: { path: testPath, examples: test.length },
  };
}

function checkExportOptions(options: ExportOptions): { testFraction: number; seed: number } {
  const testFraction = options.testFraction ?? 0.2;
  const seed = options.seed ?? 1;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return { testFraction, seed };
}

/** The deterministic seeded split described above. */
export function splitExamples<T>(
  items: readonly T[],
  testFraction: number,
  seed: number,
): { train: T[]; test: T[] } {
  const shuffled = shuffleInPlace([...items], mulberry32(seed));
  const testCount = Math.round(testFraction * items.length);
  return { test: shuffled.slice(0, testCount), train: shuffled.slice(testCount) };
}

function toLibsvm(examples: Example[]): string {
  return examples.map((example) => formatLibsvmLine(example, 1)).join('\n') + '\n';
}
