// The WebAssembly SIMD kernels against the plain-TypeScript reference: the same float32 bits for every
// kernel and every option, on random inputs, for lengths around the SIMD width, for zero-length arrays,
// and for arrays that live in the kernels' memory, at odd offsets there, or outside it.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/data/random.js';
import { alloc, referenceKernels, setKernels, type Kernels } from '../src/kernels/index.js';
import type { FloatArray } from '../src/optim/types.js';

const wasm: Kernels = setKernels('wasm');
const reference = referenceKernels;

/** A small seeded generator, so a failure can be replayed. */
const random = mulberry32;

/** Values in [lo, hi), about one in eight of them exactly 0 (so Optax's zero-accumulator rule fires). */
function values(rand: () => number, n: number, lo: number, hi: number, zeros = true): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = zeros && rand() < 0.125 ? 0 : lo + (hi - lo) * rand();
  return a;
}

/** Where the wasm path's arrays live. The reference path always gets ordinary arrays. */
const layouts = [
  'alloc',
  'alloc at an odd offset',
  'ordinary',
  'ordinary at an odd offset',
  'mixed',
] as const;
type Layout = (typeof layouts)[number];

/** A copy of `src` placed as the layout says; `which` alternates the mixed layout between arrays. */
function place(src: Float32Array, layout: Layout, which: number): Float32Array {
  const n = src.length;
  let a: Float32Array;
  if (layout === 'alloc' || (layout === 'mixed' && which % 2 === 0)) a = alloc(n);
  else if (layout === 'alloc at an odd offset')
    a = alloc(n + 4).subarray(1 + (which % 3), 1 + (which % 3) + n);
  else if (layout === 'ordinary' || layout === 'mixed') a = new Float32Array(n);
  else a = new Float32Array(n + 3).subarray(1, 1 + n);
  a.set(src);
  return a;
}

const bits = (a: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(a).buffer));

/** Bit-for-bit equality; every NaN counts as equal to every NaN. */
function expectSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  const a = bits(actual);
  const e = bits(expected);
  expect(a.length, what).toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(actual[i]) && Number.isNaN(expected[i])) continue;
    if (a[i] !== e[i]) {
      expect.fail(`${what}[${i}]: wasm ${actual[i]} (0x${a[i].toString(16)}), reference ${expected[i]}`);
    }
  }
}

const lengths = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 257];

/**
 * Runs `steps` steps of one kernel on both paths from the same random start and compares every array.
 * `arrays` makes the named starting arrays; `call` runs one step on a kernel set.
 */
function compare(
  label: string,
  n: number,
  layout: Layout,
  seed: number,
  arrays: (rand: () => number, n: number) => Record<string, Float32Array | null>,
  call: (k: Kernels, a: Record<string, FloatArray | null>, step: number) => void,
  steps = 3,
): void {
  const start = arrays(random(seed), n);
  const ref: Record<string, FloatArray | null> = {};
  const mine: Record<string, FloatArray | null> = {};
  let which = 0;
  for (const [name, a] of Object.entries(start)) {
    ref[name] = a === null ? null : Float32Array.from(a);
    mine[name] = a === null ? null : place(a, layout, which++);
  }
  for (let t = 1; t <= steps; t++) {
    call(reference, ref, t);
    call(wasm, mine, t);
  }
  for (const name of Object.keys(start)) {
    if (ref[name] !== null)
      expectSameBits(mine[name] as FloatArray, ref[name] as FloatArray, `${label} ${name}`);
  }
}

/** Every combination of the given options. */
function grid<T extends Record<string, readonly unknown[]>>(
  axes: T,
): Array<{ [K in keyof T]: T[K][number] }> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const [key, options] of Object.entries(axes)) {
    out = out.flatMap((o) => options.map((v) => ({ ...o, [key]: v })));
  }
  return out as Array<{ [K in keyof T]: T[K][number] }>;
}

