import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADAGRAD_PRESETS,
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  createOptimizer,
  OPTIMIZERS,
  OptimizerInputError,
  RMSprop,
  SGD,
  type AdagradPreset,
  type Optimizer,
} from '../src/index.js';

const presets = Object.keys(ADAGRAD_PRESETS) as AdagradPreset[];
type Any = Optimizer<{ checkFinite: boolean }>;

/** A deterministic stream of gradients, so runs can be repeated exactly. */
function gradientAt(step: number, n: number): Float32Array {
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = Math.sin(step * 1.7 + i * 0.31) * (1 + (i % 3));
  return g;
}

const factories: Array<[string, (p: { w: Float32Array }) => Any]> = [
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.01, weightDecay: 0.01 }) as Any],
  ['Adagrad keras', (p) => new Adagrad(p, { preset: 'keras', lr: 0.1, weightDecay: 0.01 }) as Any],
  ['SGD', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true }) as Any],
  ['RMSprop', (p) => new RMSprop(p, { centered: true, momentum: 0.5 }) as Any],
  ['Adam', (p) => new Adam(p, { amsgrad: true }) as Any],
  ['AdamW', (p) => new AdamW(p) as Any],
  ['Adadelta', (p) => new Adadelta(p, { weightDecay: 0.01 }) as Any],
];

describe('sparse gradients', () => {
  it('a sparse step naming every row equals the dense step', () => {
    const rows = 6;
    const rowSize = 3;
    for (const dtype of [Float32Array, Float64Array]) {
      const start = Array.from({ length: rows * rowSize }, (_, i) => Math.cos(i));
      const dense = dtype.from(start);
      const sparse = dtype.from(start);
      const a = new Adagrad({ w: dense }, { lr: 0.3, lrDecay: 0.1, initialAccumulatorValue: 0.2 });
      const b = new Adagrad({ w: sparse }, { lr: 0.3, lrDecay: 0.1, initialAccumulatorValue: 0.2 });
      for (let t = 0; t < 20; t++) {
        const g = gradientAt(t, rows * rowSize);
        a.step({ w: g });
        // Rows in a shuffled order: the order of rows in a sparse gradient must not matter.
        const order = [3, 0, 5, 1, 4, 2];
        const values = new Float32Array(rows * rowSize);
        order.forEach((r, j) => values.set(g.subarray(r * rowSize, (r + 1) * rowSize), j * rowSize));
        b.step({ w: { indices: order, values } });
      }
      // PyTorch rounds the sparse accumulator update twice and the dense one once (fused), so float32
      // agrees to rounding; float64 agrees to far below any visible difference.
      const tol = dtype === Float32Array ? 1e-6 : 1e-14;
      for (let i = 0; i < dense.length; i++) expect(Math.abs(sparse[i] - dense[i])).toBeLessThan(tol);
      const [Ga, Gb] = [a.accumulator('w'), b.accumulator('w')];
      for (let i = 0; i < Ga.length; i++) expect(Math.abs(Gb[i] - Ga[i])).toBeLessThanOrEqual(tol * Ga[i]);
    }
  });

  it('sums duplicate indices before the update, as PyTorch coalesces them', () => {
    const w1 = new Float32Array([1, 2, 3, 4]);
    const w2 = new Float32Array([1, 2, 3, 4]);
    const a = new Adagrad({ w: w1 }, { lr: 0.5 });
    const b = new Adagrad({ w: w2 }, { lr: 0.5 });
    a.step({ w: { indices: [2, 0, 2], values: [0.25, -1, 0.5] } });
    b.step({ w: { indices: [2, 0], values: [0.75, -1] } });
    expect(Array.from(w1)).toEqual(Array.from(w2));
    // Coalesced, G = 0.75² on coordinate 2: not 0.25² + 0.5².
    expect(a.accumulator('w')[2]).toBe(Math.fround(0.5625));
  });

  it('leaves every row it does not name untouched, parameter and accumulator', () => {
    const n = 10_000;
    const w = new Float32Array(n).fill(1);
    const opt = new Adagrad({ w }, { lr: 0.1, initialAccumulatorValue: 0.5 });
    opt.step({ w: { indices: [7, 9_998], values: [1, -2] } });
    const G = opt.accumulator('w');
    for (let i = 0; i < n; i++) {
      if (i === 7 || i === 9_998) {
        expect(w[i]).not.toBe(1);
        expect(G[i]).toBeGreaterThan(0.5);
      } else {
        expect(w[i]).toBe(1);
        expect(G[i]).toBe(0.5);
      }
    }
  });

  it('updates rows of an embedding table (row size from values.length / indices.length)', () => {
    const emb = new Float32Array(5 * 4);
    const opt = new Adagrad({ emb }, { lr: 1 });
    opt.step({ emb: { indices: [3], values: [1, 1, -1, 2] } });
    // First AdaGrad step from G = 0: p -= lr · g / |g| = lr · sign(g) (eps is negligible).
    expect(Array.from(emb.subarray(12, 16))).toEqual([-1, -1, 1, -1]);
    expect(Array.from(emb.subarray(0, 12)).every((x) => x === 0)).toBe(true);
  });

  it('with decoupled weight decay, decays only the rows the step names', () => {
    const w = new Float32Array([2, 2, 2]);
    const opt = new Adagrad({ w }, { preset: 'keras', lr: 1, weightDecay: 0.5 });
    opt.step({ w: { indices: [1], values: [0] } });
    expect(Array.from(w)).toEqual([2, 1, 2]);
  });
});

