// The family's documented behaviour beyond the reference trajectories: sparse (lazy) semantics, the
// forms of ℓ1 and ℓ2, presets, state dicts, and bad options refused before anything changes.
import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  AdagradDA,
  adagradDaWeight,
  AdagradNorm,
  Ftrl,
  ftrlWeight,
  OptimizerInputError,
  SparseAdam,
  type FloatArray,
  type Gradient,
  type Optimizer,
} from '../src/index.js';
import { mulberry32 } from '../src/data/random.js';
import { kernelPaths, useKernelPath } from './kernel-paths.js';

type Any = Optimizer<{ checkFinite: boolean }>;

/** Gradients that leave some rows out at random: `rows` rows of `rowSize`, about 40% named per step. */
function sparseStream(seed: number, steps: number, rows: number, rowSize: number) {
  const rand = mulberry32(seed);
  return Array.from({ length: steps }, () => {
    const indices = Array.from({ length: rows }, (_, r) => r).filter(() => rand() < 0.4);
    const values = Float64Array.from({ length: indices.length * rowSize }, () => 2 * rand() - 1);
    return { indices, values };
  });
}

/** The dense gradient a sparse one stands for: zeros in the rows it does not name. */
function densify(g: { indices: number[]; values: Float64Array }, n: number, rowSize: number): Float64Array {
  const dense = new Float64Array(n);
  g.indices.forEach((r, j) => dense.set(g.values.subarray(j * rowSize, (j + 1) * rowSize), r * rowSize));
  return dense;
}

const typed = (dtype: 'float32' | 'float64', v: ArrayLike<number>): FloatArray =>
  dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v);

describe.each(kernelPaths)('lazy sparse steps (%s kernels)', (path) => {
  const rows = 7;
  const rowSize = 3;
  const n = rows * rowSize;
  const start = Array.from({ length: n }, (_, i) => Math.cos(i));

  it.each(['float32', 'float64'] as const)(
    'FTRL and AdaGrad-Norm: a sparse run equals the dense run with zeros elsewhere, bit for bit (%s)',
    (dtype) => {
      useKernelPath(path);
      // FTRL's weights are the closed form of (z, n) after any step; from 0 they are so before one too.
      const makers: Array<[(w: FloatArray) => Any, number[]]> = [
        [
          (w) =>
            new Ftrl({ w }, { lr: 0.3, beta: 1, l1: 0.05, l2: 0.1, initialAccumulatorValue: 0.01 }) as Any,
          new Array<number>(n).fill(0),
        ],
        [(w) => new AdagradNorm({ w }, { lr: 0.2, initialAccumulatorValue: 0.01 }) as Any, start],
      ];
      for (const [make, start] of makers) {
        const dense = typed(dtype, start);
        const sparse = typed(dtype, start);
        const a = make(dense);
        const b = make(sparse);
        for (const g of sparseStream(3, 30, rows, rowSize)) {
          a.step({ w: typed(dtype, densify(g, n, rowSize)) });
          b.step({ w: { indices: g.indices, values: typed(dtype, g.values) } });
        }
        expect(Array.from(sparse)).toEqual(Array.from(dense));
      }
    },
  );

  it.each(['float32', 'float64'] as const)(
    'dual averaging: sparse steps write only their rows; refreshWeights() then equals the dense run (%s)',
    (dtype) => {
      useKernelPath(path);
      const options = { lr: 0.4, eps: 0.1, l1: 0.02, l2: 0.05 };
      const dense = typed(dtype, new Array(n).fill(0));
      const sparse = typed(dtype, new Array(n).fill(0));
      const a = new AdagradDA({ w: dense }, options);
      const b = new AdagradDA({ w: sparse }, options);
      let staleSeen = false;
      for (const g of sparseStream(5, 30, rows, rowSize)) {
        a.step({ w: typed(dtype, densify(g, n, rowSize)) });
        const before = Array.from(sparse);
        b.step({ w: { indices: g.indices, values: typed(dtype, g.values) } });
        for (let r = 0; r < rows; r++) {
          if (g.indices.includes(r)) continue;
          for (let c = 0; c < rowSize; c++) expect(sparse[r * rowSize + c]).toBe(before[r * rowSize + c]);
        }
        staleSeen ||= Array.from(sparse).some((x, i) => x !== dense[i]);
      }
      expect(staleSeen).toBe(true);
      b.refreshWeights();
      expect(Array.from(sparse)).toEqual(Array.from(dense));
    },
  );

  it('composite ℓ1: a sparse step leaves unnamed rows alone; named rows agree with the dense step', () => {
    useKernelPath(path);
    const options = { lr: 0.5, l1: 0.05 };
    const dense = Float64Array.from(start);
    const sparse = Float64Array.from(start);
    const a = new Adagrad({ w: dense }, options);
    const b = new Adagrad({ w: sparse }, options);
    const g = { indices: [1, 4], values: Float64Array.from([0.5, -0.2, 0.1, 0.3, 0, -0.7]) };
    a.step({ w: densify(g, n, rowSize) });
    b.step({ w: g });
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < rowSize; c++) {
        const i = r * rowSize + c;
        if (g.indices.includes(r)) expect(Math.abs(sparse[i] - dense[i])).toBeLessThan(1e-15);
        else expect(sparse[i]).toBe(start[i]);
      }
    }
    // The dense step shrank the rows with a zero gradient too (by lr·l1/(eps) — here to exactly 0).
    expect(dense[0]).toBe(0);
  });
});

