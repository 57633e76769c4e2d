// Worker threads for the WebAssembly kernels: a large dense step split across threads gives the same
// bits as the reference, for every dense kernel, for arrays in kernel memory and ordinary ones; a step
// below the threshold never involves the workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alloc, kernels, referenceKernels, setKernels } from '../src/kernels/index.js';
import { startKernelThreads, stopKernelThreads } from '../src/kernels/node/threads.js';
import type { Kernels } from '../src/kernels/types.js';
import type { FloatArray } from '../src/optim/types.js';

const n = 4099; // not a multiple of 16 or of the thread count: uneven ranges and a scalar tail
const threshold = 1000;

function filled(length: number, f: (i: number) => number, inKernelMemory: boolean): Float32Array {
  const a = inKernelMemory ? alloc(length) : new Float32Array(length);
  for (let i = 0; i < length; i++) a[i] = f(i);
  return a;
}

type Step = (k: Kernels, a: Record<string, FloatArray | null>) => void;

const cases: Array<[string, string[], Step]> = [
  [
    'adagradDense',
    ['sum'],
    (k, a) =>
      k.adagradDense(a.p as FloatArray, a.g as FloatArray, a.sum as FloatArray, {
        clr: 0.1,
        eps: 1e-10,
        gradSign: 1,
        weightDecay: 0.01,
        decoupledWeightDecay: 0,
        epsInside: false,
        skipZeroAccumulator: false,
      }),
  ],
  [
    'sgd',
    ['buf'],
    (k, a) =>
      k.sgd(a.p as FloatArray, a.g as FloatArray, a.buf, {
        lr: 0.1,
        momentum: 0.9,
        dampening: 0,
        nesterov: true,
        weightDecay: 0,
        gradSign: 1,
        firstStep: false,
      }),
  ],
  [
    'rmsprop',
    ['sq', 'avg', 'buf'],
    (k, a) =>
      k.rmsprop(a.p as FloatArray, a.g as FloatArray, a.sq as FloatArray, a.avg, a.buf, {
        lr: 0.01,
        alpha: 0.99,
        eps: 1e-8,
        weightDecay: 0,
        momentum: 0.9,
        centered: true,
        gradSign: 1,
      }),
  ],
  [
    'adam',
    ['m', 'v', 'vmax'],
    (k, a) =>
      k.adam(a.p as FloatArray, a.g as FloatArray, a.m as FloatArray, a.v as FloatArray, a.vmax, {
        lr: 0.001,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weightDecay: 0,
        decoupledWeightDecay: 0.01,
        amsgrad: true,
        gradSign: -1,
        step: 3,
      }),
  ],
  [
    'adadelta',
    ['sq', 'acc'],
    (k, a) =>
      k.adadelta(a.p as FloatArray, a.g as FloatArray, a.sq as FloatArray, a.acc as FloatArray, {
        lr: 1,
        rho: 0.9,
        eps: 1e-6,
        weightDecay: 0,
        gradSign: 1,
      }),
  ],
];

beforeAll(async () => {
  setKernels('wasm');
  await startKernelThreads({ threads: 2, minCoordinates: threshold });
});

afterAll(async () => {
  await stopKernelThreads();
  setKernels('auto');
});

describe('kernel threads', () => {
  it.each(cases)('%s split across threads equals the reference bit-for-bit', (_name, state, step) => {
    for (const inKernelMemory of [true, false]) {
      const start = (): Record<string, Float32Array> => {
        const a: Record<string, Float32Array> = {
          p: filled(n, (i) => Math.sin(i), inKernelMemory),
          g: filled(n, (i) => Math.cos(3 * i), inKernelMemory),
        };
        // State buffers start small and positive (second moments must be, for RMSprop's centred sqrt).
        for (const b of state) a[b] = filled(n, (i) => 0.01 + 0.001 * (i % 7), inKernelMemory);
        return a;
      };
      const mine = start();
      const ref = start();
      for (let t = 0; t < 3; t++) {
        step(kernels(), mine);
        step(referenceKernels, ref);
      }
      for (const key of Object.keys(ref)) {
        const a = new Uint32Array(Float32Array.from(mine[key]).buffer);
        const b = new Uint32Array(Float32Array.from(ref[key]).buffer);
        let first = -1;
        for (let i = 0; i < n && first < 0; i++) if (a[i] !== b[i]) first = i;
        expect(first, `${key} (${inKernelMemory ? 'alloc' : 'ordinary'})`).toBe(-1);
      }
    }
  });

  it('restarting with other options and stopping leave the kernels working on one thread', async () => {
    await startKernelThreads({ threads: 1, minCoordinates: threshold });
    await stopKernelThreads();
    const p = filled(n, () => 1, true);
    const s = filled(n, () => 0, true);
    kernels().adagradDense(
      p,
      filled(n, () => 0.5, true),
      s,
      {
        clr: 0.1,
        eps: 1e-10,
        gradSign: 1,
        weightDecay: 0,
        decoupledWeightDecay: 0,
        epsInside: false,
        skipZeroAccumulator: false,
      },
    );
    expect(s[n - 1]).toBe(0.25);
    expect(p[0]).toBe(Math.fround(0.9));
    await startKernelThreads({ threads: 2, minCoordinates: threshold });
  });

  it('rejects bad options by name', async () => {
    await expect(startKernelThreads({ threads: 0 })).rejects.toThrow(
      /threads must be an integer from 1 to 64, got 0/,
    );
    await expect(startKernelThreads({ minCoordinates: -5 })).rejects.toThrow(
      /minCoordinates must be a positive integer/,
    );
  });
});