describe('state dicts', () => {
  it.each(factories)(
    '%s: saved and reloaded mid-run, continues exactly as an uninterrupted run',
    (_n, make) => {
      const n = 9;
      const straight = new Float32Array(n).fill(0.5);
      const a = make({ w: straight });
      for (let t = 0; t < 25; t++) a.step({ w: gradientAt(t, n) });

      const resumed = new Float32Array(n).fill(0.5);
      const b = make({ w: resumed });
      for (let t = 0; t < 10; t++) b.step({ w: gradientAt(t, n) });
      const saved = JSON.parse(JSON.stringify(b.stateDict())) as unknown;
      const copy = Float32Array.from(resumed);
      const c = make({ w: copy });
      c.loadStateDict(saved);
      for (let t = 10; t < 25; t++) c.step({ w: gradientAt(t, n) });
      expect(Array.from(copy)).toEqual(Array.from(straight));
      expect(c.stepCount('w')).toBe(25);
    },
  );

  it('restores the options it was saved with', () => {
    const w = new Float32Array(2);
    const saved = new Adagrad({ w }, { preset: 'optax', lr: 0.7 }).stateDict();
    const other = new Adagrad({ w: new Float32Array(2) });
    other.loadStateDict(saved);
    expect(other.options).toMatchObject({ lr: 0.7, epsPlacement: 'inside', skipZeroAccumulator: true });
  });

  it('rejects state for other parameters, sizes, precisions or optimizers, and changes nothing', () => {
    const opt = new Adagrad({ w: new Float32Array(3) }, { lr: 0.1 });
    opt.step({ w: [1, 2, 3] });
    const before = opt.stateDict();
    const bad: Array<[unknown, RegExp]> = [
      [null, /expected a state dict/],
      [{ ...before, format: 'x' }, /not an optimizer state dict/],
      [{ ...before, version: 99 }, /unsupported version 99/],
      [new SGD({ w: new Float32Array(3) }, { lr: 1 }).stateDict(), /saved by 'SGD', not Adagrad/],
      [new Adagrad({ v: new Float32Array(3) }).stateDict(), /parameter names differ/],
      [new Adagrad({ w: new Float32Array(4) }).stateDict(), /saved length 4, parameter has 3/],
      [new Adagrad({ w: new Float64Array(3) }).stateDict(), /saved as 'float64', parameter is float32/],
      [{ ...before, options: { ...before.options, lr: -1 } }, /'lr' must be a finite number >= 0/],
      [
        { ...before, state: { w: { ...before.state.w, buffers: { sum: [1, 'x', 3] } } } },
        /buffer 'sum' holds 'x' at 1/,
      ],
      [{ ...before, state: { w: { ...before.state.w, buffers: { sum: [1] } } } }, /wrong length/],
      [{ ...before, state: { w: { ...before.state.w, step: 1.5 } } }, /step must be an integer/],
    ];
    for (const [dict, message] of bad) {
      expect(() => opt.loadStateDict(dict)).toThrow(message);
      expect(opt.stateDict()).toEqual(before);
    }
  });
});

