/**
 * The online linear learner the command trains: logistic, squared, hinge and softmax losses on
 * hashed sparse features, with a bias, progressive validation (predict, then update) and per-example
 * cost O(nonzeros) for AdaGrad and plain SGD.
 *
 * STAND-IN: this is the command's own small learner, written because src/learn had not landed when
 * the command was built. It follows the learner brief's API (learn/predict/labelKind) so the command
 * can switch to src/learn's LinearLearner by changing the imports of ./index.ts only.
 *
 * AdaGrad runs as one fused loop with the library's arithmetic (PyTorch order, float32 storage):
 *   G_i += g_i²;   w_i -= lr · g_i / (√G_i + ε)      (ε inside the root for the keras/tfjs/optax presets)
 * SGD without momentum is sparse too (w_i -= lr · g_i). Every other optimizer of the library moves
 * every weight every step (moments decay everywhere), so it takes dense steps through the library:
 * O(2^bits) per example, meant for comparisons on small data or few bits.
 */
import type { Example } from '../../data/index.js';
import { DataError } from '../../data/index.js';
import { ADAGRAD_PRESETS, type AdagradPreset } from '../../optim/index.js';
import { type AnyOptimizer, makeOptimizer, type OptimizerName } from '../optimizers.js';

export const LOSS_NAMES = ['logistic', 'squared', 'hinge', 'softmax'] as const;
export type LossName = (typeof LOSS_NAMES)[number];
export type LabelKind = 'plusminus' | 'zeroone' | 'real' | 'class';

export interface LearnerOptions {
  loss: LossName;
  /** Weights per class: 2^bits (indices are taken modulo 2^bits). */
  bits: number;
  /** Softmax only: the number of classes K (labels 0..K-1). */
  classes: number;
  /** L2 strength, added to the gradient of each touched weight. */
  l2: number;
  optimizer: OptimizerName;
  preset: AdagradPreset;
  lr: number;
}

/**
 * Learning rates that give a good model with no options on unit-length hashed features (the spam
 * corpus reaches ~99% after one pass with AdaGrad 0.5); the library's PyTorch defaults (0.01) suit
 * networks and are far too small for one pass here.
 */
export const DEFAULT_LR: Record<OptimizerName, number> = {
  adagrad: 0.5,
  sgd: 0.5,
  rmsprop: 0.01,
  adam: 0.01,
  adamw: 0.01,
  adadelta: 1,
};

export function linkOf(loss: LossName): string {
  switch (loss) {
    case 'logistic':
      return 'logistic (sigmoid): prediction = probability of the positive class';
    case 'squared':
      return 'identity: prediction = w·x + b';
    case 'hinge':
      return 'identity: prediction = margin w·x + b (sign is the class)';
    case 'softmax':
      return 'softmax: prediction = most probable class';
  }
}

export interface LearnResult {
  loss: number;
  prediction: number;
}

export class LinearLearner {
  readonly options: Readonly<LearnerOptions>;
  readonly size: number;
  readonly mask: number;
  /** K·2^bits weights, class-major; and K biases. */
  readonly w: Float32Array;
  readonly b: Float32Array;
  /** AdaGrad's accumulators (fused path only). */
  readonly gw: Float32Array | undefined;
  readonly gb: Float32Array | undefined;
  labelKind: LabelKind | undefined;
  examplesSeen = 0;
  private readonly libraryOptimizer: AnyOptimizer | undefined;
  private readonly denseGradW: Float32Array | undefined;
  private readonly denseGradB: Float32Array | undefined;
  private readonly scores: Float64Array;
  private readonly adagrad: { eps: number; inside: boolean; skipZero: boolean } | undefined;