describe('ℓ1 and ℓ2 forms', () => {
  it('composite ℓ1 gives exact zeros, and l1 = 0 gives the same bits as no l1', () => {
    const rand = mulberry32(9);
    const start = Float32Array.from({ length: 64 }, () => 2 * rand() - 1);
    const grads = Array.from({ length: 20 }, () =>
      Float32Array.from({ length: 64 }, () => 0.1 * (2 * rand() - 1)),
    );
    const plain = Float32Array.from(start);
    const zero = Float32Array.from(start);
    const shrunk = Float32Array.from(start);
    const a = new Adagrad({ w: plain }, { lr: 0.1 });
    const b = new Adagrad({ w: zero }, { lr: 0.1, l1: 0 });
    const c = new Adagrad({ w: shrunk }, { lr: 0.1, l1: 0.3 });
    for (const g of grads) for (const o of [a, b, c]) o.step({ w: g });
    expect(Array.from(zero)).toEqual(Array.from(plain));
    const zeros = Array.from(shrunk).filter((x) => x === 0).length;
    expect(zeros).toBeGreaterThan(10);
    expect(Array.from(plain).filter((x) => x === 0)).toHaveLength(0);
  });

  it("dual averaging's weight minimizes ⟨s, x⟩ + t·l1·|x| + t·(l2/2)·x² + (H/(2·lr))·x²", () => {
    const rand = mulberry32(21);
    for (let k = 0; k < 200; k++) {
      const s = 6 * (2 * rand() - 1);
      const G = 10 * rand();
      const t = 1 + Math.floor(20 * rand());
      const o = {
        lr: 0.01 + rand(),
        eps: 0.1 * rand(),
        l1: 0.2 * rand(),
        l2: rand() < 0.5 ? 0 : rand(),
        step: t,
      };
      const H = o.eps + Math.sqrt(G);
      const f = (x: number) =>
        s * x + t * o.l1 * Math.abs(x) + ((t * o.l2) / 2) * x * x + (H / (2 * o.lr)) * x * x;
      const x = adagradDaWeight(s, G, o);
      for (const d of [1e-4, -1e-4, 1e-2, -1e-2]) expect(f(x)).toBeLessThanOrEqual(f(x + d));
      if (Math.abs(s) <= o.l1 * t) expect(x).toBe(0);
    }
  });

  it('the FTRL weight is the minimizer of its per-coordinate objective (McMahan et al. eq. 2)', () => {
    const rand = mulberry32(22);
    for (let k = 0; k < 200; k++) {
      const z = 4 * (2 * rand() - 1);
      const nAcc = 5 * rand();
      const o = { alpha: 0.05 + rand(), beta: rand(), l1: 0.5 * rand(), l2: rand() < 0.5 ? 0 : rand() };
      // z·w + λ1|w| + ½(λ2 + (β + √n)/α)·w²
      const q = o.l2 + (o.beta + Math.sqrt(nAcc)) / o.alpha;
      const f = (w: number) => z * w + o.l1 * Math.abs(w) + 0.5 * q * w * w;
      const w = ftrlWeight(z, nAcc, o);
      for (const d of [1e-4, -1e-4, 1e-2, -1e-2]) expect(f(w)).toBeLessThanOrEqual(f(w + d));
    }
  });

  it("Ftrl's keras preset is Keras's Ftrl arithmetic (quadratic √n/lr + 2·l2 + beta/lr) with l2 doubled", () => {
    const rand = mulberry32(23);
    const n = 16;
    const start = Float64Array.from({ length: n }, () => 2 * rand() - 1);
    const lr = 0.05;
    const kerasL1 = 0.01;
    const kerasL2 = 0.03;
    const w = Float64Array.from(start);
    const opt = new Ftrl({ w }, { preset: 'keras', lr, l1: kerasL1, l2: 2 * kerasL2 });
    // keras/optimizers/ftrl.py, update_step, with learning_rate_power = -0.5 and beta = 0:
    const accum = new Float64Array(n).fill(0.1);
    const linear = new Float64Array(n);
    const v = Float64Array.from(start);
    for (let t = 0; t < 30; t++) {
      const g = Float64Array.from({ length: n }, () => 2 * rand() - 1);
      opt.step({ w: g });
      for (let i = 0; i < n; i++) {
        const newAccum = accum[i] + g[i] ** 2;
        linear[i] += g[i] - ((Math.sqrt(newAccum) - Math.sqrt(accum[i])) / lr) * v[i];
        const quadratic = Math.sqrt(newAccum) / lr + 2 * kerasL2;
        const clipped = Math.min(Math.max(linear[i], -kerasL1), kerasL1);
        v[i] = (clipped - linear[i]) / quadratic;
        accum[i] = newAccum;
      }
      for (let i = 0; i < n; i++)
        expect(Math.abs(w[i] - v[i])).toBeLessThanOrEqual(1e-12 * Math.abs(v[i]) + 1e-300);
    }
    expect(opt.options).toMatchObject({ lr, beta: 0, initialAccumulatorValue: 0.1 });
  });
});