describe('bad input is rejected before anything changes', () => {
  const construct: Array<[string, () => unknown, RegExp]> = [
    [
      'negative lr',
      () => new Adagrad({ w: new Float32Array(1) }, { lr: -0.1 }),
      /'lr' must be a finite number >= 0, got -0.1/,
    ],
    ['NaN eps', () => new Adagrad({ w: new Float32Array(1) }, { eps: NaN }), /'eps'.*got NaN/],
    [
      'infinite weightDecay',
      () => new Adam({ w: new Float32Array(1) }, { weightDecay: Infinity }),
      /'weightDecay'/,
    ],
    ['negative lrDecay', () => new Adagrad({ w: new Float32Array(1) }, { lrDecay: -1 }), /'lrDecay'/],
    [
      'negative momentum',
      () => new SGD({ w: new Float32Array(1) }, { lr: 0.1, momentum: -0.5 }),
      /'momentum'/,
    ],
    [
      'beta of 1',
      () => new Adam({ w: new Float32Array(1) }, { betas: [0.9, 1] }),
      /'betas\[1\]' must be in \[0, 1\)/,
    ],
    [
      'negative beta',
      () => new AdamW({ w: new Float32Array(1) }, { betas: [-0.1, 0.9] }),
      /AdamW: option 'betas\[0\]'/,
    ],
    [
      'nesterov without momentum',
      () => new SGD({ w: new Float32Array(1) }, { lr: 0.1, nesterov: true }),
      /nesterov requires momentum/,
    ],
    ['SGD without lr', () => new SGD({ w: new Float32Array(1) }, {} as never), /'lr' is required/],
    [
      'unknown option',
      () => new Adagrad({ w: new Float32Array(1) }, { learningRate: 1 } as never),
      /unknown option 'learningRate'/,
    ],
    [
      'unknown preset',
      () => new Adagrad({ w: new Float32Array(1) }, { preset: 'caffe' as never }),
      /'preset' must be one of/,
    ],
    [
      'plain array parameter',
      () => new Adagrad({ w: [1, 2] as never }),
      /parameter 'w' must be a Float32Array or Float64Array/,
    ],
    [
      'rho out of range',
      () => new Adadelta({ w: new Float32Array(1) }, { rho: 1.5 }),
      /'rho' must be in \[0, 1\)/,
    ],
  ];
  it.each(construct)('%s', (_n, make, message) => {
    expect(make).toThrow(OptimizerInputError);
    expect(make).toThrow(message);
  });

  const steps: Array<[string, unknown, RegExp]> = [
    ['unknown parameter', { v: [1, 1, 1] }, /gradient for unknown parameter 'v' \(parameters: w, b\)/],
    ['wrong dense length', { w: [1, 2] }, /parameter 'w' has length 2, expected 3/],
    [
      'index out of range',
      { w: { indices: [3], values: [1] } },
      /index 3 at position 0 is not an integer row in \[0, 3\)/,
    ],
    ['negative index', { w: { indices: [-1], values: [1] } }, /index -1/],
    ['fractional index', { w: { indices: [0.5], values: [1] } }, /index 0.5/],
    [
      'values not a multiple',
      { w: { indices: [0, 1], values: [1, 2, 3] } },
      /values.length \(3\) is not a multiple of indices.length \(2\)/,
    ],
    [
      'row size not dividing',
      { w: { indices: [0], values: [1, 2] } },
      /row size 2 .* does not divide the parameter's length 3/,
    ],
    ['NaN in a dense gradient', { w: [1, NaN, 0] }, /non-finite value \(NaN\) at index 1/],
    [
      'Infinity in a sparse gradient',
      { w: { indices: [1], values: [Infinity] } },
      /non-finite value \(Infinity\) at values\[0\]/,
    ],
    ['not an array', { w: 5 }, /must be an array of numbers or \{indices, values\}/],
  ];
  it.each(steps)('step with %s', (_n, grads, message) => {
    const w = new Float32Array([1, 2, 3]);
    const b = new Float32Array([4]);
    const opt = new Adagrad({ w, b }, { lr: 0.1 });
    const before = JSON.stringify(opt.stateDict());
    // b's gradient is valid and comes first: the rejected step must not apply it either.
    expect(() => opt.step({ b: [1], ...(grads as object) } as never)).toThrow(message);
    expect(Array.from(w)).toEqual([1, 2, 3]);
    expect(Array.from(b)).toEqual([4]);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
  });

  it('weightDecay with a sparse gradient is an error unless decoupled', () => {
    const w = new Float32Array(3);
    expect(() => new Adagrad({ w }, { weightDecay: 0.1 }).step({ w: { indices: [0], values: [1] } })).toThrow(
      /weightDecay with a sparse gradient \(parameter 'w'\)/,
    );
    expect(() =>
      new Adagrad({ w }, { weightDecay: 0.1, decoupledWeightDecay: true }).step({
        w: { indices: [0], values: [1] },
      }),
    ).not.toThrow();
  });

  it.each([
    ['SGD', () => new SGD({ w: new Float32Array(3) }, { lr: 1 }) as Any],
    ['RMSprop', () => new RMSprop({ w: new Float32Array(3) }) as Any],
    ['Adam', () => new Adam({ w: new Float32Array(3) }) as Any],
    ['AdamW', () => new AdamW({ w: new Float32Array(3) }) as Any],
    ['Adadelta', () => new Adadelta({ w: new Float32Array(3) }) as Any],
  ])('%s rejects a sparse gradient, naming itself', (name, make) => {
    expect(() => make().step({ w: { indices: [0], values: [1] } })).toThrow(
      new RegExp(`^${name} takes dense gradients only, but parameter 'w' got a sparse one`),
    );
  });

  it('checkFinite: false lets a NaN through, for callers who know their gradients', () => {
    const w = new Float32Array([1]);
    new Adagrad({ w }, { checkFinite: false }).step({ w: [NaN] });
    expect(Number.isNaN(w[0])).toBe(true);
  });
});

