import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Adagrad, featureIndex, Ftrl, logisticGradient } from '../src/index.js';
import { formatCount, formatValue } from '../web/figures/format.js';
import {
  ACCURACY_SLACK,
  DEFAULT_LAMBDA,
  l1For,
  L1_BITS,
  LAMBDA_GRID,
  PASSES,
  SPARSE_LEARNERS,
  SPARSE_LR,
  SparseModels,
  sparsestNearBest,
  splitSample,
  survivors,
  SWEEP_LAMBDAS,
  sweepCaption,
  sweepCurves,
  trainSparseModel,
} from '../web/sections/l1-sparsity/model.js';
import type { LabelledMessage } from '../web/lib/spam-sample.js';

const sample = JSON.parse(readFileSync(new URL('../web/lib/spam-sample.json', import.meta.url), 'utf8')) as {
  messages: LabelledMessage[];
};
const split = splitSample(sample.messages);

describe('splitSample', () => {
  it('holds out the last fifth and remembers which training words hash to each weight', () => {
    expect(split.train).toHaveLength(400);
    expect(split.test).toHaveLength(100);
    expect(split.test[0].spam).toBe(sample.messages[400].spam);
    expect(split.words.get(featureIndex('', 'free', L1_BITS))).toContain('free');
  });

  it('names the message with a bad label', () => {
    expect(() =>
      splitSample([
        { spam: 1, text: 'a' },
        { spam: 2, text: 'b' },
      ]),
    ).toThrow(/message 1: label/);
  });
});

describe('trainSparseModel', () => {
  const touched = new Set<number>();
  for (const m of split.train) for (const i of m.indices) touched.add(i);

  it('gives λ the same meaning for both: FTRL takes the total, the per-step composite term λ/T', () => {
    expect(l1For('ftrl', 4, 400)).toBe(4);
    expect(l1For('adagrad', 4, 400)).toBe(0.01);
  });

  /**
   * The run the learner makes, by hand with the library's optimizers: each message's logit, then one
   * step of the weights (a sparse gradient over its words, or a dense one with zeros elsewhere) and one
   * of the bias (no ℓ1).
   */
  function byHand(
    learner: 'ftrl' | 'adagrad',
    lambda: number,
    float: Float32ArrayConstructor | Float64ArrayConstructor,
    gradients: 'sparse' | 'dense',
  ) {
    const w = new float(2 ** L1_BITS);
    const b = new float(1);
    const lr = SPARSE_LR[learner];
    const l1 = l1For(learner, lambda, split.train.length * PASSES);
    const Optimizer = learner === 'ftrl' ? Ftrl : Adagrad;
    const weights = new Optimizer({ w }, { lr, l1 });
    const bias = new Optimizer({ b }, { lr });
    const dense = new float(w.length);
    for (let pass = 0; pass < PASSES; pass++) {
      for (const m of split.train) {
        let z = b[0];
        m.indices.forEach((i, j) => (z += w[i] * m.values[j]));
        const dz = logisticGradient(z, m.spam);
        if (gradients === 'dense') {
          dense.fill(0);
          m.indices.forEach((i, j) => (dense[i] = dz * m.values[j]));
          weights.step({ w: dense });
        } else {
          const values = new float(m.values.length);
          m.values.forEach((v, j) => (values[j] = dz * v));
          weights.step({ w: { indices: m.indices, values } });
        }
        bias.step({ b: float.of(dz) });
      }
    }
    return { w, b: b[0] };
  }

  it('FTRL-Proximal through the learner is the library’s Ftrl stepped by hand, bit for bit (float32)', () => {
    for (const lambda of [0.1, DEFAULT_LAMBDA, 2]) {
      const model = trainSparseModel('ftrl', lambda, split);
      const hand = byHand('ftrl', lambda, Float32Array, 'sparse');
      expect(model.weights).toEqual(hand.w);
      expect(model.bias).toBe(hand.b);
    }
  });

  it('ℓ1-AdaGrad through the learner shrinks every weight at every step: the library’s Adagrad with ℓ1 on dense gradients', () => {
    for (const lambda of [0.1, DEFAULT_LAMBDA, 2]) {
      const model = trainSparseModel('adagrad', lambda, split);
      // In float64, each step over all 2^14 weights; the learner (float32) applies a weight's missed
      // shrinks when its word next appears, in closed form. The same words survive, the same weights.
      const hand = byHand('adagrad', lambda, Float64Array, 'dense');
      let largest = 0;
      hand.w.forEach((v, i) => {
        expect(model.weights[i] !== 0).toBe(v !== 0);
        largest = Math.max(largest, Math.abs(model.weights[i] - v));
      });
      expect(largest).toBeLessThan(1e-5);
      // Stepped on sparse gradients instead, only the weights of each message's words would shrink.
      const touchedOnly = byHand('adagrad', lambda, Float64Array, 'sparse');
      expect(touchedOnly.w.filter((v) => v !== 0).length).toBeGreaterThan(1.5 * model.nonzeros);
    }
  });

  it('with λ = 0, both keep every word seen in training and classify the held-out messages well', () => {
    for (const learner of ['ftrl', 'adagrad'] as const) {
      const dense = trainSparseModel(learner, 0, split);
      expect(dense.nonzeros).toBe(touched.size);
      expect(dense.accuracy).toBeGreaterThanOrEqual(0.93);
      expect(dense.testSize).toBe(100);
    }
  });

  it('FTRL-Proximal at the default λ keeps a few percent of the weights and nearly all the accuracy', () => {
    const dense = trainSparseModel('ftrl', 0, split);
    const sparse = trainSparseModel('ftrl', DEFAULT_LAMBDA, split);
    expect(sparse.nonzeros).toBeGreaterThan(20);
    expect(sparse.nonzeros).toBeLessThan(0.05 * dense.nonzeros);
    expect(sparse.accuracy).toBeGreaterThan(dense.accuracy - 0.05);
    // Counted, not estimated: nonzeros is exactly the number of weights that are not 0.
    expect(sparse.nonzeros).toBe(sparse.weights.filter((v) => v !== 0).length);
  });

  it('ℓ1-AdaGrad at the same λ keeps several times as many: a word seen late keeps part of its first step', () => {
    const ftrl = trainSparseModel('ftrl', DEFAULT_LAMBDA, split);
    const adagrad = trainSparseModel('adagrad', DEFAULT_LAMBDA, split);
    expect(adagrad.nonzeros).toBeGreaterThan(3 * ftrl.nonzeros);
    expect(adagrad.nonzeros).toBeLessThan(0.5 * touched.size);
    expect(adagrad.accuracy).toBeGreaterThanOrEqual(ftrl.accuracy - 0.02);
    // A per-step term near the gradients' own size empties the model, and costs it its accuracy.
    const strong = trainSparseModel('adagrad', 40, split);
    expect(strong.l1).toBeCloseTo(0.1, 12);
    expect(strong.nonzeros).toBeLessThan(0.01 * touched.size);
    expect(strong.accuracy).toBeLessThan(ftrl.accuracy - 0.1);
  });

  it('rejects a negative or non-finite λ', () => {
    expect(() => trainSparseModel('ftrl', -1, split)).toThrow(/λ must be/);
    expect(() => trainSparseModel('ftrl', Number.NaN, split)).toThrow(/λ must be/);
  });
});