describe('state dicts of the family', () => {
  const makers: Array<[string, (w: Float32Array) => Any, boolean]> = [
    ['Ftrl', (w) => new Ftrl({ w }, { l1: 0.01 }) as Any, false],
    ['AdagradDA', (w) => new AdagradDA({ w }, { lr: 0.1, l1: 0.001 }) as Any, false],
    ['AdagradNorm', (w) => new AdagradNorm({ w }, { lr: 0.1 }) as Any, false],
    ['SparseAdam', (w) => new SparseAdam({ w }, { lr: 0.01 }) as Any, true],
    ['Adagrad l1', (w) => new Adagrad({ w }, { lr: 0.1, l1: 0.01 }) as Any, false],
  ];
  const grad = (t: number, sparse: boolean): Gradient => {
    const values = Float32Array.from({ length: 6 }, (_, i) => Math.sin(t * 1.3 + i));
    return sparse ? { indices: [0, 1, 2, 3, 4, 5], values } : values;
  };

  it.each(makers)('%s resumes bit for bit from a JSON round trip', (_name, make, sparse) => {
    const w1 = Float32Array.from([0.5, -1, 2, 0, 0.25, -0.75]);
    const a = make(w1);
    for (let t = 0; t < 5; t++) a.step({ w: grad(t, sparse) });
    const w2 = Float32Array.from(w1);
    const b = make(w2);
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    for (let t = 5; t < 10; t++) {
      a.step({ w: grad(t, sparse) });
      b.step({ w: grad(t, sparse) });
    }
    expect(Array.from(w2)).toEqual(Array.from(w1));
  });

  it('AdagradNorm refuses a state without its accumulator b², changing nothing', () => {
    const w = new Float32Array(2);
    const opt = new AdagradNorm({ w }, { lr: 0.1 });
    opt.step({ w: [3, 4] });
    const saved = opt.stateDict() as unknown as Record<string, unknown>;
    expect(opt.accumulatorValue).toBe(25);
    const other = new AdagradNorm({ w: new Float32Array(2) });
    expect(() => other.loadStateDict({ ...saved, sumOfSquares: -1 })).toThrow(
      /'sumOfSquares' must be a finite number >= 0, got -1/,
    );
    expect(() => other.loadStateDict({ ...saved, sumOfSquares: undefined })).toThrow(OptimizerInputError);
    expect(other.accumulatorValue).toBe(0);
    other.loadStateDict(saved);
    expect(other.accumulatorValue).toBe(25);
  });
});

