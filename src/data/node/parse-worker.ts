/**
 * The worker-thread side of readExamplesInThread (parse-thread.ts): reads and parses one pass of a
 * file with the ordinary reader and posts each batch, packed, to the thread that learns from it. It
 * runs at most `window` batches ahead, so a file of any size takes bounded memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DataError } from '../errors.js';
import { packBatch, transferList } from './packed-batch.js';
import type { ParseWorkerData, ParseWorkerMessage } from './parse-thread.js';
import { readExamples } from './read.js';

const { path, options, window } = workerData as ParseWorkerData;
const port = parentPort!;
let credit = window;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit++;
  wake?.();
});

const post = (message: ParseWorkerMessage, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

const stream = readExamples(path, {
  ...options,
  // Each batch is packed (copied) before the next is parsed, so rows may share memory.
  reuseRows: true,
  onBadLine: (error) => post({ type: 'bad-line', reason: error.reason, file: error.file, line: error.line }),
});
try {
  for await (const batch of stream.batches()) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    const packed = packBatch(batch);
    post(
      { type: 'batch', batch: packed, stats: { ...stream.stats }, featureNames: stream.featureNames },
      transferList(packed),
    );
  }
  post({ type: 'end', stats: { ...stream.stats }, featureNames: stream.featureNames });
} catch (error) {
  post(
    error instanceof DataError
      ? { type: 'data-error', reason: error.reason, file: error.file, line: error.line }
      : {
          type: 'error',
          message: error instanceof Error ? error.message : String(error),
          code: (error as { code?: string }).code,
        },
  );
} finally {
  port.close();
}
