/**
 * Throughput of each learner path on the spam corpus (median CPU time per pass, bench/measure.ts):
 * the default (AdaGrad's sparse step), lazy L2, the keras preset (ε inside), softmax, sparse SGD, and a dense optimizer
 * (Adam, every weight every example). Run: npx tsx bench/learner-paths.ts
 */
import { loadCorpus } from '../src/data/node/index.js';
import { LinearLearner, type LearnerOptionsInput } from '../src/learn/index.js';
import { time } from './measure.js';

const examples = loadCorpus('spam').examples;
const nonzeros = examples.reduce((s, ex) => s + ex.indices.length, 0);
const paths: [string, LearnerOptionsInput, number][] = [
  ['adagrad (default)', {}, examples.length],
  ['adagrad, l2 1e-6 (lazy decay)', { l2: 1e-6 }, examples.length],
  ['adagrad, keras preset', { preset: 'keras' }, examples.length],
  ['adagrad, softmax K=2', { loss: 'softmax', classes: 2, firstClass: 0 }, examples.length],
  ['sgd (sparse)', { optimizer: 'sgd' }, examples.length],
  ['adam (dense, 2^18 weights)', { optimizer: 'adam' }, 300],
];
for (const [name, options, count] of paths) {
  const learner = new LinearLearner(options);
  const data =
    options.loss === 'softmax' ? examples.map((ex) => ({ ...ex, label: ex.label > 0 ? 1 : 0 })) : examples;
  const slice = data.slice(0, count);
  const seconds = time(() => {
    for (const ex of slice) learner.learn(ex);
  }).seconds;
  const nnz =
    count === examples.length ? nonzeros : data.slice(0, count).reduce((s, ex) => s + ex.indices.length, 0);
  console.log(
    `${name}: ${(nnz / seconds / 1e6).toFixed(1)} M nonzeros/s, ${((seconds / count) * 1e6).toFixed(1)} µs per example`,
  );
}
