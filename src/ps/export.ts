/**
 * The store's model as the learner's own LinearLearner, for an ordinary model file that `predict`
 * (and, for AdaGrad, local `train --resume`) reads unchanged: weights, bias, accumulators, counters
 * and the label convention the workers saw.
 */
import type { LabelKind } from '../learn/labels.js';
import { LinearLearner } from '../learn/linear.js';
import type { ModelSpec } from './model-spec.js';
import type { ParameterStore } from './store.js';

export async function exportLearner(store: ParameterStore, spec: ModelSpec): Promise<LinearLearner> {
  const [weights, state] = await store.readAll(spec);
  const info = await store.info();
  const size = 2 ** spec.bits;
  // FTRL's weights are written with the learner's SGD: predictions are the store's, but z and n stay
  // in the store, so continuing such a file locally would not be FTRL (docs/parameter-store.md).
  const learner = new LinearLearner(
    spec.optimizer === 'adagrad'
      ? {
          loss: spec.loss,
          bits: spec.bits,
          optimizer: 'adagrad',
          preset: spec.preset,
          lr: spec.lr,
          eps: spec.eps,
          initialAccumulatorValue: spec.initialAccumulatorValue,
        }
      : { loss: spec.loss, bits: spec.bits, optimizer: 'sgd', lr: spec.lr },
  );
  learner.w.set(weights.subarray(0, size));
  learner.b[0] = weights[size];
  if (learner.gw !== undefined && learner.gb !== undefined) {
    learner.gw.set(state.subarray(0, size));
    learner.gb[0] = state[size];
  }
  learner.examplesSeen = info.updates;
  learner.updates = info.updates;
  learner.labelKind = info.labelKind as LabelKind | undefined;
  return learner;
}
