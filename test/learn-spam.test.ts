// With no options, one pass of the learner over the real SpamAssassin corpus gives a good model.
import { describe, expect, it } from 'vitest';
import { loadCorpus, splitExamples } from '../src/data/node/index.js';
import { classificationMetrics, LinearLearner, trainPasses } from '../src/learn/index.js';

describe('spam corpus, defaults, one pass', () => {
  it('reaches more than 95% test accuracy (measured: 99.7%)', async () => {
    const { train, test } = splitExamples(loadCorpus('spam').examples, 0.2, 1);
    const learner = new LinearLearner();
    const summary = await trainPasses(learner, () => train);
    expect(summary.learned).toBe(train.length);
    const probabilities = test.map((ex) => learner.predict(ex));
    const m = classificationMetrics(
      test.map((ex) => ex.label),
      probabilities,
    );
    expect(learner.labelKind).toBe('plusminus');
    expect(m.accuracy).toBeGreaterThan(0.95);
    expect(m.auc).toBeGreaterThan(0.99);
    expect(m.count).toBe(test.length);
  });
});