describe('options, presets and precision', () => {
  it('uses PyTorch defaults when nothing is given', () => {
    const w = new Float32Array(1);
    expect(new Adagrad({ w }).options).toMatchObject({
      lr: 0.01,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      maximize: false,
    });
    expect(new RMSprop({ w }).options).toMatchObject({
      lr: 0.01,
      alpha: 0.99,
      eps: 1e-8,
      momentum: 0,
      centered: false,
    });
    expect(new Adam({ w }).options).toMatchObject({
      lr: 0.001,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
    });
    expect(new AdamW({ w }).options).toMatchObject({ weightDecay: 0.01 });
    expect(new Adadelta({ w }).options).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6 });
  });

  it('options given explicitly override the preset', () => {
    const opt = new Adagrad({ w: new Float32Array(1) }, { preset: 'keras', eps: 1e-3, lr: 0.2 });
    expect(opt.options).toMatchObject({
      eps: 1e-3,
      lr: 0.2,
      initialAccumulatorValue: 0.1,
      epsPlacement: 'inside',
    });
  });

  it('Float64 parameters keep Float64 state and double-precision arithmetic', () => {
    const w = new Float64Array([1, -1]);
    const opt = new Adagrad({ w }, { lr: 0.1 });
    opt.step({ w: [0.1, 0.2] });
    expect(opt.accumulator('w')).toBeInstanceOf(Float64Array);
    // Double precision: 1 - 0.1 · 0.1 / (0.1 + 1e-10), not rounded to float32.
    expect(w[0]).toBe(1 - (0.1 * 0.1) / (Math.sqrt(0.1 * 0.1) + 1e-10));
  });

  it('reports the effective per-coordinate rate clr / (sqrt(G) + eps)', () => {
    const w = new Float32Array([0, 0]);
    const opt = new Adagrad({ w }, { lr: 0.5, lrDecay: 1 });
    opt.step({ w: [3, 0] });
    opt.step({ w: [4, 0] });
    const G = opt.accumulator('w');
    expect(Array.from(G)).toEqual([25, 0]);
    const clr = 0.5 / (1 + 1 * 1);
    expect(Array.from(opt.effectiveLearningRate('w'))).toEqual([clr / (5 + 1e-10), clr / 1e-10]);
  });

  it('counts steps per parameter, as PyTorch does', () => {
    const opt = new Adam({ a: new Float32Array(1), b: new Float32Array(1) });
    opt.step({ a: [1] });
    opt.step({ a: [1], b: [1] });
    expect([opt.stepCount('a'), opt.stepCount('b')]).toEqual([2, 1]);
  });
});

