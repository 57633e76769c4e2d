// "AdaGrad that makes zeros", the model (no DOM): logistic regression on the hashed words of the spam
// sample, trained with an ℓ1 term by the library's LinearLearner, with FTRL-Proximal and with
// AdaGrad's composite (ℓ1) step, then counted: how many weights are exactly zero, how accurate the
// model still is on messages it never saw, and which words survive with which weights.
import { featureIndex, LinearLearner, tokenize } from '../../../src/index.js';
import { formatCount } from '../../figures/format.js';
import { displayTex } from '../../lib/formula.js';
import { enumParam, gridParam, roundGrid } from '../../lib/hash-state.js';
import type { LabelledMessage } from '../../lib/spam-sample.js';
import { HASH_BITS, hashMessages, type HashedMessage } from '../implementation/training-model.js';

export const SPARSE_LEARNERS = ['ftrl', 'adagrad'] as const;
export type SparseLearner = (typeof SPARSE_LEARNERS)[number];

export const LEARNER_LABELS: Readonly<Record<SparseLearner, string>> = {
  ftrl: 'FTRL-Proximal',
  adagrad: 'ℓ1-AdaGrad',
};

/** The live demo's hashed weights (2^14): a few thousand distinct words in the sample, few collisions. */
export const L1_BITS = HASH_BITS;

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

/** λ on a log grid of round numbers, from barely any penalty to one that empties FTRL's model. */
export const LAMBDA_GRID = roundGrid(0.01, 100);

/**
 * The λ of the sweep figure: every λ the slider can take (25 runs per learner, a few milliseconds
 * each), so the slider's mark always stands on a point and a model trained for one serves the other.
 */
export const SWEEP_LAMBDAS = LAMBDA_GRID;

/** The section's URL state: λ, and whose surviving words are listed. */
export const L1_PARAMS = {
  lambda: gridParam('zr.lam', DEFAULT_LAMBDA, LAMBDA_GRID),
  listed: enumParam<SparseLearner>('zr.who', 'ftrl', SPARSE_LEARNERS),
} as const;

/**
 * The composite step (Duchi et al. §5.1): AdaGrad's step, then a shrink toward 0 that stops at 0, for
 * every weight at every step (g is 0 for the words a message lacks: those weights only shrink).
 */
export const COMPOSITE_L1_RULE = displayTex`\begin{aligned} H_t &= \varepsilon + \sqrt{G_t}, \quad u = \theta_t - \frac{\eta}{H_t} \odot g_t \\ \theta_{t+1} &= \operatorname{sign}(u) \odot \max\Bigl(|u| - \frac{\eta\,\lambda_1}{H_t},\ 0\Bigr) \end{aligned}`;

/** FTRL-Proximal (McMahan et al. 2013), per coordinate: θ is 0 until |z| passes λ₁. */
export const FTRL_RULE = displayTex`\begin{aligned} \sigma &= \frac{\sqrt{n + g^2} - \sqrt{n}}{\alpha} \\ z &\leftarrow z + g - \sigma \theta, \quad n \leftarrow n + g^2 \\ \theta &= 0 \quad \text{if } |z| \le \lambda_1 \\ \theta &= -\frac{z - \operatorname{sign}(z)\,\lambda_1}{(\beta + \sqrt{n})/\alpha} \quad \text{otherwise} \end{aligned}`;

export interface SpamSplit {
  train: HashedMessage[];
  test: HashedMessage[];
  /** The training words that hash to each weight (more than one where the hash collides). */
  words: Map<number, string[]>;
}

