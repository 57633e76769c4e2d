/**
 * Worker threads for the WebAssembly kernels (Node only): large dense steps are split by coordinate
 * ranges between the calling thread and the workers, which instantiate the same module on the same
 * shared memory. Steps below `minCoordinates` (default one million) never touch the threads.
 *
 *   await startKernelThreads({ threads: 3 });   // three workers plus the calling thread
 *   ... optimizer steps ...
 *   await stopKernelThreads();
 *
 * The calling thread waits for the workers with Atomics.wait, which Node allows on its main thread.
 * Every coordinate is computed by the same code whichever thread runs it, so the results are the same
 * bits as on one thread. Only the shared-memory build can use threads (always the case in Node).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { kernelRuntime, setParallelRunner, type DenseKernelName, type ParallelRunner } from '../index.js';

const KERNELS: readonly DenseKernelName[] = ['adagradDense', 'sgd', 'rmsprop', 'adam', 'adadelta'];

// The control block, an Int32Array in a SharedArrayBuffer.
const GENERATION = 0; // bumped for every job; workers wait on it
const DONE = 1; // workers that finished the current job
const KERNEL = 2; // index into KERNELS
const POINTERS = 3; // how many leading arguments are addresses
const ARG_COUNT = 4;
const STOP = 5;
const CONTROL_SLOTS = 8;
const MAX_ARGS = 32;
/** How long the calling thread waits for a worker before it gives up (a worker died). */
const TIMEOUT_MS = 30_000;

// The workers' code, self-contained so that it runs the same from TypeScript sources and from dist/.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, control, args, ranges, index, kernels } = workerData;
const { exports } = new WebAssembly.Instance(module, { env: { memory } });
const ctl = new Int32Array(control);
const a = new Float64Array(args);
const r = new Float64Array(ranges);
let seen = Atomics.load(ctl, ${GENERATION});
parentPort.postMessage('ready');
for (;;) {
  Atomics.wait(ctl, ${GENERATION}, seen);
  seen = Atomics.load(ctl, ${GENERATION});
  if (Atomics.load(ctl, ${STOP}) !== 0) break;
  const pointers = ctl[${POINTERS}];
  const call = Array.from(a.subarray(0, ctl[${ARG_COUNT}]));
  const start = r[2 * index];
  const end = r[2 * index + 1];
  for (let i = 0; i < pointers; i++) if (call[i] !== 0) call[i] += start * 4;
  call[pointers] = end - start;
  if (end > start) exports[kernels[ctl[${KERNEL}]]](...call);
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;

export interface KernelThreadOptions {
  /** Worker threads besides the calling one (default: available cores - 1, at least 1). */
  threads?: number;
  /** Dense steps with fewer coordinates stay on the calling thread (default 1,000,000). */
  minCoordinates?: number;
}

interface Pool {
  workers: Worker[];
  control: Int32Array;
  runner: ParallelRunner;
}

let pool: Pool | null = null;

/** Starts the worker threads and makes the WebAssembly kernels use them for large dense steps. */
export async function startKernelThreads(options: KernelThreadOptions = {}): Promise<{ threads: number }> {
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  const minCoordinates = options.minCoordinates ?? 1_000_000;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new RangeError(`startKernelThreads: threads must be an integer from 1 to 64, got ${threads}`);
  }
  if (!Number.isInteger(minCoordinates) || minCoordinates < 1) {
    throw new RangeError(
      `startKernelThreads: minCoordinates must be a positive integer, got ${minCoordinates}`,
    );
  }
  const runtime = kernelRuntime();
  if (runtime === null || !runtime.memory.shared) {
    throw new Error(
      'startKernelThreads: the WebAssembly kernels with shared memory are not available (reference path forced, or no SIMD)',
    );
  }
  await stopKernelThreads();
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  const args = new Float64Array(new SharedArrayBuffer(MAX_ARGS * 8));
  const ranges = new Float64Array(new SharedArrayBuffer((threads + 1) * 2 * 8));
  const workers: Worker[] = [];
  const ready: Array<Promise<void>> = [];
  for (let index = 1; index <= threads; index++) {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: runtime.module,
        memory: runtime.memory.memory,
        control: control.buffer,
        args: args.buffer,
        ranges: ranges.buffer,
        index,
        kernels: KERNELS,
      },
    });
    ready.push(
      new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }),
    );
    workers.push(worker);
  }
  await Promise.all(ready);
  // Idle workers block in Atomics.wait; they must not keep the process alive.
  for (const w of workers) w.unref();

  const exports = runtime.exports as unknown as Record<DenseKernelName, (...a: number[]) => void>;
  const runner: ParallelRunner = {
    minCoordinates,
    run(kernel, pointers, callArgs) {
      const n = callArgs[pointers];
      const parts = threads + 1;
      // Ranges of whole 64-byte lines, so that no two threads write the same cache line.
      const chunk = Math.ceil(n / parts / 16) * 16;
      for (let t = 0; t < parts; t++) {
        ranges[2 * t] = Math.min(t * chunk, n);
        ranges[2 * t + 1] = Math.min((t + 1) * chunk, n);
      }
      args.set(callArgs);
      control[KERNEL] = KERNELS.indexOf(kernel);
      control[POINTERS] = pointers;
      control[ARG_COUNT] = callArgs.length;
      Atomics.store(control, DONE, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      // The calling thread takes the first range: the same addresses, fewer coordinates.
      const own = [...callArgs];
      own[pointers] = Math.min(chunk, n);
      exports[kernel](...own);
      const deadline = Date.now() + TIMEOUT_MS;
      for (let done = Atomics.load(control, DONE); done < threads; done = Atomics.load(control, DONE)) {
        if (Atomics.wait(control, DONE, done, Math.max(1, deadline - Date.now())) === 'timed-out') {
          throw new Error(
            `kernel threads: ${threads - done} of ${threads} workers did not finish a step in ${TIMEOUT_MS} ms`,
          );
        }
      }
    },
  };
  pool = { workers, control, runner };
  setParallelRunner(runner);
  return { threads };
}

/** The running threads' step splitter, or null: the benchmark switches it on and off between samples. */
export function kernelThreadsRunner(): ParallelRunner | null {
  return pool?.runner ?? null;
}

/** Stops the worker threads; steps run on the calling thread again. */
export async function stopKernelThreads(): Promise<void> {
  if (pool === null) return;
  const { workers, control } = pool;
  pool = null;
  setParallelRunner(null);
  Atomics.store(control, STOP, 1);
  Atomics.add(control, GENERATION, 1);
  Atomics.notify(control, GENERATION);
  await Promise.all(workers.map((w) => w.terminate()));
}
