/**
 * Streaming example readers for files and stdin: constant memory, any size, gzip transparent.
 *
 *   const data = readExamples('train.svm.gz', { bits: 18, skipBadLines: true });
 *   for await (const example of data) learn(example);
 *   console.log(data.stats.badLines);
 *
 * Each `for await` over the returned object reads the input again from the start (a new pass);
 * standard input can only be read once (use cachedExamples for several passes).
 */
import type { Example, ReadStats } from '../example.js';
import { emptyStats } from '../example.js';
import { DataError } from '../errors.js';
import { type Format, checkFormat, formatFromName } from '../format.js';
import { ExampleParser, type ExampleParserOptions } from '../parser.js';
import { type OpenOptions, openBytes, sourceName } from './source.js';

export interface ReadOptions extends Omit<ExampleParserOptions, 'format' | 'source'>, OpenOptions {
  /** The format; by default from the file extension (looking through .gz). Required for `-`. */
  format?: Format;
}

export interface ExampleStream extends AsyncIterable<Example> {
  /** The file name (or `<stdin>`), as errors name it. */
  readonly source: string;
  readonly format: Format;
  /** Counts of the current (or last) pass. */
  readonly stats: ReadStats;
  /** CSV: the feature columns' names, once the header has been read. */
  readonly featureNames: string[] | undefined;
  /**
   * The same pass in batches (the examples of one input chunk at a time): for consumers that want
   * to skip the per-example await of `for await`, which costs about as much as parsing a short line.
   */
  batches(): AsyncIterable<Example[]>;
}

export function readExamples(path: string, options: ReadOptions = {}): ExampleStream {
  const source = sourceName(path);
  const format = resolveFormat(path, options.format);
  // Bad options (bits out of range, ...) fail here, before any input is opened.
  new ExampleParser({ ...options, format, source });
  let current: ExampleParser | undefined;
  let passes = 0;
  return {
    source,
    format,
    get stats() {
      return current?.stats ?? emptyStats();
    },
    get featureNames() {
      return current?.featureNames;
    },
    async *[Symbol.asyncIterator]() {
      for await (const batch of this.batches()) {
        for (let i = 0; i < batch.length; i++) yield batch[i];
      }
    },
    async *batches() {
      if (path === '-' && passes > 0) {
        throw new DataError(
          'standard input can be read only once; --cache-file PATH keeps it for several passes',
          {
            file: source,
          },
        );
      }
      passes++;
      const parser = new ExampleParser({ ...options, format, source });
      current = parser;
      // The parser copies what it keeps of a chunk, so one read buffer serves the whole pass.
      for await (const chunk of openBytes(path, { ...options, reuseBuffer: true })) {
        const batch = parser.push(chunk);
        if (batch.length > 0) yield batch;
      }
      const rest = parser.finish();
      if (rest.length > 0) yield rest;
    },
  };
}

export function resolveFormat(path: string, format: string | undefined): Format {
  if (format !== undefined) return checkFormat(format);
  if (path === '-') {
    throw new DataError('cannot tell the format of standard input: pass --format libsvm|vw|csv|jsonl', {
      file: sourceName(path),
    });
  }
  return formatFromName(path);
}