/** Hashes the sample as the live demo does (hashMessages) and splits it into train and test. */
export function splitSample(messages: readonly LabelledMessage[], bits = L1_BITS): SpamSplit {
  const hashed = hashMessages(messages, bits);
  const cut = Math.round(messages.length * (1 - TEST_FRACTION));
  const words = new Map<number, string[]>();
  for (const m of messages.slice(0, cut)) {
    for (const token of tokenize(m.text)) {
      const index = featureIndex('', token, bits);
      const known = words.get(index);
      if (known === undefined) words.set(index, [token]);
      else if (!known.includes(token)) known.push(token);
    }
  }
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
  /** The ℓ1 option the learner ran with (see l1For). */
  l1: number;
  /** The learner's weights (float32, as it keeps them), every pending shrink applied. */
  weights: Float32Array;
  bias: number;
  /** Weights exactly zero are not stored by a sparse model: this many are not. */
  nonzeros: number;
  /** Fraction of the held-out messages classified correctly. */
  accuracy: number;
  testSize: number;
}

/**
 * One online pass of logistic regression with ℓ1 strength λ by the library's LinearLearner: it steps
 * each message's words with FTRL-Proximal or AdaGrad, and AdaGrad's shrink of the weights a message
 * lacks is applied, exactly, when their word next appears (or when the model is read). The bias has
 * its own optimizer without ℓ1 (a penalty on the bias would only bias the predictions).
 */
export function trainSparseModel(learner: SparseLearner, lambda: number, split: SpamSplit): SparseModel {
  if (!(lambda >= 0 && Number.isFinite(lambda))) {
    throw new Error(`l1 model: λ must be a finite number >= 0, got ${lambda}`);
  }
  const steps = split.train.length * PASSES;
  const l1 = l1For(learner, lambda, steps);
  const model = new LinearLearner({
    loss: 'logistic',
    optimizer: learner,
    lr: SPARSE_LR[learner],
    bits: L1_BITS,
    l1,
  });
  for (let pass = 0; pass < PASSES; pass++) for (const m of split.train) model.learn(m);
  // Counting applies every pending shrink: model.w is then the model as a file would store it.
  const nonzeros = model.nonzeroWeights();
  let correct = 0;
  for (const m of split.test) if (model.scoresOf(m)[0] > 0 === (m.spam === 1)) correct++;
  return {
    learner,
    lambda,
    l1,
    weights: model.w,
    bias: model.b[0],
    nonzeros,
    accuracy: split.test.length === 0 ? 0 : correct / split.test.length,
    testSize: split.test.length,
  };
}

/**
 * The models trained so far, by learner and λ: the table, the word lists and the sweep share them, so
 * a λ the sweep has reached costs nothing when the slider comes to it (the sweep reaches every λ
 * once; 25 grid points of two 2^14-weight models are ~6 MB at most).
 */
export class SparseModels {
  private readonly trained = new Map<string, SparseModel>();

  constructor(readonly split: SpamSplit) {}

  get(learner: SparseLearner, lambda: number): SparseModel {
    const key = `${learner} ${lambda}`;
    let model = this.trained.get(key);
    if (model === undefined) {
      model = trainSparseModel(learner, lambda, this.split);
      this.trained.set(key, model);
    }
    return model;
  }

  has(learner: SparseLearner, lambda: number): boolean {
    return this.trained.has(`${learner} ${lambda}`);
  }
}

/** One learner's sweep: nonzero weights and held-out accuracy (%) at each λ of SWEEP_LAMBDAS, NaN until trained. */
export interface SweepCurve {
  learner: SparseLearner;
  nonzeros: number[];
  accuracy: number[];
}

/** The sweep as far as it has been trained (all NaN before the sample is loaded). */
export function sweepCurves(models: SparseModels | undefined): SweepCurve[] {
  return SPARSE_LEARNERS.map((learner) => {
    const trained = SWEEP_LAMBDAS.map((lambda) =>
      models?.has(learner, lambda) === true ? models.get(learner, lambda) : undefined,
    );
    return {
      learner,
      nonzeros: trained.map((m) => (m === undefined ? Number.NaN : m.nonzeros)),
      accuracy: trained.map((m) => (m === undefined ? Number.NaN : 100 * m.accuracy)),
    };
  });
}

