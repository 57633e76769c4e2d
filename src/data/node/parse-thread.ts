/**
 * readExamples with the parsing on a worker thread, as Vowpal Wabbit parses on a thread of its own:
 * the calling thread learns from one batch while the worker reads and parses the next, so a pass costs
 * about the larger of the two rather than their sum. Same examples, same order, same errors and bad-line
 * reports as readExamples (the worker runs it); only files, not standard input.
 *
 * The worker starts when the stream is made, so its start-up (tens of milliseconds) overlaps what
 * the caller does before its first pass. It is worth it only where a second core is free and the file
 * takes longer to parse than a thread takes to start: see parseThreadWorthIt.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReadStats } from '../example.js';
import { emptyStats } from '../example.js';
import { DataError } from '../errors.js';
import type { Format } from '../format.js';
import { ExampleParser } from '../parser.js';
import { type PackedBatch, unpackBatch } from './packed-batch.js';
import { type ExampleStream, type ReadOptions, resolveFormat } from './read.js';
import { sourceName } from './source.js';

/** Batches the worker may parse ahead of the one being learned from (each is about 1 MiB of text). */
const WINDOW = 4;

/**
 * Below this size a file is parsed faster than a worker thread starts (~40 ms, in which the parser
 * reads some 8 MiB), so the calling thread parses it itself.
 */
export const PARSE_THREAD_MIN_BYTES = 16 * 2 ** 20;

/** Options that can cross to the worker: everything but callbacks and an injected stdin. */
type ThreadReadOptions = Omit<ReadOptions, 'onBadLine' | 'stdin' | 'reuseRows'>;

export interface ParseWorkerData {
  path: string;
  options: ThreadReadOptions & { format: Format };
  window: number;
}

export type ParseWorkerMessage =
  | { type: 'batch'; batch: PackedBatch; stats: ReadStats; featureNames: string[] | undefined }
  | { type: 'bad-line'; reason: string; file?: string; line?: number }
  | { type: 'end'; stats: ReadStats; featureNames: string[] | undefined }
  | { type: 'data-error'; reason: string; file?: string; line?: number }
  | { type: 'error'; message: string; code?: string };

/**
 * The worker's script, beside this module in a build (dist/, or the command's bundle); from the
 * TypeScript sources (tests, tsx) there is none, and the readers parse on the calling thread.
 */
function workerScript(): URL | undefined {
  const script = new URL('./parse-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(script)) ? script : undefined;
}

/** Whether parsing `path` on a worker thread pays: a built script, a second core, a large file. */
export function parseThreadWorthIt(path: string, minBytes = PARSE_THREAD_MIN_BYTES): boolean {
  if (path === '-' || availableParallelism() < 2 || workerScript() === undefined) return false;
  try {
    return statSync(path).size >= minBytes;
  } catch {
    return false; // the reader reports a missing file with its own message
  }
}

export function readExamplesInThread(path: string, options: ReadOptions = {}): ExampleStream {
  const script = workerScript();
  if (script === undefined) throw new Error('readExamplesInThread: no parse-worker.js beside this module');
  if (path === '-') throw new Error('readExamplesInThread: files only, not standard input');
  const source = sourceName(path);
  const format = resolveFormat(path, options.format);
  const { onBadLine, stdin: _stdin, reuseRows: _reuseRows, ...rest } = options;
  // Bad options (bits out of range, ...) fail here, as readExamples fails, before a thread starts.
  new ExampleParser({ ...rest, format, source });
  const data: ParseWorkerData = { path, options: { ...rest, format }, window: WINDOW };
  const start = (): Worker => {
    const worker = new Worker(script, { workerData: data });
    worker.unref();
    return worker;
  };
  // The first pass's worker starts now; later passes start their own.
  let next: Worker | undefined = start();
  let stats = emptyStats();
  let featureNames: string[] | undefined;
  const stream: ExampleStream = {
    source,
    format,
    get stats() {
      return stats;
    },
    get featureNames() {
      return featureNames;
    },
    async *[Symbol.asyncIterator]() {
      for await (const batch of stream.batches()) yield* batch;
    },
    async *batches() {
      const worker = next ?? start();
      next = undefined;
      stats = emptyStats();
      const inbox: ParseWorkerMessage[] = [];
      let arrived: (() => void) | undefined;
      const receive = (message: ParseWorkerMessage): void => {
        inbox.push(message);
        arrived?.();
      };
      worker.on('message', receive);
      worker.on('error', (error) => receive({ type: 'error', message: error.message }));
      worker.on('exit', (code) => receive({ type: 'error', message: `parse thread exited (code ${code})` }));
      // Waiting on the worker must keep the process alive; an unused one must not.
      worker.ref();
      try {
        for (;;) {
          if (inbox.length === 0) await new Promise<void>((resolve) => (arrived = resolve));
          const message = inbox.shift()!;
          switch (message.type) {
            case 'batch':
              stats = message.stats;
              featureNames = message.featureNames;
              worker.postMessage('next');
              yield unpackBatch(message.batch);
              break;
            case 'bad-line':
              onBadLine?.(new DataError(message.reason, { file: message.file, line: message.line }));
              break;
            case 'end':
              stats = message.stats;
              featureNames = message.featureNames;
              return;
            case 'data-error':
              throw new DataError(message.reason, { file: message.file, line: message.line });
            case 'error':
              throw Object.assign(new Error(message.message), { code: message.code });
          }
        }
      } finally {
        worker.removeAllListeners();
        await worker.terminate();
      }
    },
  };
  return stream;
}
