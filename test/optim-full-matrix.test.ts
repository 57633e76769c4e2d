// FullMatrixAdagrad beyond the reference trajectories (test/optim-family-parity.test.ts): its eigensolver
// against the definition, what a single coordinate reduces to, float32, state, and what it refuses.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/data/random.js';
import { Adagrad, DEFAULT_FULL_MATRIX_EPS, FullMatrixAdagrad, OptimizerInputError } from '../src/index.js';
import { symmetricEigen } from '../src/optim/symmetric-eigen.js';

/** A rotated, ill-conditioned quadratic's gradient H·x. */
function quadratic(d: number, seed: number): (x: ArrayLike<number>) => Float64Array {
  const rand = mulberry32(seed);
  const H = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rand() - 0.5 + (i === j ? 1 + 5 * i : 0);
      H[i * d + j] = v;
      H[j * d + i] = v;
    }
  }
  return (x) => {
    const g = new Float64Array(d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) g[i] += H[i * d + j] * x[j];
    return g;
  };
}

describe('symmetricEigen', () => {
  it.each([1, 2, 3, 8, 33])('A·v = λ·v and VᵀV = I for a random symmetric matrix of order %i', (n) => {
    const rand = mulberry32(n);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const v = 2 * rand() - 1;
        A[i * n + j] = v;
        A[j * n + i] = v;
      }
    }
    const { values, vectors } = symmetricEigen(A.slice(), n);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += A[i * n + j] * vectors[k * n + j];
        expect(Math.abs(av - values[k] * vectors[k * n + i])).toBeLessThan(1e-13 * n);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[l * n + j];
        expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-13 * n);
      }
    }
  });

  it('a rank-one matrix g gᵀ has the one eigenvalue ‖g‖² and zeros', () => {
    const g = [3, -4, 12];
    const A = Float64Array.from({ length: 9 }, (_, k) => g[Math.floor(k / 3)] * g[k % 3]);
    const values = Array.from(symmetricEigen(A, 3).values).sort((a, b) => b - a);
    expect(values[0]).toBeCloseTo(169, 12);
    expect(Math.abs(values[1]) + Math.abs(values[2])).toBeLessThan(1e-12);
  });
});

