// The training demo's model, with no DOM: logistic regression on hashed words, trained one message
// at a time by the library's optimizers, scored by progressive validation (each message is predicted
// before the model learns from it, as Vowpal Wabbit reports its "average loss").
import { Adagrad, SGD, hashedBagOfWords, tokenize } from '../../src/index.js';

export interface LabelledMessage {
  /** 1 for spam, 0 for ham. */
  spam: number;
  text: string;
}

/** A message as features: sorted distinct hashed word indices, values of unit total length. */
export interface HashedMessage {
  spam: 0 | 1;
  indices: Uint32Array;
  values: Float32Array;
}

export type TrainerKind = 'sgd' | 'adagrad';

/** 2^14 weights: few collisions for a few thousand distinct words, and a dense SGD step stays cheap. */
export const HASH_BITS = 14;

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
    return { spam: m.spam, ...hashedBagOfWords(tokenize(m.text), bits) };
  });
}

/** log(1 + e^z), without overflow for large z. */
function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Log loss of the logit z for label y ∈ {0, 1}: -y·log σ(z) - (1-y)·log(1-σ(z)). */
export function logLoss(z: number, y: 0 | 1): number {
  return softplus(z) - y * z;
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
  /** The model's weights (hashed words) and bias, updated in place by the optimizer. */
  readonly params: { readonly w: Float64Array; readonly b: Float64Array };
  /** Trains on up to `count` more messages; returns true when every message has been seen. */
  advance(count: number): boolean;
}

/**
 * One pass of online logistic regression over `data`. AdaGrad gets sparse gradients (only the words
 * of the message), as it was designed for; the library's SGD takes dense gradients, which for plain
 * SGD (no momentum, no weight decay) change exactly the same coordinates.
 */
/** Defaults near each optimizer's best on this sample (a sweep from 0.1 to 10 on the sample: SGD best 0.37 at lr 2, AdaGrad 0.22 at lr 1). */
export const DEFAULT_LR: Readonly<Record<TrainerKind, number>> = { sgd: 2, adagrad: 1 };

export function createTrainingRun(
  kind: TrainerKind,
  lr: number,
  data: readonly HashedMessage[],
  bits = HASH_BITS,
): TrainingRun {
  if (!(lr > 0 && Number.isFinite(lr)))
    throw new Error(`training run: lr must be a positive number, got ${lr}`);
  const dimension = 2 ** bits;
  // Float64 parameters: the library runs them through its reference kernels, the code shown above.
  const params = { w: new Float64Array(dimension), b: new Float64Array(1) };
  const optimizer: Adagrad | SGD = kind === 'adagrad' ? new Adagrad(params, { lr }) : new SGD(params, { lr });
  const denseGrad = new Float64Array(dimension);
  const curve: number[] = [];
  let lossSum = 0;
  let correct = 0;

  const learnFrom = (m: HashedMessage): void => {
    let z = params.b[0];
    for (let j = 0; j < m.indices.length; j++) z += params.w[m.indices[j]] * m.values[j];
    lossSum += logLoss(z, m.spam);
    if (z > 0 === (m.spam === 1)) correct++;
    curve.push(lossSum / (curve.length + 1));
    // d loss / d z = σ(z) - y; the weights' gradient is that times the features.
    const dz = 1 / (1 + Math.exp(-z)) - m.spam;
    const values = m.values.map((v) => dz * v);
    if (kind === 'adagrad') {
      optimizer.step({ w: { indices: m.indices, values }, b: [dz] });
    } else {
      for (let j = 0; j < m.indices.length; j++) denseGrad[m.indices[j]] = values[j];
      optimizer.step({ w: denseGrad, b: [dz] });
      for (let j = 0; j < m.indices.length; j++) denseGrad[m.indices[j]] = 0;
    }
  };

  return {
    kind,
    lr,
    total: data.length,
    curve,
    params,
    get seen() {
      return curve.length;
    },
    get accuracy() {
      return curve.length === 0 ? 0 : correct / curve.length;
    },
    advance(count) {
      const end = Math.min(data.length, curve.length + count);
      while (curve.length < end) learnFrom(data[curve.length]);
      return curve.length === data.length;
    },
  };
}