  constructor(options: LearnerOptions) {
    checkOptions(options);
    this.options = { ...options };
    const k = options.loss === 'softmax' ? options.classes : 1;
    this.size = 2 ** options.bits;
    this.mask = this.size - 1;
    this.w = new Float32Array(k * this.size);
    this.b = new Float32Array(k);
    this.scores = new Float64Array(k);
    if (options.optimizer === 'adagrad') {
      const preset = ADAGRAD_PRESETS[options.preset];
      this.gw = new Float32Array(this.w.length).fill(preset.initialAccumulatorValue);
      this.gb = new Float32Array(k).fill(preset.initialAccumulatorValue);
      this.adagrad = {
        eps: preset.eps,
        inside: preset.epsPlacement === 'inside',
        skipZero: preset.skipZeroAccumulator,
      };
    } else if (options.optimizer !== 'sgd') {
      this.libraryOptimizer = makeOptimizer(
        { w: this.w, b: this.b },
        { name: options.optimizer, lr: options.lr },
      );
      this.denseGradW = new Float32Array(this.w.length);
      this.denseGradB = new Float32Array(k);
    }
  }

  get classes(): number {
    return this.b.length;
  }

  /** Progressive validation: the loss and prediction before the update, then the update. */
  learn(ex: Example): LearnResult {
    const y = this.labelFor(ex);
    const result = this.evaluate(ex, y);
    if (ex.weight > 0) this.update(ex, y);
    this.examplesSeen++;
    return result;
  }

  /** The loss and prediction for an example whose label is checked but not learned (holdout). */
  test(ex: Example): LearnResult {
    return this.evaluate(ex, this.labelFor(ex));
  }

  /** Probability for logistic, score for squared and hinge, class for softmax. */
  predict(ex: Example): number {
    this.computeScores(ex);
    const s = this.scores;
    switch (this.options.loss) {
      case 'logistic':
        return sigmoid(s[0]);
      case 'softmax':
        return argmax(s);
      default:
        return s[0];
    }
  }

  /** The label in the loss's own convention: 0/1 for logistic, ±1 for hinge, the class for softmax. */
  labelFor(ex: Example): number {
    const label = ex.label;
    const where = { line: ex.line };
    if (!Number.isFinite(label)) throw new DataError(`label ${label} is not a finite number`, where);
    switch (this.options.loss) {
      case 'logistic':
      case 'hinge': {
        const kind: LabelKind | undefined =
          label === 1 ? undefined : label === -1 ? 'plusminus' : label === 0 ? 'zeroone' : undefined;
        if (label !== 1 && kind === undefined) {
          throw new DataError(
            `label ${label} does not fit --loss ${this.options.loss}: expected +1/-1 or 1/0` +
              ' (use --loss squared for real-valued targets)',
            where,
          );
        }
        if (kind !== undefined) {
          if (this.labelKind !== undefined && this.labelKind !== kind) {
            throw new DataError(
              `label ${label} mixes conventions: earlier labels were ${this.labelKind === 'plusminus' ? '+1/-1' : '1/0'}`,
              where,
            );
          }
          this.labelKind = kind;
        }
        const positive = label === 1;
        return this.options.loss === 'logistic' ? (positive ? 1 : 0) : positive ? 1 : -1;
      }
      case 'squared':
        this.labelKind = 'real';
        return label;
      case 'softmax':
        if (!Number.isInteger(label) || label < 0 || label >= this.classes) {
          throw new DataError(
            `label ${label} does not fit --loss softmax --classes ${this.classes}: expected an integer 0..${this.classes - 1}`,
            where,
          );
        }
        this.labelKind = 'class';
        return label;
    }
  }

  private computeScores(ex: Example): void {
    const { indices, values } = ex;
    const { w, b, mask, size, scores } = this;
    for (let k = 0; k < scores.length; k++) {
      const offset = k * size;
      let z = b[k];
      for (let j = 0; j < indices.length; j++) z += w[offset + (indices[j] & mask)] * values[j];
      scores[k] = z;
    }
  }

  private evaluate(ex: Example, y: number): LearnResult {
    this.computeScores(ex);
    const s = this.scores;
    switch (this.options.loss) {
      case 'logistic': {
        const z = s[0];
        // log(1 + e^{-m}) with m the signed margin, without overflow for large |m|.
        const m = y === 1 ? z : -z;
        const loss = m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
        return { loss, prediction: sigmoid(z) };
      }
      case 'squared': {
        const r = s[0] - y;
        return { loss: 0.5 * r * r, prediction: s[0] };
      }
      case 'hinge':
        return { loss: Math.max(0, 1 - y * s[0]), prediction: s[0] };
      case 'softmax': {
        const max = Math.max(...s);
        let sum = 0;
        for (let k = 0; k < s.length; k++) sum += Math.exp(s[k] - max);
        return { loss: max + Math.log(sum) - s[y], prediction: argmax(s) };
      }
    }
  }