describe('FullMatrixAdagrad', () => {
  it('on one coordinate is diagonal AdaGrad with eps outside the root', () => {
    const a = Float64Array.from([2]);
    const b = Float64Array.from([2]);
    const full = new FullMatrixAdagrad({ w: a }, { lr: 0.3, eps: 0.01 });
    const diag = new Adagrad({ w: b }, { lr: 0.3, eps: 0.01 });
    for (let t = 0; t < 30; t++) {
      full.step({ w: [2 * a[0] + 0.1] });
      diag.step({ w: [2 * b[0] + 0.1] });
      expect(Math.abs(a[0] - b[0])).toBeLessThanOrEqual(1e-14 * Math.abs(b[0]));
    }
  });

  it('solves the rotated valley that diagonal AdaGrad crawls along (the lesson’s figure)', () => {
    // f = ½(100·u² + v²) with u, v the axes turned by 45°: the valley runs along no coordinate.
    const c = Math.SQRT1_2;
    const grad = (p: ArrayLike<number>) => {
      const u = c * (p[0] + p[1]);
      const v = c * (p[0] - p[1]);
      return [c * (100 * u + v), c * (100 * u - v)];
    };
    const a = Float64Array.from([1, 0.5]);
    const b = Float64Array.from([1, 0.5]);
    const full = new FullMatrixAdagrad({ w: a }, { lr: 0.5 });
    const diag = new Adagrad({ w: b }, { lr: 0.5 });
    for (let t = 0; t < 100; t++) {
      full.step({ w: grad(a) });
      diag.step({ w: grad(b) });
    }
    expect(Math.hypot(a[0], a[1])).toBeLessThan(1e-15);
    expect(Math.hypot(b[0], b[1])).toBeGreaterThan(0.1);
  });

  it('float32 parameters follow the float64 run to float32 precision', () => {
    const d = 5;
    const grad = quadratic(d, 7);
    const x0 = Array.from({ length: d }, (_, i) => Math.sin(i + 2));
    const a = Float64Array.from(x0);
    const b = Float32Array.from(x0);
    const o64 = new FullMatrixAdagrad({ w: a }, { lr: 0.2 });
    const o32 = new FullMatrixAdagrad({ w: b }, { lr: 0.2 });
    for (let t = 0; t < 20; t++) {
      o64.step({ w: grad(a) });
      o32.step({ w: Float32Array.from(grad(b)) });
    }
    for (let i = 0; i < d; i++) expect(Math.abs(b[i] - a[i])).toBeLessThan(1e-5 * (1 + Math.abs(a[i])));
  });

  it('preconditions all parameters together; a parameter without a gradient counts as zeros', () => {
    const make = () => ({ u: Float64Array.from([1, -1]), v: Float64Array.from([0.5]) });
    const p = make();
    const q = make();
    const a = new FullMatrixAdagrad(p, { lr: 0.1 });
    const b = new FullMatrixAdagrad(q, { lr: 0.1 });
    for (let t = 0; t < 5; t++) {
      a.step({ u: [1 + t, 2], v: [t % 2 ? 1 : -3] });
      b.step({ u: [1 + t, 2], v: [t % 2 ? 1 : -3] });
    }
    a.step({ u: [0.5, -0.5] });
    b.step({ u: [0.5, -0.5], v: [0] });
    expect(Array.from(p.u)).toEqual(Array.from(q.u));
    expect(Array.from(p.v)).toEqual(Array.from(q.v));
    // v moved in the last step through its correlation with u, though its own gradient was 0.
    const before = Array.from(q.v);
    b.step({ u: [0.5, -0.5] });
    expect(q.v[0]).not.toBe(before[0]);
    expect(a.dimension).toBe(3);
    expect(Array.from(a.accumulator('v'))).toEqual([9 + 1 + 9 + 1 + 9]);
  });

  it(`defaults to eps ${DEFAULT_FULL_MATRIX_EPS} and resumes bit for bit from a JSON state dict`, () => {
    const grad = quadratic(4, 9);
    const w1 = Float64Array.from([1, 2, 3, 4]);
    const a = new FullMatrixAdagrad({ w: w1 });
    expect(a.options.eps).toBe(DEFAULT_FULL_MATRIX_EPS);
    for (let t = 0; t < 3; t++) a.step({ w: grad(w1) });
    const w2 = Float64Array.from(w1);
    const b = new FullMatrixAdagrad({ w: w2 });
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    for (let t = 0; t < 3; t++) {
      a.step({ w: grad(w1) });
      b.step({ w: grad(w2) });
    }
    expect(Array.from(w2)).toEqual(Array.from(w1));
    const bad = { ...a.stateDict(), matrix: [1, 2] };
    expect(() => b.loadStateDict(bad)).toThrow(/'matrix' must be an array of 4×4 = 16 numbers/);
  });

  it('effectiveLearningRate is lr·diag((eps·I + G^½)⁻¹)', () => {
    const w = Float64Array.from([0, 0]);
    const opt = new FullMatrixAdagrad({ w }, { lr: 2, eps: 0.5 });
    opt.step({ w: [3, 0] });
    opt.step({ w: [0, 4] });
    // G = diag(9, 16): G^½ = diag(3, 4).
    const rates = Array.from(opt.effectiveLearningRate('w'));
    expect(rates[0]).toBeCloseTo(2 / 3.5, 14);
    expect(rates[1]).toBeCloseTo(2 / 4.5, 14);
  });

  it('refuses too many coordinates, naming the size and memory; sparse gradients; bad options', () => {
    expect(() => new FullMatrixAdagrad({ a: new Float64Array(2000), b: new Float32Array(100) })).toThrow(
      /the parameters have 2100 coordinates together; G would be 2100×2100 float64s \(34 MiB.*at most 2048 coordinates/,
    );
    const w = new Float64Array(3);
    const opt = new FullMatrixAdagrad({ w });
    expect(() => opt.step({ w: { indices: [1], values: [1] } })).toThrow(OptimizerInputError);
    expect(() => opt.step({ w: [1, Infinity, 0] })).toThrow(/non-finite value/);
    expect(Array.from(opt.accumulator('w'))).toEqual([0, 0, 0]);
    expect(() => new FullMatrixAdagrad({ w }, { eps: -1 })).toThrow(
      /option 'eps' must be a finite number >= 0/,
    );
    expect(() => new FullMatrixAdagrad({ w, v: w })).toThrow(/parameter 'v' is the same array as another/);
  });
});
