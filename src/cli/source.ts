/**
 * Where training examples come from: a file (or stdin) through the data layer's streaming readers,
 * optionally through its binary cache, or the bundled spam corpus when no file is named. The cache
 * and the corpora are loaded only when asked for: module loading is much of a short run.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataError } from '../data/errors.js';
import type { Example } from '../data/example.js';
import type { Format } from '../data/format.js';
import { parseThreadWorthIt, readExamplesInThread } from '../data/node/parse-thread.js';
import { type ExampleStream, readExamples } from '../data/node/read.js';
import { isGzipFile, KEEP_IN_MEMORY_BYTES } from '../data/node/source.js';

export interface ExampleSource {
  /** As error messages and the summary name it. */
  readonly name: string;
  readonly format: Format | 'corpus';
  /** One pass, in batches; each call starts from the beginning. */
  pass(): AsyncIterable<Example[]>;
  /** Fraction of the current pass read, when the size is known (for the progress bar). */
  progress(): number | undefined;
  badLines(): number;
  featureNames(): string[] | undefined;
}

export interface FileSourceOptions {
  format?: Format;
  bits: number;
  labelColumn?: string;
  skipBadLines: boolean;
  /**
   * 'if-writable': a cache nobody asked for, skipped with a message where it cannot be written.
   * 'memory': the first pass keeps what it parses and later passes replay it (see passesSource).
   */
  cache: boolean | 'if-writable' | 'memory';
  /**
   * The examples of a batch share memory with the next batch's (ExampleParserOptions.reuseRows):
   * for commands that are done with each example before the next batch, never for readAll().
   */
  reuseRows?: boolean;
  /** Where the cache lives; default beside the file. */
  cachePath?: string;
  onBadLine?: (error: DataError) => void;
  onMessage?: (message: string) => void;
}

export async function fileSource(path: string, options: FileSourceOptions): Promise<ExampleSource> {
  const readOptions = {
    format: options.format,
    bits: options.bits,
    labelColumn: options.labelColumn,
    skipBadLines: options.skipBadLines,
    onBadLine: options.onBadLine,
    reuseRows: options.reuseRows,
  };
  if (options.cache === 'memory') return keptSource(path, readOptions);
  const cache = options.cache === 'if-writable' ? cacheWritable(path, options) : options.cache;
  const stream: ExampleStream = cache
    ? (await import('../data/node/cache.js')).cachedExamples(path, {
        ...readOptions,
        cachePath: options.cachePath,
        onMessage: options.onMessage,
      })
    : readFile(path, readOptions);
  let size: number | undefined;
  try {
    size = path === '-' ? undefined : statSync(path).size;
  } catch {
    size = undefined; // the reader reports a missing file with its own message
  }
  return {
    name: stream.source,
    format: stream.format,
    pass: () => stream.batches(),
    progress: () => (size ? Math.min(1, stream.stats.bytes / size) : undefined),
    badLines: () => stream.stats.badLines,
    featureNames: () => stream.featureNames,
  };
}

/**
 * How several passes over a file read it after the first: 'memory' (the parsed examples kept, for a
 * file of at most `limit` bytes of text: its rows take less memory than its text, and replaying them
 * costs nothing, where a cache is written and read back each pass), the binary cache ('if-writable',
 * for larger files, gzip ones whose size says little, and whenever a cache is asked for), or the file
 * itself again (false: one pass, standard input, or --no-cache).
 */
export function passesSource(
  path: string,
  choice: { passes: number; cacheAsked: boolean; noCache: boolean },
  limit = KEEP_IN_MEMORY_BYTES,
): FileSourceOptions['cache'] {
  if (choice.cacheAsked) return true;
  if (choice.passes <= 1 || choice.noCache || path === '-') return false;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return false; // the reader reports a missing file with its own message
  }
  if (isGzipFile(path)) return 'if-writable';
  return size <= limit ? 'memory' : 'if-writable';
}

/**
 * A file read once: the first pass parses it and keeps every example (rows not shared between
 * batches), later passes replay them from memory. A first pass that stopped early (Ctrl-C) kept only
 * part, so the next one reads the file again.
 */