  /** dL/dz per class for the scores just computed by evaluate(). */
  private scoreGradient(y: number, k: number): number {
    const s = this.scores;
    switch (this.options.loss) {
      case 'logistic':
        return sigmoid(s[0]) - y;
      case 'squared':
        return s[0] - y;
      case 'hinge':
        return y * s[0] < 1 ? -y : 0;
      case 'softmax': {
        const max = Math.max(...s);
        let sum = 0;
        for (let c = 0; c < s.length; c++) sum += Math.exp(s[c] - max);
        return Math.exp(s[k] - max) / sum - (k === y ? 1 : 0);
      }
    }
  }

  private update(ex: Example, y: number): void {
    const { indices, values } = ex;
    const { w, b, mask, size } = this;
    const { lr, l2 } = this.options;
    for (let k = 0; k < this.classes; k++) {
      const dz = this.scoreGradient(y, k) * ex.weight;
      const offset = k * size;
      if (this.adagrad !== undefined) {
        const G = this.gw!;
        for (let j = 0; j < indices.length; j++) {
          const i = offset + (indices[j] & mask);
          this.adagradStep(w, G, i, dz * values[j] + l2 * w[i], lr);
        }
        this.adagradStep(b, this.gb!, k, dz, lr);
      } else if (this.libraryOptimizer === undefined) {
        for (let j = 0; j < indices.length; j++) {
          const i = offset + (indices[j] & mask);
          w[i] -= lr * (dz * values[j] + l2 * w[i]);
        }
        b[k] -= lr * dz;
      } else {
        const gW = this.denseGradW!;
        for (let j = 0; j < indices.length; j++) {
          const i = offset + (indices[j] & mask);
          gW[i] += dz * values[j] + l2 * w[i];
        }
        this.denseGradB![k] = dz;
      }
    }
    if (this.libraryOptimizer !== undefined) {
      this.libraryOptimizer.step({ w: this.denseGradW!, b: this.denseGradB! });
      const gW = this.denseGradW!;
      for (let k = 0; k < this.classes; k++) {
        for (let j = 0; j < indices.length; j++) gW[k * size + (indices[j] & mask)] = 0;
      }
    }
  }

  private adagradStep(p: Float32Array, G: Float32Array, i: number, g: number, lr: number): void {
    const { eps, inside, skipZero } = this.adagrad!;
    const acc = (G[i] = Math.fround(G[i] + Math.fround(g * g)));
    if (skipZero && acc === 0) return;
    const denominator = inside ? Math.sqrt(acc + eps) : Math.sqrt(acc) + eps;
    p[i] = Math.fround(p[i] - (lr * g) / denominator);
  }

  /** The library optimizer's state (not AdaGrad's or SGD's, whose state is the arrays above). */
  optimizerState(): unknown {
    return this.libraryOptimizer?.stateDict();
  }

  loadOptimizerState(state: unknown): void {
    if (this.libraryOptimizer !== undefined) this.libraryOptimizer.loadStateDict(state);
  }
}

function checkOptions(o: LearnerOptions): void {
  if (!(LOSS_NAMES as readonly string[]).includes(o.loss)) throw new RangeError(`unknown loss '${o.loss}'`);
  if (!Number.isInteger(o.bits) || o.bits < 1 || o.bits > 28) {
    throw new RangeError(`bits must be an integer in 1..28, got ${o.bits}`);
  }
  if (o.loss === 'softmax' && !(Number.isInteger(o.classes) && o.classes >= 2)) {
    throw new RangeError(`softmax needs --classes K >= 2, got ${o.classes}`);
  }
  if (!(o.lr > 0 && Number.isFinite(o.lr))) throw new RangeError(`lr must be > 0, got ${o.lr}`);
  if (!(o.l2 >= 0 && Number.isFinite(o.l2))) throw new RangeError(`l2 must be >= 0, got ${o.l2}`);
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