/** Accuracy points (of 100) a model may give up against the learner's best and still count. */
export const ACCURACY_SLACK = 2;

/** The sparsest point of a learner's sweep within ACCURACY_SLACK points of its best accuracy. */
export function sparsestNearBest(curve: SweepCurve): { lambda: number; nonzeros: number; accuracy: number } {
  const best = Math.max(...curve.accuracy.filter(Number.isFinite));
  let found = { lambda: Number.NaN, nonzeros: Infinity, accuracy: Number.NaN };
  curve.accuracy.forEach((accuracy, i) => {
    if (accuracy >= best - ACCURACY_SLACK - 1e-9 && curve.nonzeros[i] < found.nonzeros) {
      found = { lambda: SWEEP_LAMBDAS[i], nonzeros: curve.nonzeros[i], accuracy };
    }
  });
  return found;
}

/**
 * What the sweep shows, once every λ is trained, in two comparisons: at the same λ (as the paper
 * compared them, λ for λ), from which λ on ℓ1-AdaGrad keeps more weights, and how many times as many
 * at the slider's λ; then traded against accuracy, how sparse each gets near its best.
 */
export function sweepCaption(
  curves: readonly SweepCurve[],
  lambda: number,
  format: (v: number) => string,
): string {
  const ftrl = curves.find((c) => c.learner === 'ftrl');
  const adagrad = curves.find((c) => c.learner === 'adagrad');
  if (ftrl === undefined || adagrad === undefined) throw new Error('sweepCaption: needs both learners');
  const at = SWEEP_LAMBDAS.indexOf(lambda);
  const sameLambda = [];
  const more = SWEEP_LAMBDAS.findIndex((_, i) =>
    adagrad.nonzeros.slice(i).every((n, k) => n >= ftrl.nonzeros[i + k]),
  );
  if (more >= 0) {
    sameLambda.push(
      `From λ = ${format(SWEEP_LAMBDAS[more])} up, ℓ1-AdaGrad keeps at least as many weights as FTRL-Proximal at the same λ`,
    );
  }
  if (at >= 0 && ftrl.nonzeros[at] > 0) {
    sameLambda.push(
      `at the marked λ = ${format(lambda)}, ${formatCount(adagrad.nonzeros[at])} against ` +
        `${formatCount(ftrl.nonzeros[at])} (${format(adagrad.nonzeros[at] / ftrl.nonzeros[at])} times as many), ` +
        `at ${format(adagrad.accuracy[at])}% against ${format(ftrl.accuracy[at])}% held-out accuracy`,
    );
  }
  const sparsest = (curve: SweepCurve): string => {
    const point = sparsestNearBest(curve);
    return `${formatCount(point.nonzeros)} weights (λ = ${format(point.lambda)})`;
  };
  return (
    `Each point is one training run at that λ. ${sameLambda.length > 0 ? `${sameLambda.join(': ')}. ` : ''}` +
    `Traded against accuracy instead: within ${ACCURACY_SLACK} points of its best held-out accuracy, ` +
    `FTRL-Proximal gets down to ${sparsest(ftrl)}, ℓ1-AdaGrad to ${sparsest(adagrad)}.`
  );
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

/** What the figure says at one λ, from the two trained models. */
export function sparsityCaption(
  ftrl: SparseModel,
  adagrad: SparseModel,
  wordsSeen: number,
  format: (v: number) => string,
): string {
  const part = (m: SparseModel): string =>
    `${LEARNER_LABELS[m.learner]} keeps ${formatCount(m.nonzeros)} nonzero weights ` +
    `(${format((100 * m.nonzeros) / wordsSeen)}% of the ${formatCount(wordsSeen)} words seen in training) ` +
    `and classifies ${Math.round(m.accuracy * m.testSize)} of the ${m.testSize} held-out messages correctly`;
  return `At λ = ${format(ftrl.lambda)}: ${part(ftrl)}; ${part(adagrad)}.`;
}
