// Sparse models (l1) and lazy updates in the learner equal the library's optimizers fed the same
// gradients densely (every weight, zeros where the example has no feature), step for step: the
// learner touches only an example's rows, and brings the others up to date when it reads them.
import { describe, expect, it } from 'vitest';
import type { Example } from '../src/data/example.js';
import { LinearLearner, type LearnerOptionsInput } from '../src/learn/index.js';
import { Adagrad, AdagradDA, Ftrl, SparseAdam, type Optimizer } from '../src/optim/index.js';
import { sparseProblem } from './learn-helpers.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

type AnyOpt = Optimizer<{ checkFinite: boolean }>;

/**
 * Logistic regression stepped by library optimizers: `stepW` gets the example's gradient, `stepB` the
 * bias's. `check(t)` runs after every example with the weights then current.
 */
function referenceRun(
  bits: number,
  examples: Example[],
  make: (p: { w: Float32Array; b: Float32Array }) => {
    stepW(rows: number[], dense: Float32Array): void;
    stepB(g: Float32Array): void;
  },
  check: (w: Float32Array, b: Float32Array, t: number) => void,
): void {
  const size = 2 ** bits;
  const w = new Float32Array(size);
  const b = new Float32Array(1);
  const opt = make({ w, b });
  examples.forEach((ex, t) => {
    let z = b[0];
    for (let j = 0; j < ex.indices.length; j++) z += w[ex.indices[j] & (size - 1)] * ex.values[j];
    if (ex.weight > 0) {
      const dz = (sigmoid(z) - (ex.label > 0 ? 1 : 0)) * ex.weight;
      const dense = new Float32Array(size);
      const rows: number[] = [];
      for (let j = 0; j < ex.indices.length; j++) {
        const row = ex.indices[j] & (size - 1);
        if (!rows.includes(row)) rows.push(row);
        dense[row] += Math.fround(dz * ex.values[j]);
      }
      opt.stepW(rows, dense);
      opt.stepB(Float32Array.of(dz));
    }
    check(w, b, t);
  });
}

/** Dense steps of two library optimizers: one for w (with l1, l2), one for b (without). */
function denseSteps(makeW: (w: Float32Array) => AnyOpt, makeB: (b: Float32Array) => AnyOpt) {
  return (p: { w: Float32Array; b: Float32Array }) => {
    const ow = makeW(p.w);
    const ob = makeB(p.b);
    return {
      stepW: (_rows: number[], dense: Float32Array) => ow.step({ w: dense }),
      stepB: (g: Float32Array) => ob.step({ b: g }),
    };
  };
}

function learnerWeights(learner: LinearLearner): number[] {
  return Array.from({ length: learner.size }, (_, i) => learner.weight(i));
}

