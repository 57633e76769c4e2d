/**
 * A spam filter in a few lines: logistic regression on hashed words of the SpamAssassin corpus,
 * trained online with AdaGrad (the learner's defaults), one pass, with a progressive-validation
 * table as Vowpal Wabbit prints it, then scored on held-out mail.
 *
 * Run: npx tsx examples/spam-filter.ts
 */
import { loadCorpus, splitExamples } from '../src/data/node/index.js';
import { classificationMetrics, LinearLearner, trainPasses } from '../src/index.js';

const { train, test } = splitExamples(loadCorpus('spam').examples, 0.2, 1);
const learner = new LinearLearner(); // logistic loss, 2^18 hashed weights, AdaGrad lr 0.5

console.log('average loss   since last   example   label   prediction   features');
await trainPasses(learner, () => train, {
  onProgress: (e) =>
    console.log(
      [
        e.averageLoss.toFixed(4),
        e.sinceLast.toFixed(4),
        e.examples,
        e.label,
        e.prediction.toFixed(4),
        e.features,
      ]
        .map((v, i) => String(v).padStart([12, 12, 9, 7, 12, 10][i]))
        .join(' '),
    ),
});

const m = classificationMetrics(
  test.map((ex) => ex.label),
  test.map((ex) => learner.predict(ex)),
);
console.log(
  `test: ${m.count} messages, accuracy ${(100 * m.accuracy).toFixed(2)}%, AUC ${m.auc?.toFixed(4)}`,
);
console.log(`precision ${m.precision.toFixed(4)}, recall ${m.recall.toFixed(4)}, F1 ${m.f1.toFixed(4)}`);
