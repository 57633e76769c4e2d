/**
 * Measures one pass of the linear learner on the `spam` corpus (seeded 80/20 split, the same split
 * as `adagrad dataset spam`) for a grid of optimizers and learning rates: the numbers behind the
 * defaults table in src/learn/README.md. Run: npx tsx bench/learner-spam.ts [optimizer,...]
 */
import { loadCorpus, splitExamples } from '../src/data/node/index.js';
import { LinearLearner, type OptimizerName } from '../src/learn/index.js';

const corpus = loadCorpus('spam');
const { train, test } = splitExamples(corpus.examples, 0.2, 1);
const grid: Partial<Record<OptimizerName, number[]>> = {
  adagrad: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2],
  sgd: [0.01, 0.1, 0.5, 1, 2, 5],
  rmsprop: [0.0003, 0.001, 0.003, 0.01],
  adam: [0.0003, 0.001, 0.003, 0.01],
  adamw: [0.001],
  adadelta: [0.3, 1, 3],
};
const chosen = (process.argv[2]?.split(',') as OptimizerName[] | undefined) ?? (['adagrad', 'sgd'] as const);
for (const optimizer of chosen) {
  for (const lr of grid[optimizer] ?? []) {
    const learner = new LinearLearner({
      optimizer,
      lr,
      bits: optimizer === 'adagrad' || optimizer === 'sgd' ? 18 : 14,
    });
    const started = performance.now();
    let progressive = 0;
    for (const ex of train) progressive += learner.learn(ex).loss;
    const seconds = (performance.now() - started) / 1000;
    let correct = 0;
    for (const ex of test) correct += learner.predict(ex) > 0.5 === ex.label > 0 ? 1 : 0;
    console.log(
      `${optimizer} lr ${lr}: test accuracy ${((100 * correct) / test.length).toFixed(2)}%, progressive loss ${(progressive / train.length).toFixed(4)}, ${seconds.toFixed(2)} s`,
    );
  }
}