function keptSource(path: string, readOptions: Parameters<typeof readExamples>[1]): ExampleSource {
  const stream = readFile(path, { ...readOptions, reuseRows: false });
  let size: number | undefined;
  try {
    size = statSync(path).size;
  } catch {
    size = undefined;
  }
  let replay: ExampleSource | undefined;
  return {
    name: stream.source,
    format: stream.format,
    async *pass() {
      if (replay !== undefined) {
        yield* replay.pass();
        return;
      }
      const reading: Example[] = [];
      for await (const batch of stream.batches()) {
        for (const ex of batch) reading.push(ex);
        yield batch;
      }
      replay = memorySource(stream.source, reading);
    },
    progress: () =>
      replay !== undefined ? replay.progress() : size ? Math.min(1, stream.stats.bytes / size) : undefined,
    badLines: () => stream.stats.badLines,
    featureNames: () => stream.featureNames,
  };
}

/** A file's examples, parsed on a second thread where that pays (a large file, a free core). */
function readFile(path: string, readOptions: Parameters<typeof readExamples>[1]): ExampleStream {
  return parseThreadWorthIt(path) ? readExamplesInThread(path, readOptions) : readExamples(path, readOptions);
}

function cacheWritable(path: string, options: FileSourceOptions): boolean {
  const cachePath = options.cachePath ?? `${path}.cache`;
  try {
    accessSync(dirname(cachePath), constants.W_OK);
    return true;
  } catch {
    options.onMessage?.(
      `cannot write ${cachePath}; reading ${path} again for every pass (--cache-file PATH puts the cache elsewhere)`,
    );
    return false;
  }
}

/** Examples per batch when training from memory: small enough that Ctrl-C is handled promptly. */
const MEMORY_BATCH = 256;

export function memorySource(
  name: string,
  examples: readonly Example[],
  featureNames?: string[],
): ExampleSource {
  let done = 0;
  return {
    name,
    format: 'corpus',
    async *pass() {
      for (done = 0; done < examples.length; done += MEMORY_BATCH) {
        // Yield to the event loop so a SIGINT handler can run between batches.
        await new Promise((resolve) => setImmediate(resolve));
        yield examples.slice(done, done + MEMORY_BATCH);
      }
    },
    progress: () => Math.min(1, done / Math.max(1, examples.length)),
    badLines: () => 0,
    featureNames: () => featureNames,
  };
}

/**
 * The demo data when no file is given: the spam corpus, split as `adagrad dataset spam` splits it
 * (seed 1, 20% test), so the demo trains on exactly the exported train file's examples and its
 * accuracy can be checked on the test part.
 */
export async function spamDemo(bits: number): Promise<{ train: ExampleSource; test: Example[] }> {
  const { loadCorpus } = await import('../data/node/corpora.js');
  const { splitExamples } = await import('../data/node/export.js');
  const corpus = loadCorpus('spam', { bits });
  // 1-based as in the exported LIBSVM files, so a demo model predicts on `adagrad dataset spam` output.
  const examples = corpus.examples.map((ex) => ({ ...ex, indices: ex.indices.map((i) => i + 1) }));
  const { train, test } = splitExamples(examples, 0.2, 1);
  return { train: memorySource('spam corpus (train split, seed 1)', train), test };
}

/** The Boston house prices, split and 1-based like `adagrad dataset boston`, for the network demo. */
export async function bostonDemo(): Promise<{ train: Example[]; test: Example[]; featureNames: string[] }> {
  const { BOSTON_FEATURES, loadCorpus } = await import('../data/node/corpora.js');
  const { splitExamples } = await import('../data/node/export.js');
  const corpus = loadCorpus('boston');
  const examples = corpus.examples.map((ex) => ({ ...ex, indices: ex.indices.map((i) => i + 1) }));
  const { train, test } = splitExamples(examples, 0.2, 1);
  // Index 0 is unused in 1-based files.
  return { train, test, featureNames: ['', ...BOSTON_FEATURES] };
}

/** Every example of one pass, in memory (for models that need to see the data before learning). */
export async function readAll(source: ExampleSource): Promise<Example[]> {
  const all: Example[] = [];
  for await (const batch of source.pass()) for (const ex of batch) all.push(ex);
  return all;
}