describe('wasm kernels equal the reference bit-for-bit', () => {
  it('wasm is really the WebAssembly path', () => {
    expect(wasm.name).toBe('wasm');
  });

  const adagradOptions = grid({
    epsInside: [false, true],
    skipZeroAccumulator: [false, true],
    weightDecay: [0, 0.1],
    decoupledWeightDecay: [0, 0.05],
    gradSign: [1, -1] as const,
  });

  it.each(layouts)('adagradDense, every option, lengths around the SIMD width (%s)', (layout) => {
    let seed = 1;
    for (const o of adagradOptions) {
      for (const n of lengths) {
        compare(
          `adagradDense ${JSON.stringify(o)} n=${n}`,
          n,
          layout,
          seed++,
          (rand, n) => ({
            param: values(rand, n, -2, 2),
            grad: values(rand, n, -1, 1),
            sum: values(rand, n, 0, 0.5),
          }),
          (k, a, t) =>
            k.adagradDense(a.param as FloatArray, a.grad as FloatArray, a.sum as FloatArray, {
              clr: 0.1 / (1 + (t - 1) * 0.01),
              eps: o.epsInside ? 1e-7 : 1e-10,
              ...o,
            }),
        );
      }
    }
  });

  it('adagradDense with eps inside and skipZeroAccumulator leaves coordinates whose G is 0 alone', () => {
    const param = alloc(9);
    param.fill(1.5);
    const grad = alloc(9);
    const sum = alloc(9);
    grad[2] = 0.5;
    grad[7] = -0.25;
    wasm.adagradDense(param, grad, sum, {
      clr: 0.1,
      eps: 1e-7,
      gradSign: 1,
      weightDecay: 0,
      decoupledWeightDecay: 0,
      epsInside: true,
      skipZeroAccumulator: true,
    });
    // By hand: p = 1.5 - 0.1 · g / sqrt(g² + 1e-7) where g ≠ 0; the other seven coordinates keep 1.5.
    expect(Array.from(param)).toEqual([
      1.5,
      1.5,
      Math.fround(
        1.5 - Math.fround(Math.fround(0.1 * 0.5) / Math.fround(Math.sqrt(Math.fround(0.25 + 1e-7)))),
      ),
      1.5,
      1.5,
      1.5,
      1.5,
      Math.fround(
        1.5 + Math.fround(Math.fround(0.1 * 0.25) / Math.fround(Math.sqrt(Math.fround(0.0625 + 1e-7)))),
      ),
      1.5,
    ]);
  });

  const sparseOptions = grid({
    epsInside: [false, true],
    skipZeroAccumulator: [false, true],
    decoupledWeightDecay: [0, 0.05],
    gradSign: [1, -1] as const,
  });

  it.each(['alloc', 'alloc at an odd offset', 'ordinary'] as const)(
    'adagradSparse, every option and row size, only the named rows change (%s)',
    (layout) => {
      let seed = 1000;
      for (const o of sparseOptions) {
        for (const rowSize of [1, 3, 4, 5, 8, 64, 67]) {
          const nRows = 23;
          const rand = random(seed);
          const rows = Array.from({ length: nRows }, (_, i) => i)
            .filter(() => rand() < 0.4)
            .sort(() => rand() - 0.5);
          compare(
            `adagradSparse ${JSON.stringify(o)} rowSize=${rowSize} rows=${rows.length}`,
            nRows * rowSize,
            layout,
            seed++,
            (rand, n) => ({
              param: values(rand, n, -2, 2),
              sum: values(rand, n, 0, 0.5),
              values: values(rand, rows.length * rowSize, -1, 1),
            }),
            (k, a) =>
              k.adagradSparse(
                a.param as FloatArray,
                a.sum as FloatArray,
                rows,
                a.values as FloatArray,
                rowSize,
                {
                  clr: 0.1,
                  eps: o.epsInside ? 1e-7 : 1e-10,
                  weightDecay: 0,
                  ...o,
                },
              ),
          );
        }
      }
    },
  );

  it('adagradSparse touches nothing outside the named rows', () => {
    const rowSize = 6;
    const param = alloc(10 * rowSize).fill(1);
    const sum = alloc(10 * rowSize).fill(2);
    const vals = alloc(2 * rowSize).fill(0.5);
    wasm.adagradSparse(param, sum, [7, 2], vals, rowSize, {
      clr: 0.1,
      eps: 1e-10,
      gradSign: 1,
      weightDecay: 0,
      decoupledWeightDecay: 0,
      epsInside: false,
      skipZeroAccumulator: false,
    });
    for (let r = 0; r < 10; r++) {
      const touched = r === 7 || r === 2;
      for (let c = 0; c < rowSize; c++) {
        expect(sum[r * rowSize + c]).toBe(touched ? 2.25 : 2);
        expect(param[r * rowSize + c] < 1).toBe(touched);
      }
    }
  });

  it('adagradSparse rejects a row outside the table instead of writing past it', () => {
    const param = alloc(12);
    const sum = alloc(12);
    const s = {
      clr: 0.1,
      eps: 1e-10,
      gradSign: 1 as const,
      weightDecay: 0,
      decoupledWeightDecay: 0,
      epsInside: false,
      skipZeroAccumulator: false,
    };
    expect(() => wasm.adagradSparse(param, sum, [3], new Float32Array(4), 4, s)).toThrow(/rows\[0\] = 3/);
    expect(() => wasm.adagradSparse(param, sum, [-1], new Float32Array(4), 4, s)).toThrow(RangeError);
    expect(() => wasm.adagradSparse(param, sum, [0.5], new Float32Array(4), 4, s)).toThrow(RangeError);
    expect(Array.from(sum).every((x) => x === 0)).toBe(true);
  });

  it.each(layouts)('sgd: momentum, dampening, nesterov, weight decay, maximize (%s)', (layout) => {
    let seed = 2000;
    const options = grid({
      momentum: [0, 0.9],
      dampening: [0, 0.3],
      nesterov: [false, true],
      weightDecay: [0, 0.01],
      gradSign: [1, -1] as const,
    });
    for (const o of options) {
      for (const n of lengths) {
        compare(
          `sgd ${JSON.stringify(o)} n=${n}`,
          n,
          layout,
          seed++,
          (rand, n) => ({
            param: values(rand, n, -2, 2),
            grad: values(rand, n, -1, 1),
            buf: o.momentum === 0 ? null : new Float32Array(n),
          }),
          (k, a, t) =>
            k.sgd(a.param as FloatArray, a.grad as FloatArray, a.buf, { lr: 0.05, ...o, firstStep: t === 1 }),
        );
      }
    }
  });

  it.each(layouts)('rmsprop: centered, momentum, weight decay, maximize (%s)', (layout) => {
    let seed = 3000;
    const options = grid({
      centered: [false, true],
      momentum: [0, 0.9],
      weightDecay: [0, 0.01],
      gradSign: [1, -1] as const,
    });
    for (const o of options) {
      for (const n of lengths) {
        compare(
          `rmsprop ${JSON.stringify(o)} n=${n}`,
          n,
          layout,
          seed++,
          (rand, n) => ({
            param: values(rand, n, -2, 2),
            grad: values(rand, n, -1, 1),
            squareAvg: values(rand, n, 0.01, 1, false),
            gradAvg: o.centered ? values(rand, n, -0.05, 0.05) : null,
            buf: o.momentum === 0 ? null : values(rand, n, -0.1, 0.1),
          }),
          (k, a) =>
            k.rmsprop(
              a.param as FloatArray,
              a.grad as FloatArray,
              a.squareAvg as FloatArray,
              a.gradAvg,
              a.buf,
              {
                lr: 0.01,
                alpha: 0.99,
                eps: 1e-8,
                ...o,
              },
            ),
        );
      }
    }
  });

  it.each(layouts)('adam and adamw: amsgrad, weight decay, decoupled decay, maximize (%s)', (layout) => {
    let seed = 4000;
    const options = grid({
      amsgrad: [false, true],
      weightDecay: [0, 0.01],
      decoupledWeightDecay: [0, 0.01],
      gradSign: [1, -1] as const,
    });
    for (const o of options) {
      for (const n of lengths) {
        compare(
          `adam ${JSON.stringify(o)} n=${n}`,
          n,
          layout,
          seed++,
          (rand, n) => ({
            param: values(rand, n, -2, 2),
            grad: values(rand, n, -1, 1),
            expAvg: values(rand, n, -0.1, 0.1),
            expAvgSq: values(rand, n, 0, 0.1),
            maxExpAvgSq: o.amsgrad ? values(rand, n, 0, 0.1) : null,
          }),
          (k, a, t) =>
            k.adam(
              a.param as FloatArray,
              a.grad as FloatArray,
              a.expAvg as FloatArray,
              a.expAvgSq as FloatArray,
              a.maxExpAvgSq,
              { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: t, ...o },
            ),
        );
      }
    }
  });

  it.each(layouts)('adadelta: weight decay, maximize (%s)', (layout) => {
    let seed = 5000;
    for (const o of grid({ weightDecay: [0, 0.01], gradSign: [1, -1] as const })) {
      for (const n of lengths) {
        compare(
          `adadelta ${JSON.stringify(o)} n=${n}`,
          n,
          layout,
          seed++,
          (rand, n) => ({
            param: values(rand, n, -2, 2),
            grad: values(rand, n, -1, 1),
            squareAvg: values(rand, n, 0, 0.5),
            accDelta: values(rand, n, 0, 0.01),
          }),
          (k, a) =>
            k.adadelta(
              a.param as FloatArray,
              a.grad as FloatArray,
              a.squareAvg as FloatArray,
              a.accDelta as FloatArray,
              {
                lr: 1,
                rho: 0.9,
                eps: 1e-6,
                ...o,
              },
            ),
        );
      }
    }
  });

  it('accepts gradients given as plain number arrays (rounded to float32, as the reference does)', () => {
    compare(
      'adagradDense number[] grad',
      11,
      'alloc',
      77,
      (rand, n) => ({ param: values(rand, n, -2, 2), sum: values(rand, n, 0, 0.5) }),
      (k, a) => {
        const grad = Array.from({ length: 11 }, (_, i) => 0.1 * i - 0.33);
        k.adagradDense(a.param as FloatArray, grad, a.sum as FloatArray, {
          clr: 0.1,
          eps: 1e-10,
          gradSign: 1,
          weightDecay: 0,
          decoupledWeightDecay: 0,
          epsInside: false,
          skipZeroAccumulator: false,
        });
      },
    );
  });

  it('Float64Array parameters take the reference path on the wasm kernels', () => {
    const make = () => ({ p: Float64Array.from([1, 2, 3]), s: new Float64Array(3) });
    const a = make();
    const b = make();
    const grad = [0.1, 1e-9, -0.3];
    const s = {
      clr: 0.1,
      eps: 1e-10,
      gradSign: 1 as const,
      weightDecay: 0,
      decoupledWeightDecay: 0,
      epsInside: false,
      skipZeroAccumulator: false,
    };
    wasm.adagradDense(a.p, grad, a.s, s);
    reference.adagradDense(b.p, grad, b.s, s);
    expect(Array.from(a.p)).toEqual(Array.from(b.p));
    // Double precision kept: 1e-9² survives in float64 (it would be lost in float32 next to nothing else).
    expect(a.s[1]).toBe(1e-18);
  });

  it('rejects arrays shorter than the parameter instead of reading or writing past them', () => {
    const s = {
      lr: 0.1,
      momentum: 0,
      dampening: 0,
      nesterov: false,
      weightDecay: 0,
      gradSign: 1 as const,
      firstStep: true,
    };
    expect(() => wasm.sgd(alloc(8), alloc(7), null, s)).toThrow(/'grad' has length 7, expected 8/);
  });

  // The family's kernels: ℓ1 and TF.js's order in AdaGrad, FTRL, dual averaging, SparseAdam, lazy RMSprop.
  const familyAdagradOptions = [
    ...grid({ l1: [0.05], tfjsOrder: [false, true], epsInside: [false], decoupledWeightDecay: [0, 0.05] }),
    ...grid({ l1: [0], tfjsOrder: [true], epsInside: [false, true], decoupledWeightDecay: [0, 0.05] }),
  ];

  it.each(layouts)('adagradDense with l1 or in TF.js order (%s)', (layout) => {
    let seed = 6000;
    for (const o of familyAdagradOptions) {
      for (const n of lengths) {
        compare(
          `adagradDense ${JSON.stringify(o)} n=${n}`,
          n,
          layout,
          seed++,
          (rand, n) => ({
            param: values(rand, n, -0.2, 0.2),
            grad: values(rand, n, -1, 1),
            sum: values(rand, n, 0, 0.5),
          }),
          (k, a) =>
            k.adagradDense(a.param as FloatArray, a.grad as FloatArray, a.sum as FloatArray, {
              clr: 0.1,
              eps: o.epsInside ? 1e-7 : 1e-10,
              gradSign: 1,
              weightDecay: 0,
              skipZeroAccumulator: false,
              ...o,
            }),
          4,
        );
      }
    }
  });

  /** A random set of distinct rows of a table, in random order. */
  const someRows = (rand: () => number, nRows: number) =>
    Array.from({ length: nRows }, (_, i) => i)
      .filter(() => rand() < 0.4)
      .sort(() => rand() - 0.5);

  /** Runs a sparse kernel on both paths for every row size, in arrays from alloc (the wasm path's own). */
  function compareSparse(
    label: string,
    seed: number,
    state: (rand: () => number, n: number) => Record<string, Float32Array>,
    call: (
      k: Kernels,
      a: Record<string, FloatArray>,
      rows: number[],
      vals: Float32Array,
      rowSize: number,
      t: number,
    ) => void,
  ): void {
    for (const rowSize of [1, 3, 4, 5, 8, 67]) {
      const nRows = 23;
      const rand = random(seed + rowSize);
      const rows = someRows(rand, nRows);
      const vals = values(rand, rows.length * rowSize, -1, 1);
      compare(
        `${label} rowSize=${rowSize}`,
        nRows * rowSize,
        'alloc',
        seed + rowSize,
        (r, n) => ({ param: values(r, n, -0.5, 0.5), ...state(r, n) }),
        (k, a, t) => call(k, a as Record<string, FloatArray>, rows, vals, rowSize, t),
      );
    }
  }

  it('adagradSparse with l1 or in TF.js order', () => {
    let seed = 6500;
    for (const o of familyAdagradOptions) {
      compareSparse(
        `adagradSparse ${JSON.stringify(o)}`,
        (seed += 100),
        (r, n) => ({ sum: values(r, n, 0, 0.5) }),
        (k, a, rows, vals, rowSize) =>
          k.adagradSparse(a.param, a.sum, rows, vals, rowSize, {
            clr: 0.1,
            eps: o.epsInside ? 1e-7 : 1e-10,
            gradSign: -1,
            weightDecay: 0,
            skipZeroAccumulator: false,
            ...o,
          }),
      );
    }
  });

  const ftrlOptions = grid({ l1: [0, 0.3], l2: [0, 0.5], beta: [0, 1], gradSign: [1, -1] as const });

  it.each(layouts)('ftrlDense: l1, l2, beta, maximize (%s)', (layout) => {
    let seed = 7000;
    for (const o of ftrlOptions) {
      for (const n of lengths) {
        compare(
          `ftrlDense ${JSON.stringify(o)} n=${n}`,
          n,
          layout,
          seed++,
          (rand, n) => ({
            param: values(rand, n, -0.5, 0.5),
            grad: values(rand, n, -1, 1),
            z: values(rand, n, -1, 1),
            n: values(rand, n, 0, 2),
          }),
          (k, a) =>
            k.ftrlDense(a.param as FloatArray, a.grad as FloatArray, a.z as FloatArray, a.n as FloatArray, {
              alpha: 0.3,
              ...o,
            }),
        );
      }
    }
  });

  it('ftrlSparse: l1, l2, beta, maximize, every row size', () => {
    let seed = 7500;
    for (const o of ftrlOptions) {
      compareSparse(
        `ftrlSparse ${JSON.stringify(o)}`,
        (seed += 100),
        (r, n) => ({ z: values(r, n, -1, 1), n: values(r, n, 0, 2) }),
        (k, a, rows, vals, rowSize) =>
          k.ftrlSparse(a.param, a.z, a.n, rows, vals, rowSize, { alpha: 0.3, ...o }),
      );
    }
  });

  const daOptions = grid({ l1: [0, 0.02], l2: [0, 0.1], eps: [0, 0.1], gradSign: [1, -1] as const });

  it.each(layouts)('adagradDaDense: l1, l2, eps, maximize (%s)', (layout) => {
    let seed = 8000;
    for (const o of daOptions) {
      for (const n of lengths) {
        compare(
          `adagradDaDense ${JSON.stringify(o)} n=${n}`,
          n,
          layout,
          seed++,
          (rand, n) => ({
            param: values(rand, n, -0.5, 0.5),
            grad: values(rand, n, -1, 1),
            gradSum: values(rand, n, -0.1, 0.1),
            sumSq: values(rand, n, 0, 0.5),
          }),
          (k, a, t) =>
            k.adagradDaDense(
              a.param as FloatArray,
              a.grad as FloatArray,
              a.gradSum as FloatArray,
              a.sumSq as FloatArray,
              { lr: 0.4, step: t, ...o },
            ),
        );
      }
    }
  });

  it('adagradDaSparse: l1, l2, eps, maximize, every row size', () => {
    let seed = 8500;
    for (const o of daOptions) {
      compareSparse(
        `adagradDaSparse ${JSON.stringify(o)}`,
        (seed += 100),
        (r, n) => ({ gradSum: values(r, n, -0.1, 0.1), sumSq: values(r, n, 0, 0.5) }),
        (k, a, rows, vals, rowSize, t) =>
          k.adagradDaSparse(a.param, a.gradSum, a.sumSq, rows, vals, rowSize, { lr: 0.4, step: t + 2, ...o }),
      );
    }
  });

  it('sparseAdam: betas, eps, maximize, every row size', () => {
    let seed = 9000;
    for (const o of grid({ beta1: [0.9, 0.5], beta2: [0.999, 0.9], gradSign: [1, -1] as const })) {
      compareSparse(
        `sparseAdam ${JSON.stringify(o)}`,
        (seed += 100),
        (r, n) => ({ expAvg: values(r, n, -0.1, 0.1), expAvgSq: values(r, n, 0, 0.1) }),
        (k, a, rows, vals, rowSize, t) =>
          k.sparseAdam(a.param, a.expAvg, a.expAvgSq, rows, vals, rowSize, {
            lr: 0.01,
            eps: 1e-8,
            step: t,
            ...o,
          }),
      );
    }
  });

  it('rmspropSparse: weight decay, maximize, every row size; no momentum or centering', () => {
    let seed = 9500;
    for (const o of grid({ weightDecay: [0, 0.01], gradSign: [1, -1] as const })) {
      compareSparse(
        `rmspropSparse ${JSON.stringify(o)}`,
        (seed += 100),
        (r, n) => ({ squareAvg: values(r, n, 0.01, 1, false) }),
        (k, a, rows, vals, rowSize) =>
          k.rmspropSparse(a.param, a.squareAvg, rows, vals, rowSize, {
            lr: 0.01,
            alpha: 0.99,
            eps: 1e-8,
            momentum: 0,
            centered: false,
            ...o,
          }),
      );
    }
    const s = {
      lr: 0.01,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0.9,
      centered: false,
      gradSign: 1 as const,
    };
    for (const k of [wasm, reference]) {
      expect(() => k.rmspropSparse(alloc(4), alloc(4), [0], [1], 1, s)).toThrow(
        /no momentum and no centering/,
      );
    }
  });

  it('the sparse family kernels refuse a row outside the table instead of writing past it', () => {
    const param = alloc(12);
    const z = alloc(12);
    const n = alloc(12);
    const s = { alpha: 0.1, beta: 1, l1: 0, l2: 0, gradSign: 1 as const };
    expect(() => wasm.ftrlSparse(param, z, n, [3], new Float32Array(4), 4, s)).toThrow(
      /ftrlSparse: rows\[0\] = 3/,
    );
    expect(Array.from(z).every((x) => x === 0)).toBe(true);
  });
});