describe('bad options and inputs are refused, naming them, before anything changes', () => {
  const w = () => ({ w: Float32Array.from([1, 2, 3, 4]) });
  it.each([
    [
      'Ftrl l1 < 0',
      () => new Ftrl(w(), { l1: -1 }),
      /Ftrl: option 'l1' must be a finite number >= 0, got -1/,
    ],
    [
      'Ftrl l2 NaN',
      () => new Ftrl(w(), { l2: NaN }),
      /Ftrl: option 'l2' must be a finite number >= 0, got NaN/,
    ],
    [
      'Ftrl beta Infinity',
      () => new Ftrl(w(), { beta: Infinity }),
      /option 'beta' must be a finite number >= 0/,
    ],
    ['Ftrl lr 0', () => new Ftrl(w(), { lr: 0 }), /Ftrl: option 'lr' must be a finite number > 0, got 0/],
    [
      'Ftrl preset',
      () => new Ftrl(w(), { preset: 'pytorch' as never }),
      /option 'preset' must be one of 'paper', 'keras'/,
    ],
    ['AdagradDA l1 < 0', () => new AdagradDA(w(), { l1: -0.1 }), /AdagradDA: option 'l1'/],
    ['AdagradDA l2 Infinity', () => new AdagradDA(w(), { l2: Infinity }), /AdagradDA: option 'l2'/],
    ['AdagradDA unknown', () => new AdagradDA(w(), { beta: 1 } as never), /AdagradDA: unknown option 'beta'/],
    [
      'AdagradNorm b0² < 0',
      () => new AdagradNorm(w(), { initialAccumulatorValue: -1 }),
      /'initialAccumulatorValue'/,
    ],
    [
      'SparseAdam betas',
      () => new SparseAdam(w(), { betas: [0.9, 1] }),
      /SparseAdam: option 'betas\[1\]' must be in \[0, 1\)/,
    ],
    [
      'SparseAdam betas shape',
      () => new SparseAdam(w(), { betas: 0.9 as never }),
      /option 'betas' must be a pair/,
    ],
    [
      'Adagrad l1 < 0',
      () => new Adagrad(w(), { l1: -1 }),
      /Adagrad: option 'l1' must be a finite number >= 0/,
    ],
    [
      'Adagrad l1 with eps inside',
      () => new Adagrad(w(), { preset: 'keras', l1: 0.1 }),
      /Adagrad: option 'l1' needs epsPlacement 'outside'.*got epsPlacement 'inside' from preset 'keras'/,
    ],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(OptimizerInputError);
    expect(make).toThrow(message);
  });

  it('SparseAdam refuses a dense gradient; Adagrad-free optimizers accept sparse ones', () => {
    const params = w();
    const opt = new SparseAdam(params);
    expect(() => opt.step({ w: [1, 1, 1, 1] })).toThrow(/SparseAdam takes sparse gradients .* use Adam/);
    expect(Array.from(params.w)).toEqual([1, 2, 3, 4]);
    expect(opt.stepCount('w')).toBe(0);
  });

  it('a bad gradient in one parameter leaves every parameter and state as it was', () => {
    for (const make of [
      (p: Record<string, Float32Array>) => new Ftrl(p) as Any,
      (p: Record<string, Float32Array>) => new AdagradDA(p) as Any,
      (p: Record<string, Float32Array>) => new AdagradNorm(p) as Any,
    ]) {
      const p = { a: Float32Array.from([1, 2]), b: Float32Array.from([3, 4]) };
      const opt = make(p);
      const before = JSON.stringify(opt.stateDict());
      expect(() => opt.step({ a: [0.5, 0.5], b: [NaN, 1] })).toThrow(/non-finite value \(NaN\) at index 0/);
      expect(JSON.stringify(opt.stateDict())).toBe(before);
      expect(Array.from(p.a)).toEqual([1, 2]);
    }
  });
});
