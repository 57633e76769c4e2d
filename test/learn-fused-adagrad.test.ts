// The learner's fused AdaGrad (and SGD) loops must be the library's optimizers, bit for bit: the
// weights after N examples equal those of the library stepped with the same sparse gradients.
import { describe, expect, it } from 'vitest';
import type { Example } from '../src/data/example.js';
import { LinearLearner, type LearnerOptionsInput } from '../src/learn/index.js';
import { alloc } from '../src/kernels/index.js';
import { Adagrad, SGD, type AdagradPreset } from '../src/optim/index.js';
import { sparseProblem } from './learn-helpers.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** dL/dz per class, from the losses' definitions (not the learner's code). */
function scoreGradients(options: LearnerOptionsInput, scores: number[], label: number): number[] {
  switch (options.loss ?? 'logistic') {
    case 'logistic':
      return [sigmoid(scores[0]) - (label > 0 ? 1 : 0)];
    case 'squared':
      return [2 * (scores[0] - label)];
    case 'hinge': {
      const y = label > 0 ? 1 : -1;
      return [y * scores[0] < 1 ? -y : 0];
    }
    default: {
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const total = e.reduce((a, b) => a + b, 0);
      return e.map((v, k) => v / total - (k === label ? 1 : 0));
    }
  }
}

/** Runs the library optimizer on {w, b} with the example's sparse gradient, as the learner defines it. */
function libraryRun(
  options: LearnerOptionsInput,
  examples: Example[],
  make: (p: { w: Float32Array; b: Float32Array }) => Adagrad | SGD,
  allocate: (n: number) => Float32Array = (n) => new Float32Array(n),
) {
  const K = options.classes ?? 1;
  const size = 2 ** (options.bits as number);
  const w = allocate(size * K);
  const b = allocate(K);
  const opt = make({ w, b });
  for (const ex of examples) {
    const scores = Array.from({ length: K }, (_, k) => {
      let z = b[k];
      for (let j = 0; j < ex.indices.length; j++) z += w[(ex.indices[j] & (size - 1)) * K + k] * ex.values[j];
      return z;
    });
    if (ex.weight === 0) continue;
    const dz = scoreGradients(options, scores, ex.label).map((d) => d * ex.weight);
    const values = new Float32Array(ex.indices.length * K);
    for (let j = 0; j < ex.indices.length; j++)
      for (let k = 0; k < K; k++) values[j * K + k] = dz[k] * ex.values[j];
    const rows = Array.from(ex.indices, (i) => i & (size - 1));
    opt.step({
      w: { indices: rows, values },
      b: { indices: Array.from({ length: K }, (_, k) => k), values: Float32Array.from(dz) },
    } as never);
  }
  return { w, b };
}

// Bias as a sparse {indices: [0..K-1]} gradient: the learner uses the sparse arithmetic for it too.
// For b the library needs row size 1 over K rows, so give b's gradient per class.
describe('fused AdaGrad = library Adagrad (bit for bit)', () => {
  const presets: AdagradPreset[] = ['pytorch', 'keras', 'tfjs', 'optax', 'paper'];
  for (const preset of presets) {
    it(`logistic, preset ${preset}, with duplicate indices`, () => {
      const options: LearnerOptionsInput = { loss: 'logistic', bits: 6, preset, lr: 0.3 };
      const examples = sparseProblem({
        examples: 300,
        bits: 6,
        nonzeros: 5,
        labels: 'binary',
        duplicates: true,
      });
      const learner = new LinearLearner(options);
      for (const ex of examples) learner.learn(ex);
      const ref = libraryRun(options, examples, (p) => new Adagrad(p, { preset, lr: 0.3 }));
      expect(Array.from(learner.w)).toEqual(Array.from(ref.w));
      expect(Array.from(learner.b)).toEqual(Array.from(ref.b));
      expect(learner.w.some((v) => v !== 0)).toBe(true);
    });
  }

  for (const loss of ['squared', 'hinge'] as const) {
    it(`${loss} loss`, () => {
      const options: LearnerOptionsInput = { loss, bits: 5, lr: 0.1 };
      const examples = sparseProblem({
        examples: 200,
        bits: 5,
        nonzeros: 4,
        labels: loss === 'squared' ? 'real' : 'binary',
      });
      const learner = new LinearLearner(options);
      for (const ex of examples) learner.learn(ex);
      const ref = libraryRun(options, examples, (p) => new Adagrad(p, { lr: 0.1 }));
      expect(Array.from(learner.w)).toEqual(Array.from(ref.w));
      expect(Array.from(learner.b)).toEqual(Array.from(ref.b));
    });
  }

  it('softmax with 3 classes (rows of K weights)', () => {
    const options: LearnerOptionsInput = { loss: 'softmax', classes: 3, bits: 5, lr: 0.4 };
    const examples = sparseProblem({ examples: 250, bits: 5, nonzeros: 4, labels: 3, duplicates: true });
    const learner = new LinearLearner(options);
    for (const ex of examples) learner.learn(ex);
    const ref = libraryRun(options, examples, (p) => new Adagrad(p, { lr: 0.4 }));
    expect(Array.from(learner.w)).toEqual(Array.from(ref.w));
    expect(Array.from(learner.b)).toEqual(Array.from(ref.b));
  });

  it('equals the WebAssembly sparse kernel too (parameters in kernel memory)', () => {
    const options: LearnerOptionsInput = { loss: 'logistic', bits: 6, lr: 0.3 };
    const examples = sparseProblem({
      examples: 300,
      bits: 6,
      nonzeros: 5,
      labels: 'binary',
      duplicates: true,
    });
    const learner = new LinearLearner(options);
    for (const ex of examples) learner.learn(ex);
    const ref = libraryRun(options, examples, (p) => new Adagrad(p, { lr: 0.3 }), alloc);
    expect(Array.from(learner.w)).toEqual(Array.from(ref.w));
    expect(Array.from(learner.b)).toEqual(Array.from(ref.b));
  });

  it('initial accumulator and eps overrides reach the fused loop', () => {
    const options: LearnerOptionsInput = { bits: 5, lr: 0.2, initialAccumulatorValue: 0.5, eps: 1e-3 };
    const examples = sparseProblem({ examples: 100, bits: 5, nonzeros: 3, labels: 'zeroone' });
    const learner = new LinearLearner(options);
    for (const ex of examples) learner.learn(ex);
    const ref = libraryRun(
      options,
      examples,
      (p) => new Adagrad(p, { lr: 0.2, initialAccumulatorValue: 0.5, eps: 1e-3 }),
    );
    expect(Array.from(learner.w)).toEqual(Array.from(ref.w));
  });
});

describe('sparse SGD = library SGD (bit for bit)', () => {
  it('logistic', () => {
    const options: LearnerOptionsInput = { optimizer: 'sgd', bits: 6, lr: 0.7 };
    const examples = sparseProblem({
      examples: 200,
      bits: 6,
      nonzeros: 5,
      labels: 'binary',
      duplicates: true,
    });
    const learner = new LinearLearner(options);
    for (const ex of examples) learner.learn(ex);
    // Dense library SGD with zero gradients elsewhere leaves untouched weights exactly as they are.
    const ref = libraryRun(options, examples, (p) => {
      const sgd = new SGD(p, { lr: 0.7 });
      return {
        step(grads: { w: { indices: number[]; values: Float32Array }; b: { values: Float32Array } }) {
          const dense = new Float32Array(p.w.length);
          grads.w.indices.forEach((i, j) => (dense[i] += grads.w.values[j]));
          sgd.step({ w: dense, b: grads.b.values });
        },
      } as never;
    });
    expect(Array.from(learner.w)).toEqual(Array.from(ref.w));
    expect(Array.from(learner.b)).toEqual(Array.from(ref.b));
  });
});