describe('sparse models: the lazy learner equals dense library steps, step for step', () => {
  const bits = 5;
  const examples = sparseProblem({ examples: 150, bits, nonzeros: 4, labels: 'binary', duplicates: true });

  it('FTRL-Proximal with l1 and l2, bit for bit (an untouched weight is a function of its z, n)', () => {
    const options: LearnerOptionsInput = { bits, optimizer: 'ftrl', lr: 0.5, l1: 0.05, l2: 0.1 };
    const learner = new LinearLearner(options);
    let zeros = 0;
    referenceRun(
      bits,
      examples,
      denseSteps(
        (w) => new Ftrl({ w }, { lr: 0.5, l1: 0.05, l2: 0.1, checkFinite: false }) as never,
        (b) => new Ftrl({ b }, { lr: 0.5, checkFinite: false }) as never,
      ),
      (w, b, t) => {
        learner.learn(examples[t]);
        expect(learnerWeights(learner)).toEqual(Array.from(w));
        expect(learner.b[0]).toBe(b[0]);
        zeros += w.filter((v) => v === 0).length;
      },
    );
    // l1 makes exact zeros among weights that have seen gradients.
    expect(learner.nonzeroWeights()).toBeLessThan(learner.size);
    expect(learner.nonzeroWeights()).toBeGreaterThan(0);
    expect(zeros).toBeGreaterThan(0);
  });

  it('dual averaging with l1 and l2, bit for bit (untouched weights read from s, G and t)', () => {
    const options: LearnerOptionsInput = { bits, optimizer: 'adagrad-da', lr: 0.5, l1: 0.002, l2: 0.01 };
    const learner = new LinearLearner(options);
    referenceRun(
      bits,
      examples,
      denseSteps(
        (w) => new AdagradDA({ w }, { lr: 0.5, l1: 0.002, l2: 0.01, checkFinite: false }) as never,
        (b) => new AdagradDA({ b }, { lr: 0.5, checkFinite: false }) as never,
      ),
      (w, b, t) => {
        learner.learn(examples[t]);
        expect(learnerWeights(learner)).toEqual(Array.from(w));
        expect(learner.b[0]).toBe(b[0]);
      },
    );
    const nonzeros = learner.nonzeroWeights();
    expect(nonzeros).toBeGreaterThan(0);
    expect(nonzeros).toBeLessThan(learner.size);
  });

  for (const l2 of [0, 0.02]) {
    it(`AdaGrad with composite l1${l2 > 0 ? ' and lazy L2' : ''}: untouched weights shrink in closed form`, () => {
      const lr = 0.3;
      const l1 = 0.01;
      const learner = new LinearLearner({ bits, lr, l1, l2 });
      // The dense reference: the library's l1 step on every weight (zero gradients shrink too), then
      // the learner's L2 definition, w ← w·(1 − λ·η) with η = lr/(√G + ε), on every weight.
      referenceRun(
        bits,
        examples,
        (p) => {
          const ow = new Adagrad({ w: p.w }, { lr, l1, checkFinite: false });
          const ob = new Adagrad({ b: p.b }, { lr, checkFinite: false });
          return {
            stepW: (_rows, dense) => {
              ow.step({ w: dense });
              const eta = ow.effectiveLearningRate('w');
              for (let i = 0; i < p.w.length; i++) p.w[i] = p.w[i] * Math.max(0, 1 - l2 * eta[i]);
            },
            stepB: (g) => ob.step({ b: g }),
          };
        },
        (w, b, t) => {
          learner.learn(examples[t]);
          const lazy = learnerWeights(learner);
          const largest = Math.max(...Array.from(w, Math.abs));
          // One closed form instead of k float32 steps: agreement to a few float32 ulps of the
          // largest weight.
          for (let i = 0; i < w.length; i++) {
            expect(Math.abs(lazy[i] - w[i])).toBeLessThanOrEqual(4e-6 * largest);
          }
          // The bias follows the scores, which read those weights.
          expect(Math.abs(learner.b[0] - b[0])).toBeLessThanOrEqual(4e-6 * Math.max(largest, Math.abs(b[0])));
        },
      );
      expect(learner.nonzeroWeights()).toBeLessThan(learner.size);
    });
  }

  it('lazy Adam is the library SparseAdam on the touched rows, bit for bit', () => {
    const learner = new LinearLearner({ bits, optimizer: 'adam', lr: 0.05 });
    expect(learner.path).toBe('library');
    expect(learner.describeUpdates()).toMatch(/lazy Adam \(SparseAdam\)/);
    referenceRun(
      bits,
      examples,
      (p) => {
        const ow = new SparseAdam({ w: p.w }, { lr: 0.05, checkFinite: false });
        const ob = new SparseAdam({ b: p.b }, { lr: 0.05, checkFinite: false });
        return {
          stepW: (rows, dense) =>
            ow.step({ w: { indices: rows, values: Float32Array.from(rows, (r) => dense[r]) } }),
          stepB: (g) => ob.step({ b: { indices: [0], values: g } }),
        };
      },
      (w, b, t) => {
        learner.learn(examples[t]);
        expect(Array.from(learner.w)).toEqual(Array.from(w));
        expect(learner.b[0]).toBe(b[0]);
      },
    );
  });

  it('lazy RMSprop moves only the touched rows; lazy: false is the dense RMSprop', () => {
    const lazy = new LinearLearner({ bits, optimizer: 'rmsprop', lr: 0.01 });
    const dense = new LinearLearner({ bits, optimizer: 'rmsprop', lr: 0.01, lazy: false });
    expect([lazy.path, dense.path]).toEqual(['rmsprop', 'dense']);
    expect(lazy.describeUpdates()).toMatch(/lazy RMSprop/);
    expect(dense.describeUpdates()).toMatch(/dense updates/);
    for (const ex of examples.slice(0, 40)) {
      const before = Float32Array.from(lazy.w);
      lazy.learn(ex);
      dense.learn(ex);
      const touched = new Set(Array.from(ex.indices, (i) => i & (lazy.size - 1)));
      for (let i = 0; i < lazy.size; i++) if (!touched.has(i)) expect(lazy.w[i]).toBe(before[i]);
    }
    // The first step of both is the same on the touched rows (all averages start at 0).
    const first = examples[0];
    const a = new LinearLearner({ bits, optimizer: 'rmsprop', lr: 0.01 });
    const d = new LinearLearner({ bits, optimizer: 'rmsprop', lr: 0.01, lazy: false });
    a.learn(first);
    d.learn(first);
    expect(Array.from(a.w)).toEqual(Array.from(d.w));
  });

  it('l1 is refused, naming the option, by optimizers without it', () => {
    expect(() => new LinearLearner({ optimizer: 'sgd', l1: 0.1 })).toThrow(
      /option 'l1'.*unknown option 'l1'/,
    );
    expect(() => new LinearLearner({ preset: 'keras', l1: 0.1 })).toThrow(
      /option 'l1'.*epsPlacement 'outside'/,
    );
    expect(() => new LinearLearner({ optimizer: 'ftrl', l1: -1 })).toThrow(
      /option 'l1' must be a finite number >= 0/,
    );
  });
});
