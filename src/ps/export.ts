/**
 * The store's model as the learner's own LinearLearner, so that its file is the one a local
 * `adagrad train` with the same options writes: weights, bias, the optimizer's state (AdaGrad's G;
 * FTRL's z and n), counters and the label convention the workers saw. `predict` reads it, and local
 * `train --resume` continues it. Which of it goes into the file is the local command's rule, not
 * this module's (src/cli/model.ts).
 *
 * The learner's FTRL is the paper's, β = 1: a store model with another β is given as weights alone
 * (`stateless` says why), since its z and n would be continued with the wrong β.
 */
import type { LabelKind } from '../learn/labels.js';
import { LinearLearner } from '../learn/linear.js';
import type { LearnerOptionsInput } from '../learn/options.js';
import type { ModelSpec } from './model-spec.js';
import type { ParameterStore } from './store.js';

/** β of the learner's FTRL (McMahan et al.'s, the optimizer's 'paper' preset). */
const LEARNER_FTRL_BETA = 1;

export interface ExportedModel {
  learner: LinearLearner;
  /** Why the optimizer state cannot go with it, when it cannot. */
  stateless: string | undefined;
}

export async function exportLearner(store: ParameterStore, spec: ModelSpec): Promise<ExportedModel> {
  const sections = await store.readAll(spec);
  const info = await store.info();
  const size = 2 ** spec.bits;
  const stateless =
    spec.optimizer === 'ftrl' && spec.beta !== LEARNER_FTRL_BETA
      ? `FTRL with beta ${spec.beta}: the learner's FTRL has beta ${LEARNER_FTRL_BETA}, so the file holds the weights alone`
      : undefined;
  const options: LearnerOptionsInput =
    stateless !== undefined
      ? { loss: spec.loss, bits: spec.bits, optimizer: 'sgd', lr: spec.lr }
      : spec.optimizer === 'adagrad'
        ? {
            loss: spec.loss,
            bits: spec.bits,
            optimizer: 'adagrad',
            preset: spec.preset,
            lr: spec.lr,
            eps: spec.eps,
            initialAccumulatorValue: spec.initialAccumulatorValue,
          }
        : { loss: spec.loss, bits: spec.bits, optimizer: 'ftrl', lr: spec.lr, l1: spec.l1, l2: spec.l2 };
  // Filled in through the learner's own saved form: the file format's names for every buffer.
  const saved = new LinearLearner(options).stateForSave();
  const arrays = saved.arrays as Record<string, Float32Array>;
  arrays.w.set(sections[0].subarray(0, size));
  arrays.b[0] = sections[0][size];
  const state = saved.header.state as Record<'w' | 'b', { step: number; buffers: Record<string, string> }>;
  if (stateless === undefined) {
    // The store's records: (w, G) for AdaGrad, (w, z, n) for FTRL.
    const buffers = spec.optimizer === 'adagrad' ? ['sum'] : ['z', 'n'];
    buffers.forEach((buffer, s) => {
      arrays[state.w.buffers[buffer]].set(sections[s + 1].subarray(0, size));
      arrays[state.b.buffers[buffer]][0] = sections[s + 1][size];
    });
    for (const name of ['w', 'b'] as const) state[name].step = info.updates;
  }
  Object.assign(saved.header, {
    examplesSeen: info.updates,
    updates: info.updates,
    labelKind: (info.labelKind as LabelKind | undefined) ?? null,
  });
  return { learner: LinearLearner.fromSaved(saved), stateless };
}
