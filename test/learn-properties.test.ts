// Properties over many random cases (fast-check): AUC equals its pairwise definition, resuming from
// a model saved at any point equals the uninterrupted run, softmax probabilities are a distribution.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, LinearLearner, modelFromSaved, rocAuc } from '../src/learn/index.js';
import { sparseProblem } from './learn-helpers.js';

describe('properties', () => {
  it('AUC = share of (positive, negative) pairs ranked right, ties counting ½', () => {
    const cases = fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 })), {
      minLength: 2,
      maxLength: 40,
    });
    fc.assert(
      fc.property(cases, (rows) => {
        const labels = rows.map(([positive]) => (positive ? 1 : -1));
        const scores = rows.map(([, s]) => s / 5);
        let pairs = 0;
        let wins = 0;
        for (let i = 0; i < rows.length; i++) {
          for (let j = 0; j < rows.length; j++) {
            if (labels[i] > 0 && labels[j] < 0) {
              pairs++;
              wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
            }
          }
        }
        const auc = rocAuc(labels, scores);
        if (pairs === 0) expect(auc).toBeNull();
        else expect(auc).toBeCloseTo(wins / pairs, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('a model encoded after any number of examples resumes to the same bits', () => {
    const examples = sparseProblem({
      examples: 120,
      bits: 6,
      nonzeros: 4,
      labels: 'binary',
      duplicates: true,
    });
    const options = [
      { bits: 6, l2: 0.002 },
      { bits: 6, optimizer: 'sgd' as const },
      { bits: 6, preset: 'optax' as const },
    ];
    const whole = options.map((o) => {
      const learner = new LinearLearner(o);
      for (const ex of examples) learner.learn(ex);
      return learner;
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 2 }), (k, which) => {
        const first = new LinearLearner(options[which]);
        for (const ex of examples.slice(0, k)) first.learn(ex);
        const resumed = modelFromSaved(decodeModel(encodeModel(first.stateForSave())).saved) as LinearLearner;
        for (const ex of examples.slice(k)) resumed.learn(ex);
        expect(Array.from(resumed.w)).toEqual(Array.from(whole[which].w));
        expect(Array.from(resumed.b)).toEqual(Array.from(whole[which].b));
      }),
      { numRuns: 25 },
    );
  });

  it('softmax: probabilities sum to 1, the predicted class is the most probable, and it learns', () => {
    const examples = sparseProblem({ examples: 1500, bits: 6, nonzeros: 5, labels: 3 });
    const learner = new LinearLearner({ loss: 'softmax', classes: 3, bits: 6 });
    let correctLate = 0;
    examples.forEach((ex, i) => {
      const { prediction } = learner.learn(ex);
      if (i >= 1000 && prediction === ex.label) correctLate++;
    });
    // Chance is 1/3; the hidden rule is linear, so late progressive accuracy is far above it.
    expect(correctLate / 500).toBeGreaterThan(0.75);
    for (const ex of examples.slice(0, 30)) {
      const p = learner.predictProba(ex);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(learner.predict(ex)).toBe(p.indexOf(Math.max(...p)));
    }
  });
});