describe('properties', () => {
  const gradients = fc.array(fc.float({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }), {
    minLength: 4,
    maxLength: 4,
  });

  it("AdaGrad's accumulator never decreases, in any preset, dense or sparse", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...presets),
        fc.array(gradients, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (preset, gs, sparse) => {
          const opt = new Adagrad({ w: new Float32Array(4).fill(1) }, { preset, lr: 0.1 });
          let before = opt.accumulator('w');
          for (const g of gs) {
            opt.step({ w: sparse ? { indices: [0, 1, 2, 3], values: g } : g });
            const after = opt.accumulator('w');
            for (let i = 0; i < 4; i++) if (!(after[i] >= before[i])) return false;
            before = after;
          }
          return true;
        },
      ),
    );
  });

  it('a zero gradient leaves the parameter unchanged in every preset without weight decay', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...presets),
        gradients,
        fc.array(gradients, { maxLength: 5 }),
        (preset, start, warmup) => {
          const w = Float32Array.from(start);
          const opt = new Adagrad({ w }, { preset, lr: 0.3 });
          for (const g of warmup) opt.step({ w: g });
          const before = Array.from(w);
          opt.step({ w: [0, 0, 0, 0] });
          return Array.from(w).every((x, i) => Object.is(x, before[i]) || x === before[i]);
        },
      ),
    );
  });

  it('the first step moves each coordinate by at most lr (the normalised step), in every preset', () => {
    fc.assert(
      fc.property(fc.constantFrom(...presets), gradients, (preset, g) => {
        const w = new Float32Array(4);
        new Adagrad({ w }, { preset, lr: 0.25 }).step({ w: g });
        return Array.from(w).every((x) => Math.abs(x) <= 0.25 * (1 + 1e-6));
      }),
    );
  });
});

describe('createOptimizer', () => {
  const WITH_WEIGHT_DECAY: readonly string[] = ['adagrad', 'sgd', 'rmsprop', 'adam', 'adamw', 'adadelta'];

  it.each(Object.keys(OPTIMIZERS) as (keyof typeof OPTIMIZERS)[])(
    "'%s' is that optimizer with those options, stepping as the class does",
    (name) => {
      const byName = { w: new Float32Array([1, -2, 3]) };
      const direct = { w: new Float32Array([1, -2, 3]) };
      // The family's newer members have no weight decay; SparseAdam takes sparse gradients only.
      const options = WITH_WEIGHT_DECAY.includes(name) ? { lr: 0.05, weightDecay: 0.01 } : { lr: 0.05 };
      const a = createOptimizer(name, byName, options);
      const b = new OPTIMIZERS[name](direct, options as never);
      expect(a).toBeInstanceOf(OPTIMIZERS[name]);
      const grad = (t: number) =>
        name === 'sparse-adam' ? { indices: [0, 1, 2], values: gradientAt(t, 3) } : gradientAt(t, 3);
      for (let t = 0; t < 5; t++) {
        a.step({ w: grad(t) });
        b.step({ w: grad(t) });
      }
      expect(Array.from(byName.w)).toEqual(Array.from(direct.w));
      expect(Array.from(byName.w)).not.toEqual([1, -2, 3]);
    },
  );

  it('leaves out options given as undefined (no preset chosen means none, for every optimizer)', () => {
    for (const name of Object.keys(OPTIMIZERS) as (keyof typeof OPTIMIZERS)[]) {
      const opt = createOptimizer(name, { w: new Float64Array(2) }, { lr: 0.5, preset: undefined });
      expect(opt.options.lr).toBe(0.5);
    }
  });

  it('passes AdaGrad its preset', () => {
    const opt = createOptimizer('adagrad', { w: new Float32Array(2) }, { preset: 'keras' });
    expect(opt.options).toMatchObject({ lr: 0.001, eps: 1e-7, initialAccumulatorValue: 0.1 });
  });

  it('refuses an unknown name and a preset for another optimizer, naming them', () => {
    const params = { w: new Float32Array(2) };
    expect(() => createOptimizer('adagard' as never, params)).toThrow(
      new OptimizerInputError(
        "unknown optimizer 'adagard' (one of adagrad, sgd, rmsprop, adam, adamw, adadelta, ftrl, adagrad-da, adagrad-norm, sparse-adam, full-matrix-adagrad)",
      ),
    );
    expect(() => createOptimizer('toString' as never, params)).toThrow(/unknown optimizer 'toString'/);
    expect(() => createOptimizer('adam', params, { preset: 'keras' })).toThrow(
      /the preset option belongs to adagrad and ftrl, not adam/,
    );
  });
});
