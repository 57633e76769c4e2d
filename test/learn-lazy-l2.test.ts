// Lazy L2 (decay caught up when a weight is next touched) equals decaying every weight after every
// update, computed densely here from the definition in src/learn/linear.ts.
import { describe, expect, it } from 'vitest';
import type { Example } from '../src/data/example.js';
import { LinearLearner } from '../src/learn/index.js';
import { sparseProblem } from './learn-helpers.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const r = Math.fround;

interface DenseOptions {
  bits: number;
  lr: number;
  l2: number;
  optimizer: 'adagrad' | 'sgd';
  /** The keras convention: G starts at 0.1, ε = 1e-7 inside the root. */
  keras?: boolean;
}

/** Logistic regression with L2 applied to every weight after every update (O(2^bits) per example). */
function denseRun(o: DenseOptions, examples: Example[]) {
  const size = 2 ** o.bits;
  const w = new Float32Array(size);
  const start = o.keras ? 0.1 : 0;
  const G = new Float32Array(size).fill(start);
  const b = new Float32Array(1);
  const Gb = new Float32Array(1).fill(start);
  const negLr = r(-o.lr);
  const eps = r(o.keras ? 1e-7 : 1e-10);
  const step = (p: Float32Array, acc: Float32Array, i: number, g: number): void => {
    if (o.optimizer === 'sgd') {
      p[i] = p[i] + negLr * g;
      return;
    }
    const a = r(acc[i] + r(g * g));
    acc[i] = a;
    if (o.keras) p[i] = p[i] + r(r(negLr * g) / r(Math.sqrt(r(a + eps))));
    else p[i] = p[i] + negLr * r(g / r(r(Math.sqrt(a)) + eps));
  };
  for (const ex of examples) {
    if (ex.weight === 0) continue;
    let z = b[0];
    for (let j = 0; j < ex.indices.length; j++) z += w[ex.indices[j]] * ex.values[j];
    const dz = (sigmoid(z) - (ex.label > 0 ? 1 : 0)) * ex.weight;
    for (let j = 0; j < ex.indices.length; j++) step(w, G, ex.indices[j], r(dz * ex.values[j]));
    step(b, Gb, 0, r(dz));
    for (let i = 0; i < size; i++) {
      if (w[i] === 0) continue;
      const rate =
        o.optimizer === 'sgd'
          ? o.lr
          : o.keras
            ? o.lr / Math.sqrt(r(G[i] + eps))
            : o.lr / (r(Math.sqrt(G[i])) + eps);
      w[i] = w[i] * Math.max(0, 1 - o.l2 * rate);
    }
  }
  return { w, b };
}

describe('lazy L2 = dense L2 applied every step', () => {
  for (const [name, optimizer, keras] of [
    ['adagrad', 'adagrad', false],
    ['adagrad, keras preset (ε inside, G from 0.1)', 'adagrad', true],
    ['sgd', 'sgd', false],
  ] as const) {
    it(name, () => {
      const o: DenseOptions = { bits: 7, lr: optimizer === 'sgd' ? 0.5 : 0.3, l2: 0.01, optimizer, keras };
      const examples = sparseProblem({ examples: 600, bits: 7, nonzeros: 4, labels: 'binary' });
      const preset = keras ? { preset: 'keras' as const } : {};
      const learner = new LinearLearner({ bits: o.bits, lr: o.lr, l2: o.l2, optimizer, ...preset });
      for (const ex of examples) learner.learn(ex);
      const dense = denseRun(o, examples);
      const plain = new LinearLearner({ bits: o.bits, lr: o.lr, optimizer, ...preset });
      for (const ex of examples) plain.learn(ex);
      let shrunk = 0;
      for (let i = 0; i < learner.size; i++) {
        const lazy = learner.weight(i);
        // Float32 rounding differs (one power instead of k products) and then travels through later
        // gradients: agreement to about 20 float32 ulps of the largest weight.
        expect(Math.abs(lazy - dense.w[i])).toBeLessThanOrEqual(1e-6);
        if (Math.abs(lazy) < Math.abs(plain.w[i]) * 0.9) shrunk++;
      }
      expect(learner.b[0]).toBeCloseTo(dense.b[0], 6);
      // The penalty matters on this problem: many weights end well below their unpenalized size.
      expect(shrunk).toBeGreaterThan(learner.size / 4);
      // Predictions read the pending decay without applying it, and agree with the dense model.
      for (const ex of examples.slice(0, 50)) {
        let z = dense.b[0];
        for (let j = 0; j < ex.indices.length; j++) z += dense.w[ex.indices[j]] * ex.values[j];
        expect(learner.predict(ex)).toBeCloseTo(sigmoid(z), 5);
      }
      // Bringing every weight up to date changes nothing a prediction sees.
      const before = examples.slice(0, 20).map((ex) => learner.predict(ex));
      learner.applyPendingDecay();
      examples.slice(0, 20).forEach((ex, i) => expect(learner.predict(ex)).toBeCloseTo(before[i], 7));
    });
  }
});
