// The live spam demo's model, no DOM: the library's LinearLearner (logistic loss, hashed words)
// trained one message at a time with SGD or AdaGrad, scored by progressive validation (each message
// is predicted before the model learns from it, as Vowpal Wabbit reports its "average loss").
import {
  DEFAULT_LR as LEARNER_DEFAULT_LR,
  LinearLearner,
  hashedBagOfWords,
  tokenize,
  type Example,
} from '../../../src/index.js';
import { gridParam, roundGrid } from '../../lib/hash-state.js';
import type { LabelledMessage } from '../../lib/spam-sample.js';

export type { LabelledMessage };

/** A message as the learner's example: sorted distinct hashed word indices, values of unit length. */
export interface HashedMessage extends Example {
  spam: 0 | 1;
}

export type TrainerKind = 'sgd' | 'adagrad';

/** 2^14 weights: few collisions for a few thousand distinct words. */
export const HASH_BITS = 14;

/** The learner's own defaults for one pass over unit-length hashed rows (src/learn/options.ts). */
export const DEFAULT_LR: Readonly<Record<TrainerKind, number>> = {
  sgd: LEARNER_DEFAULT_LR.sgd,
  adagrad: LEARNER_DEFAULT_LR.adagrad,
};

export const TRAINING_LR_GRID = roundGrid(0.01, 30);

export const IMPLEMENTATION_PARAMS = {
  sgdLr: gridParam('i.sgd', DEFAULT_LR.sgd, TRAINING_LR_GRID),
  adagradLr: gridParam('i.ada', DEFAULT_LR.adagrad, TRAINING_LR_GRID),
} as const;

/**
 * Tokenizes and hashes each message exactly as the library's learner and corpus export do
 * (hashedBagOfWords: log term frequency, rows of unit length, so a long message does not take a
 * bigger step than a short one just for being long).
 */
export function hashMessages(messages: readonly LabelledMessage[], bits = HASH_BITS): HashedMessage[] {
  return messages.map((m, k) => {
    if (m.spam !== 0 && m.spam !== 1) {
      throw new Error(`spam sample: message ${k}: label must be 0 or 1, got ${String(m.spam)}`);
    }
    const { indices, values } = hashedBagOfWords(tokenize(m.text), bits);
    return { spam: m.spam, label: m.spam, weight: 1, line: k + 1, indices, values };
  });
}

export interface TrainingRun {
  readonly kind: TrainerKind;
  readonly lr: number;
  /** Messages seen so far. */
  readonly seen: number;
  readonly total: number;
  /** curve[i]: the average progressive log loss over the first i + 1 messages. */
  readonly curve: readonly number[];
  /** Fraction of messages seen that were classified correctly before the model learned from them. */
  readonly accuracy: number;
  /** The library's learner being trained (its weights w and bias b). */
  readonly learner: LinearLearner;
  /** Trains on up to `count` more messages; returns true when every message has been seen. */
  advance(count: number): boolean;
}

/**
 * One pass of online logistic regression over `data` by the library's LinearLearner: AdaGrad's update
 * touches only the words of the message (the sparse step shown above, fused into the learner's loop),
 * and so does plain SGD's.
 */
export function createTrainingRun(
  kind: TrainerKind,
  lr: number,
  data: readonly HashedMessage[],
  bits = HASH_BITS,
): TrainingRun {
  if (!(lr > 0 && Number.isFinite(lr)))
    throw new Error(`training run: lr must be a positive number, got ${lr}`);
  const learner = new LinearLearner({ loss: 'logistic', optimizer: kind, lr, bits });
  const curve: number[] = [];
  let lossSum = 0;
  let correct = 0;
  return {
    kind,
    lr,
    total: data.length,
    curve,
    learner,
    get seen() {
      return curve.length;
    },
    get accuracy() {
      return curve.length === 0 ? 0 : correct / curve.length;
    },
    advance(count) {
      const end = Math.min(data.length, curve.length + count);
      while (curve.length < end) {
        const message = data[curve.length];
        const { loss, prediction } = learner.learn(message);
        lossSum += loss;
        if (prediction > 0.5 === (message.spam === 1)) correct++;
        curve.push(lossSum / (curve.length + 1));
      }
      return curve.length === data.length;
    },
  };
}