describe('survivors', () => {
  it('lists every nonzero weight, largest |w| first, with the words hashed to it', () => {
    const model = trainSparseModel('ftrl', DEFAULT_LAMBDA, split);
    const all = survivors(model, split);
    expect(all).toHaveLength(model.nonzeros);
    for (let k = 1; k < all.length; k++) {
      expect(Math.abs(all[k - 1].weight)).toBeGreaterThanOrEqual(Math.abs(all[k].weight));
    }
    for (const s of all) {
      expect(model.weights[s.index]).toBe(s.weight);
      for (const word of s.words) expect(featureIndex('', word, L1_BITS)).toBe(s.index);
    }
    expect(survivors(model, split, 5)).toEqual(all.slice(0, 5));
  });
});

describe('the λ sweep', () => {
  it('runs over every λ the slider offers, 0.01 to 100', () => {
    expect(SWEEP_LAMBDAS).toEqual(LAMBDA_GRID);
    expect(SWEEP_LAMBDAS).toHaveLength(25);
    expect([SWEEP_LAMBDAS[0], SWEEP_LAMBDAS.at(-1)]).toEqual([0.01, 100]);
  });

  it('trains each model once and serves it again, the same as a fresh training', () => {
    const models = new SparseModels(split);
    expect(models.has('ftrl', 2)).toBe(false);
    const first = models.get('ftrl', 2);
    expect(models.has('ftrl', 2)).toBe(true);
    expect(models.get('ftrl', 2)).toBe(first);
    expect(first.weights).toEqual(trainSparseModel('ftrl', 2, split).weights);
    expect(models.has('adagrad', 2)).toBe(false);
  });

  it('holds NaN where a λ is not trained yet, and the model’s counts where it is', () => {
    const models = new SparseModels(split);
    expect(sweepCurves(undefined).every((c) => c.nonzeros.every(Number.isNaN))).toBe(true);
    const model = models.get('adagrad', 0.1);
    const [ftrl, adagrad] = sweepCurves(models);
    expect(ftrl.learner).toBe('ftrl');
    expect(ftrl.nonzeros.every(Number.isNaN)).toBe(true);
    const at = SWEEP_LAMBDAS.indexOf(0.1);
    expect(adagrad.nonzeros[at]).toBe(model.nonzeros);
    expect(adagrad.accuracy[at]).toBe(100 * model.accuracy);
    expect(adagrad.nonzeros.filter(Number.isFinite)).toHaveLength(1);
  });

  it('picks the sparsest point within two accuracy points of the best', () => {
    const curve = {
      learner: 'ftrl' as const,
      nonzeros: [900, 500, 300, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      accuracy: [95, 96, 94, 93.5, 62, 62, 62, 62, 62, 62, 62, 62, 62],
    };
    expect(sparsestNearBest(curve)).toEqual({ lambda: SWEEP_LAMBDAS[2], nonzeros: 300, accuracy: 94 });
  });

  describe('on the spam sample', () => {
    const models = new SparseModels(split);
    for (const lambda of SWEEP_LAMBDAS) for (const learner of SPARSE_LEARNERS) models.get(learner, lambda);
    const [ftrl, adagrad] = sweepCurves(models);

    it('each learner keeps fewer weights as λ grows, down to none at λ = 100', () => {
      for (const curve of [ftrl, adagrad]) {
        for (let i = 1; i < curve.nonzeros.length; i++) {
          expect(curve.nonzeros[i]).toBeLessThanOrEqual(curve.nonzeros[i - 1]);
        }
        expect(curve.nonzeros.at(-1)).toBe(0);
      }
    });

    it('λ for λ, ℓ1-AdaGrad keeps at least as many weights from λ = 0.05 up, as the paper found on RCV1', () => {
      const from = SWEEP_LAMBDAS.indexOf(0.05);
      for (let i = from; i < SWEEP_LAMBDAS.length; i++) {
        expect(adagrad.nonzeros[i]).toBeGreaterThanOrEqual(ftrl.nonzeros[i]);
      }
      expect(adagrad.nonzeros[from - 1]).toBeLessThan(ftrl.nonzeros[from - 1]);
      // Near its best accuracy, FTRL-Proximal gets sparser than ℓ1-AdaGrad does near its own.
      const sparseFtrl = sparsestNearBest(ftrl);
      const sparseAdagrad = sparsestNearBest(adagrad);
      expect(sparseFtrl.accuracy).toBeGreaterThanOrEqual(Math.max(...ftrl.accuracy) - ACCURACY_SLACK);
      expect(sparseFtrl.nonzeros).toBeLessThan(0.5 * sparseAdagrad.nonzeros);
    });

    it('says so in its caption, with the numbers of the slider’s λ', () => {
      const at = SWEEP_LAMBDAS.indexOf(DEFAULT_LAMBDA);
      const sparseFtrl = sparsestNearBest(ftrl);
      const sparseAdagrad = sparsestNearBest(adagrad);
      const tradeOff =
        `Traded against accuracy instead: within 2 points of its best held-out accuracy, FTRL-Proximal gets ` +
        `down to ${formatCount(sparseFtrl.nonzeros)} weights (λ = ${formatValue(sparseFtrl.lambda)}), ` +
        `ℓ1-AdaGrad to ${formatCount(sparseAdagrad.nonzeros)} weights (λ = ${formatValue(sparseAdagrad.lambda)}).`;
      const sameLambda =
        'Each point is one training run at that λ. From λ = 0.05 up, ℓ1-AdaGrad keeps at least as many ' +
        'weights as FTRL-Proximal at the same λ';
      expect(sweepCaption([ftrl, adagrad], DEFAULT_LAMBDA, formatValue)).toBe(
        `${sameLambda}: at the marked λ = 0.5, ${formatCount(adagrad.nonzeros[at])} against ` +
          `${formatCount(ftrl.nonzeros[at])} (${formatValue(adagrad.nonzeros[at] / ftrl.nonzeros[at])} times as many), ` +
          `at ${formatValue(adagrad.accuracy[at])}% against ${formatValue(ftrl.accuracy[at])}% held-out accuracy. ${tradeOff}`,
      );
      // Where FTRL keeps nothing, there is no ratio to give.
      expect(ftrl.nonzeros[SWEEP_LAMBDAS.indexOf(20)]).toBe(0);
      expect(sweepCaption([ftrl, adagrad], 20, formatValue)).toBe(`${sameLambda}. ${tradeOff}`);
    });
  });
});
