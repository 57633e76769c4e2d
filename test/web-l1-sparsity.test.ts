import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Adagrad, featureIndex, logisticGradient } from '../src/index.js';
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

  it('with λ = 0, ℓ1-AdaGrad is plain AdaGrad: the same weights as the library without ℓ1', () => {
    const model = trainSparseModel('adagrad', 0, split);
    const w = new Float64Array(2 ** L1_BITS);
    const b = new Float64Array(1);
    const weights = new Adagrad({ w }, { lr: SPARSE_LR.adagrad });
    const bias = new Adagrad({ b }, { lr: SPARSE_LR.adagrad });
    for (let pass = 0; pass < PASSES; pass++) {
      for (const m of split.train) {
        let z = b[0];
        m.indices.forEach((i, j) => (z += w[i] * m.values[j]));
        const dz = logisticGradient(z, m.spam);
        weights.step({ w: { indices: m.indices, values: m.values.map((v) => dz * v) } });
        bias.step({ b: new Float64Array([dz]) });
      }
    }
    expect(model.weights).toEqual(w);
    expect(model.bias).toBe(b[0]);
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

  it('ℓ1-AdaGrad at the same λ zeros far fewer: its shrink acts only on the steps a word appears in', () => {
    const ftrl = trainSparseModel('ftrl', DEFAULT_LAMBDA, split);
    const adagrad = trainSparseModel('adagrad', DEFAULT_LAMBDA, split);
    expect(adagrad.nonzeros).toBeGreaterThan(0.8 * touched.size);
    expect(adagrad.nonzeros).toBeLessThan(touched.size);
    expect(adagrad.nonzeros).toBeGreaterThan(10 * ftrl.nonzeros);
    // A per-step term near the gradients' own size does make it sparse, and costs it its accuracy.
    const strong = trainSparseModel('adagrad', 40, split);
    expect(strong.l1).toBeCloseTo(0.1, 12);
    expect(strong.nonzeros).toBeLessThan(0.1 * touched.size);
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
  it('runs over 1, 2 and 5 in each decade of the slider’s grid', () => {
    expect(SWEEP_LAMBDAS).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]);
    for (const lambda of SWEEP_LAMBDAS) expect(LAMBDA_GRID).toContain(lambda);
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
    expect(sparsestNearBest(curve)).toEqual({ lambda: 0.05, nonzeros: 300, accuracy: 94 });
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

    it('near its best accuracy FTRL-Proximal gets far sparser than ℓ1-AdaGrad, the point the paper made on RCV1', () => {
      const sparseFtrl = sparsestNearBest(ftrl);
      const sparseAdagrad = sparsestNearBest(adagrad);
      expect(sparseFtrl.accuracy).toBeGreaterThanOrEqual(Math.max(...ftrl.accuracy) - ACCURACY_SLACK);
      expect(sparseFtrl.nonzeros).toBeLessThan(0.2 * sparseAdagrad.nonzeros);
      expect(sweepCaption([ftrl, adagrad], formatValue)).toBe(
        `Each point is one training run at that λ. Within 2 points of its best held-out accuracy, ` +
          `FTRL-Proximal (best ${formatValue(Math.max(...ftrl.accuracy))}%) gets down to ` +
          `${formatCount(sparseFtrl.nonzeros)} nonzero weights at λ = ${formatValue(sparseFtrl.lambda)}; ` +
          `ℓ1-AdaGrad (best ${formatValue(Math.max(...adagrad.accuracy))}%) gets down to ` +
          `${formatCount(sparseAdagrad.nonzeros)} nonzero weights at λ = ${formatValue(sparseAdagrad.lambda)}.`,
      );
    });
  });
});
