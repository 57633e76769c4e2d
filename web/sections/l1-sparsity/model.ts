// "AdaGrad that makes zeros", the model (no DOM): logistic regression on the hashed words of the spam
// sample, trained with an ℓ1 term by the library's FTRL-Proximal and by AdaGrad's composite (ℓ1)
// step, then counted: how many weights are exactly zero, how accurate the model still is on messages
// it never saw, and which words survive with which weights.
import {
  Adagrad,
  Ftrl,
  featureIndex,
  hashedBagOfWords,
  logisticGradient,
  tokenize,
} from '../../../src/index.js';

export const SPARSE_LEARNERS = ['ftrl', 'adagrad'] as const;
export type SparseLearner = (typeof SPARSE_LEARNERS)[number];

export const LEARNER_LABELS: Readonly<Record<SparseLearner, string>> = {
  ftrl: 'FTRL-Proximal',
  adagrad: 'ℓ1-AdaGrad',
};

/** 2^14 hashed weights: a few thousand distinct words in the sample, few collisions. */
export const L1_BITS = 14;

/** The last fifth of the (shuffled) sample is held out: accuracy is measured on it only. */
export const TEST_FRACTION = 0.2;

/** Passes over the training messages (each in the sample's order). */
export const PASSES = 1;

/**
 * Learning rates, FTRL's α and AdaGrad's η: 1 for both, near each one's best at λ = 0 on this sample
 * (held-out accuracy 95% for both; α = 0.1, FTRL's library default, reaches 75% in one pass).
 */
export const SPARSE_LR: Readonly<Record<SparseLearner, number>> = { ftrl: 1, adagrad: 1 };

/** The λ the section opens with: FTRL keeps a few percent of the words and most of the accuracy. */
export const DEFAULT_LAMBDA = 0.5;

export interface LabelledMessage {
  /** 1 for spam, 0 for ham. */
  spam: number;
  text: string;
}

export interface HashedMessage {
  spam: 0 | 1;
  indices: Uint32Array;
  values: Float32Array;
}

export interface SpamSplit {
  train: HashedMessage[];
  test: HashedMessage[];
  /** The training words that hash to each weight (more than one where the hash collides). */
  words: Map<number, string[]>;
}

/** Hashes the sample as the learner does (hashedBagOfWords) and splits it into train and test. */
export function splitSample(messages: readonly LabelledMessage[], bits = L1_BITS): SpamSplit {
  const cut = Math.round(messages.length * (1 - TEST_FRACTION));
  const words = new Map<number, string[]>();
  const hashed = messages.map((m, k): HashedMessage => {
    if (m.spam !== 0 && m.spam !== 1) {
      throw new Error(`spam sample: message ${k}: label must be 0 or 1, got ${String(m.spam)}`);
    }
    const tokens = tokenize(m.text);
    if (k < cut) {
      for (const token of tokens) {
        const index = featureIndex('', token, bits);
        const known = words.get(index);
        if (known === undefined) words.set(index, [token]);
        else if (!known.includes(token)) known.push(token);
      }
    }
    return { spam: m.spam, ...hashedBagOfWords(tokens, bits) };
  });
  return { train: hashed.slice(0, cut), test: hashed.slice(cut), words };
}

/**
 * The ℓ1 term the learner gets for a total penalty λ‖w‖₁ over the pass. FTRL-Proximal's λ₁ is that
 * total (its z sums every gradient so far and is thresholded at λ₁ once); composite mirror descent
 * adds its φ = λ₁‖w‖₁ at every step, so over T steps it must be λ / T to mean the same objective.
 */
export function l1For(learner: SparseLearner, lambda: number, steps: number): number {
  return learner === 'ftrl' ? lambda : lambda / steps;
}

export interface Survivor {
  index: number;
  /** The training words hashed to this weight (empty for none seen in training). */
  words: readonly string[];
  weight: number;
}

export interface SparseModel {
  learner: SparseLearner;
  lambda: number;
  /** The ℓ1 option the optimizer ran with (see l1For). */
  l1: number;
  weights: Float64Array;
  bias: number;
  /** Weights exactly zero are not stored by a sparse model: this many are not. */
  nonzeros: number;
  /** Fraction of the held-out messages classified correctly. */
  accuracy: number;
  testSize: number;
}

/** Logit of one message: b + Σ w_i x_i over its words. */
function score(m: HashedMessage, weights: Float64Array, bias: number): number {
  let z = bias;
  for (let j = 0; j < m.indices.length; j++) z += weights[m.indices[j]] * m.values[j];
  return z;
}

function optimizerFor(learner: SparseLearner, params: Record<string, Float64Array>, l1: number) {
  const lr = SPARSE_LR[learner];
  return learner === 'ftrl' ? new Ftrl(params, { lr, l1 }) : new Adagrad(params, { lr, l1 });
}

/**
 * One online pass of logistic regression with ℓ1 strength λ: each message's gradient goes to the
 * optimizer as a sparse vector over its words. The bias has its own optimizer without ℓ1 (a penalty
 * on the bias would only bias the predictions).
 */
export function trainSparseModel(learner: SparseLearner, lambda: number, split: SpamSplit): SparseModel {
  if (!(lambda >= 0 && Number.isFinite(lambda))) {
    throw new Error(`l1 model: λ must be a finite number >= 0, got ${lambda}`);
  }
  const steps = split.train.length * PASSES;
  const l1 = l1For(learner, lambda, steps);
  const params = { w: new Float64Array(2 ** L1_BITS), b: new Float64Array(1) };
  const weightsOptimizer = optimizerFor(learner, { w: params.w }, l1);
  const biasOptimizer = optimizerFor(learner, { b: params.b }, 0);
  for (let pass = 0; pass < PASSES; pass++) {
    for (const m of split.train) {
      const dz = logisticGradient(score(m, params.w, params.b[0]), m.spam);
      weightsOptimizer.step({ w: { indices: m.indices, values: m.values.map((v) => dz * v) } });
      biasOptimizer.step({ b: new Float64Array([dz]) });
    }
  }
  let nonzeros = 0;
  for (const w of params.w) if (w !== 0) nonzeros++;
  let correct = 0;
  for (const m of split.test) if (score(m, params.w, params.b[0]) > 0 === (m.spam === 1)) correct++;
  return {
    learner,
    lambda,
    l1,
    weights: params.w,
    bias: params.b[0],
    nonzeros,
    accuracy: split.test.length === 0 ? 0 : correct / split.test.length,
    testSize: split.test.length,
  };
}

/** The surviving weights, largest |w| first: what a sparse model file would store. */
export function survivors(model: SparseModel, split: SpamSplit, limit = Infinity): Survivor[] {
  const found: Survivor[] = [];
  model.weights.forEach((weight, index) => {
    if (weight !== 0) found.push({ index, words: split.words.get(index) ?? [], weight });
  });
  found.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.index - b.index);
  return found.slice(0, limit);
}
