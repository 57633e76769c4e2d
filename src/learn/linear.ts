/**
 * The online linear learner: logistic, squared, hinge and softmax losses on sparse (hashed) rows,
 * with a bias, progressive validation (predict, then update) and per-example cost O(nonzeros).
 *
 * Weights: `w` holds 2^bits rows of K values (K = classes, 1 except for softmax), row-major, so the
 * K weights of one feature sit side by side; `b` holds the K biases. Feature index i uses row
 * i mod 2^bits.
 *
 * Updates. The example's gradient is the sparse vector g_{i,k} = fround(dL/dz_k · weight · x_i)
 * (float32, duplicates of a row summed in order of appearance, as the library coalesces), and the
 * bias gradient fround(dL/dz_k · weight). Every update is the library's own (src/optim, its kernels):
 *
 * - adagrad, ftrl, adagrad-da, adagrad-norm, and adam on this sparse data (as SparseAdam): the
 *   library optimizer's sparse step on the touched rows of w (row size K) and on b, per example
 *   (Optimizer.stepCoalesced: the update of step() on a gradient coalesced here). So the weights
 *   equal those of `new Adagrad({ w }, …)` (or Ftrl, ...) stepped with these sparse gradients, bit for
 *   bit. The bias has its own optimizer with the same options but no l1 or l2.
 * - rmsprop: the library's lazy RMSprop kernel (rmspropSparse) on the touched rows, with RMSprop's
 *   resolved options and state: untouched rows' averages do not decay (as SparseAdam's moments).
 * - sgd: w ← w − lr·g on the touched coordinates, the library's SGD arithmetic.
 * - adamw, adadelta (and adam or rmsprop with `lazy: false`): the library's dense step on every
 *   weight each example: O(K·2^bits) per example. L2 is then the optimizer's own weightDecay.
 *
 * Regularization, lazily exact. FTRL and dual averaging take l1 and l2 themselves: FTRL's weight is
 * a function of its own state (z, n), which an untouched coordinate keeps; dual averaging's weight
 * is a function of (s, G, t), read with the library's adagradDaWeight at the current t. For the
 * others, after every update each weight shrinks, w ← w·(1 − λ·η), with η the coordinate's current
 * step per unit gradient (lr/(√G + ε) for AdaGrad, lr otherwise), the optimizer's step on the
 * penalty (λ/2)·w² without feeding its state; AdaGrad's l1 (composite mirror descent) also moves
 * every weight each step, |w| ← max(|w| − lr·l1/H, 0), H = √G + ε, gradient or not. Between two
 * touches η and H do not change, so k pending updates are applied in closed form when the row is next
 * read — the same model as updating every weight every step, at O(nonzeros). The bias is not
 * penalized.
 */
import type { Example } from '../data/example.js';
import { DataError } from '../data/errors.js';
import { adagradDaWeight, adagradDaWeights, alloc, kernelsFor } from '../kernels/index.js';
import { rmspropScalars, type RMSpropOptions } from '../optim/rmsprop.js';
import { createOptimizer, type AdagradDA, type AnyOptimizer, type OptimizerName } from '../optim/index.js';
import type { ParamState } from '../optim/optimizer.js';
import { LearnerError } from './errors.js';
import { labelFor, labelKindOf, type LabelKind } from './labels.js';
import { argmax, LINKS, SCALAR_LOSSES, sigmoid, softmaxInto, softmaxLoss } from './losses.js';
import {
  libraryOptionsOf,
  resolveLearnerOptions,
  type LearnerOptions,
  type LearnerOptionsInput,
} from './options.js';
import { attachBuffers, restoreArray, type SavedArray, type SavedModel } from './saved.js';

/** The loss before the update and the prediction (probability, value, or class). */
export interface LearnResult {
  loss: number;
  prediction: number;
}

/** The constructor's mode for a learner that holds saved weights only (fromSaved): no optimizer. */
const WEIGHTS_ONLY = Symbol('weights only');

/** Largest K·2^bits the learner allocates (1 GiB of float32 weights). */
const MAX_WEIGHTS = 2 ** 28;
/** |dL/dz| beyond this would overflow float32's g² : the model has diverged. */
const MAX_SCORE_GRADIENT = 1e18;

/**
 * How the weights move: a library optimizer's sparse step ('library'), the lazy RMSprop kernel
 * ('rmsprop'), SGD's sparse loop ('sgd'), or a library optimizer's dense step ('dense').
 */
export type UpdatePath = 'library' | 'rmsprop' | 'sgd' | 'dense';

/** The optimizers whose sparse step the learner runs: the library's, by the learner's name. */
const LIBRARY_SPARSE: Partial<Record<OptimizerName, OptimizerName>> = {
  adagrad: 'adagrad',
  ftrl: 'ftrl',
  'adagrad-da': 'adagrad-da',
  'adagrad-norm': 'adagrad-norm',
  'sparse-adam': 'sparse-adam',
};
/** On sparse rows these run lazily (only the touched rows' state moves) unless `lazy: false`. */
const LAZY: Partial<Record<OptimizerName, OptimizerName>> = { adam: 'sparse-adam', rmsprop: 'rmsprop' };

/** AdagradDA's options that its weight function reads. */
interface DaOptions {
  lr: number;
  eps: number;
  l1: number;
  l2: number;
}

interface Optimizers {
  w: AnyOptimizer;
  b: AnyOptimizer;
  /** The dense path's full-length gradients. */
  gradW?: Float32Array;
  gradB?: Float32Array;
}

export class LinearLearner {
  options: Readonly<LearnerOptions>;
  /** Rows of weights: 2^bits. */
  readonly size: number;
  readonly mask: number;
  /** K: 1, or the number of softmax classes. */
  readonly classes: number;
  /** K weights per row, row-major: w[row·K + k]. */
  readonly w: Float32Array;
  /** One bias per class. */
  readonly b: Float32Array;
  /** How the weights move (see UpdatePath). */
  readonly path: UpdatePath;
  /** The label convention seen so far (undefined until a label decides it). */
  labelKind: LabelKind | undefined;
  /** Examples passed to learn(). */
  examplesSeen = 0;
  /** Update steps taken (examples with weight > 0): the clock of the lazy L2 decay. */
  updates = 0;

  /** Loaded from a weights-only file: it predicts, but has no optimizer (state) to learn with. */
  private readonly weightsOnly: boolean;
  private readonly loss: LearnerOptions['loss'];
  /** The library optimizers of w and b (undefined for SGD's loop). */
  private readonly opt: Optimizers | undefined;
  /** Per row: how many updates' decay and shrinking it has received (lazy L2 and AdaGrad's l1). */
  private readonly decayedThrough: Uint32Array | undefined;
  /** Dual averaging: weights are read from (s, G, t). */
  private readonly dualAveraging: boolean;
  private daScalars: (DaOptions & { step: number }) | undefined;
  /** AdaGrad's composite l1: untouched weights shrink too. */
  private readonly adagradL1: number;
  /** The learner's lazy L2 (not the optimizer's own). */
  private readonly decayL2: number;
  private negLr: number;
  private readonly scores: Float64Array;
  private readonly dz: Float64Array;
  private readonly dz32: Float32Array;
  private readonly biasRow = new Uint32Array(1);
  // Coalesced gradient of one example.
  private rows = new Uint32Array(256);
  private grads = new Float32Array(256);
  private rowCount = 0;
  /** The rows the update steps: this.rows, or the example's own indices when they already are rows. */
  private stepRows: Uint32Array = this.rows;
  /** Views of this.grads by length, made once: a view per example would leave one behind each time. */
  private gradViews: Float32Array[] = [];

  constructor(options: LearnerOptionsInput = {}, mode?: typeof WEIGHTS_ONLY) {
    const o = resolveLearnerOptions(options);
    this.options = Object.freeze(o);
    this.loss = o.loss;
    this.classes = o.classes;
    this.size = 2 ** o.bits;
    this.mask = this.size - 1;
    if (this.size * this.classes > MAX_WEIGHTS) {
      throw new LearnerError(
        `LinearLearner: classes × 2^bits = ${this.classes} × 2^${o.bits} weights exceeds 2^28; lower 'bits'`,
      );
    }
    const sparseName = LIBRARY_SPARSE[o.optimizer] ?? (o.lazy ? LAZY[o.optimizer] : undefined);
    this.path =
      o.optimizer === 'sgd'
        ? 'sgd'
        : sparseName === 'rmsprop'
          ? 'rmsprop'
          : sparseName !== undefined
            ? 'library'
            : 'dense';
    const n = this.size * this.classes;
    // In the kernels' memory where a library optimizer steps it, so its WebAssembly kernels run on
    // it in place (the reference kernels take arrays outside it).
    this.w = this.path === 'dense' ? alloc(n) : new Float32Array(n);
    this.b = new Float32Array(this.classes);
    this.negLr = Math.fround(-o.lr);
    this.dualAveraging = o.optimizer === 'adagrad-da';
    this.adagradL1 = o.optimizer === 'adagrad' ? o.l1 : 0;
    const ownsL2 = o.optimizer === 'ftrl' || o.optimizer === 'adagrad-da' || this.path === 'dense';
    this.decayL2 = ownsL2 ? 0 : o.l2;
    // A model loaded to predict has no optimizer: its state (FTRL's z and n: 2 MB at 2^18) would be
    // allocated for nothing, and the kernels it lives beside loaded for nothing.
    this.weightsOnly = mode === WEIGHTS_ONLY;
    if (this.path !== 'sgd' && !this.weightsOnly) this.opt = this.makeOptimizers(sparseName ?? o.optimizer);
    if (this.decayL2 > 0 || this.adagradL1 > 0) this.decayedThrough = new Uint32Array(this.size);
    this.scores = new Float64Array(this.classes);
    this.dz = new Float64Array(this.classes);
    this.dz32 = new Float32Array(this.classes);
  }

  /**
   * Sets the learning rate for the examples to come (a schedule over passes), keeping every accumulator
   * and moment: the optimizers take it as PyTorch's take a new param_groups lr.
   */
  setLearningRate(lr: number): void {
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new LearnerError(`setLearningRate: lr must be a finite number >= 0, got ${String(lr)}`);
    }
    this.options = { ...this.options, lr };
    this.negLr = Math.fround(-lr);
    this.daScalars = undefined;
    if (this.opt === undefined) return;
    for (const opt of [this.opt.w, this.opt.b]) {
      // Through a state dict, so the options the learner's own kernels read change too.
      const d = opt.stateDict();
      opt.loadStateDict({ ...d, groups: undefined, options: { ...d.options, lr } });
    }
  }

  private makeOptimizers(name: OptimizerName): Optimizers {
    const o = this.options;
    const { w: forW, b: forB } = libraryOptionsOf(o);
    // Gradients come from finite scores (checked per example), so the per-step finiteness scan
    // would only cost time.
    const opt: Optimizers = {
      w: createOptimizer(name, { w: this.w }, { ...forW, checkFinite: false } as never),
      b: createOptimizer(name, { b: this.b }, { ...forB, checkFinite: false } as never),
    };
    if (this.path === 'dense') {
      opt.gradW = alloc(this.w.length);
      opt.gradB = new Float32Array(this.b.length);
    }
    return opt;
  }

  /** What predictions mean: 'logistic' (probability), 'identity' (score) or 'softmax' (class). */
  get link(): string {
    return LINKS[this.loss];
  }

  /** AdaGrad's accumulators G of w and b: the library optimizer's own state (adagrad only). */
  get gw(): Float32Array | undefined {
    return this.options.optimizer === 'adagrad' && this.opt !== undefined
      ? (this.stateOf('w').buffers.sum as Float32Array)
      : undefined;
  }
  get gb(): Float32Array | undefined {
    return this.options.optimizer === 'adagrad' && this.opt !== undefined
      ? (this.stateOf('b').buffers.sum as Float32Array)
      : undefined;
  }

  /** One sentence on how this learner updates, for a run's header. */
  describeUpdates(): string {
    const o = this.options;
    switch (this.path) {
      case 'sgd':
        return 'sparse updates (touched features only)';
      case 'rmsprop':
        return 'lazy RMSprop: only the averages and weights of touched features move';
      case 'library':
        return o.optimizer === 'adam'
          ? 'lazy Adam (SparseAdam): only the moments and weights of touched features move'
          : 'sparse updates (touched features only)';
      default:
        return `dense updates: every weight moves every example (O(2^${o.bits}) each)`;
    }
  }

  /** Progressive validation: the loss and prediction before the update, then the update. */
  learn(ex: Example): LearnResult {
    if (this.weightsOnly) {
      throw new LearnerError(
        'LinearLearner: this model was saved with its weights only (no optimizer state): it predicts, but cannot continue training',
      );
    }
    const y = this.labelOf(ex);
    const weight = checkWeight(ex);
    this.catchUpRows(ex);
    this.scoresInto(ex);
    const result = this.evaluate(y);
    this.examplesSeen++;
    if (weight > 0) {
      this.scoreGradients(y, weight, ex);
      this.coalesce(ex);
      this.update();
    }
    return result;
  }

  /** The loss and prediction for an example, without learning from it (holdout, evaluation). */
  test(ex: Example): LearnResult {
    const y = this.labelOf(ex);
    this.catchUpRows(ex);
    this.scoresInto(ex);
    return this.evaluate(y);
  }

  /** Probability of the positive class for logistic, score for squared and hinge, class for softmax. */
  predict(ex: Example): number {
    this.catchUpRows(ex);
    this.scoresInto(ex);
    const s = this.scores;
    if (this.loss === 'logistic') return sigmoid(s[0]);
    if (this.loss === 'softmax') return argmax(s);
    return s[0];
  }

  /** Softmax: the probability of every class (for the other losses, the one score's link). */
  predictProba(ex: Example): Float64Array {
    this.catchUpRows(ex);
    this.scoresInto(ex);
    if (this.loss === 'softmax') return softmaxInto(this.scores, new Float64Array(this.classes));
    const p = this.loss === 'logistic' ? sigmoid(this.scores[0]) : this.scores[0];
    return Float64Array.of(p);
  }

  /** Raw scores z = w·x + b (one per class). */
  scoresOf(ex: Example): Float64Array {
    this.catchUpRows(ex);
    this.scoresInto(ex);
    return this.scores.slice();
  }

  /** The weight of feature row `row`, class k, as the model uses it now (pending updates applied). */
  weight(row: number, k = 0): number {
    const i = row * this.classes + k;
    return this.hasPending(row) ? this.currentWeight(row, i) : this.w[i];
  }

  /** False for a model loaded from a weights-only file: it predicts, but has no state to learn with. */
  get canLearn(): boolean {
    return !this.weightsOnly;
  }

  /** How many weights of w are not zero now (the bias excluded): a sparse model's size. */
  nonzeroWeights(): number {
    this.applyPending();
    let count = 0;
    for (let i = 0; i < this.w.length; i++) if (this.w[i] !== 0) count++;
    return count;
  }

  // ----- one example -----

  private labelOf(ex: Example): number {
    const o = this.options;
    const y = labelFor(
      o.loss,
      ex.label,
      { line: ex.line },
      { classes: o.classes, firstClass: o.firstClass, seen: this.labelKind },
    );
    const kind = labelKindOf(o.loss, ex.label);
    if (kind !== undefined) this.labelKind = kind;
    return y;
  }

  /** Scores into this.scores, from weights brought up to date by catchUpRows. */
  private scoresInto(ex: Example): void {
    const { indices, values } = ex;
    const { w, mask, classes: K, scores } = this;
    if (K === 1) {
      let z = this.b[0];
      for (let j = 0; j < indices.length; j++) z += w[indices[j] & mask] * values[j];
      scores[0] = z;
      if (!Number.isFinite(z)) this.diverged(ex, z);
      return;
    }
    for (let k = 0; k < K; k++) scores[k] = this.b[k];
    for (let j = 0; j < indices.length; j++) {
      const base = (indices[j] & mask) * K;
      const x = values[j];
      for (let k = 0; k < K; k++) scores[k] += w[base + k] * x;
    }
    for (let k = 0; k < K; k++) if (!Number.isFinite(scores[k])) this.diverged(ex, scores[k]);
  }

  private evaluate(y: number): LearnResult {
    const s = this.scores;
    if (this.loss === 'softmax') return { loss: softmaxLoss(s, y), prediction: argmax(s) };
    const z = s[0];
    return {
      loss: SCALAR_LOSSES[this.loss].value(z, y),
      prediction: this.loss === 'logistic' ? sigmoid(z) : z,
    };
  }

  private scoreGradients(y: number, weight: number, ex: Example): void {
    const { scores, dz } = this;
    if (this.loss === 'softmax') {
      softmaxInto(scores, dz);
      dz[y] -= 1;
    } else {
      dz[0] = SCALAR_LOSSES[this.loss].gradient(scores[0], y);
    }
    for (let k = 0; k < dz.length; k++) {
      dz[k] *= weight;
      if (!(Math.abs(dz[k]) < MAX_SCORE_GRADIENT)) this.diverged(ex, scores[k]);
      this.dz32[k] = dz[k];
    }
  }

  /**
   * The example's gradient with duplicate rows summed in order of first appearance (float32
   * partial sums, as the library's coalesce), into this.stepRows / this.grads.
   */
  private coalesce(ex: Example): void {
    const { indices, values } = ex;
    const { mask, classes: K, dz } = this;
    const n = indices.length;
    if (this.rows.length < n) {
      this.rows = new Uint32Array(Math.max(n, this.rows.length * 2));
      this.grads = new Float32Array(this.rows.length * K);
      this.gradViews = [];
    } else if (this.grads.length < n * K) {
      this.grads = new Float32Array(this.rows.length * K);
      this.gradViews = [];
    }
    const { rows, grads } = this;
    let slots: Map<number, number> | undefined;
    let previous = -1;
    let count = 0;
    this.stepRows = rows;
    if (K === 1) {
      // The common case, sorted distinct indices inside the table: they are the rows themselves, and
      // the gradient is one multiply per nonzero.
      const d = dz[0];
      for (; count < n; count++) {
        const index = indices[count];
        if (index <= previous || index > mask) break;
        previous = index;
        grads[count] = d * values[count];
      }
      if (count === n) {
        this.stepRows = indices;
        this.rowCount = n;
        return;
      }
      rows.set(indices.subarray(0, count));
    }
    for (let j = count; j < n; j++) {
      const row = indices[j] & mask;
      if (slots === undefined && row > previous) {
        previous = row;
        rows[count] = row;
        for (let k = 0; k < K; k++) grads[count * K + k] = dz[k] * values[j];
        count++;
        continue;
      }
      // Out of order: from here on, look rows up (rare: unsorted or colliding indices).
      if (slots === undefined) {
        slots = new Map();
        for (let s = 0; s < count; s++) slots.set(rows[s], s);
      }
      const s = slots.get(row);
      if (s === undefined) {
        slots.set(row, count);
        rows[count] = row;
        for (let k = 0; k < K; k++) grads[count * K + k] = dz[k] * values[j];
        count++;
      } else {
        for (let k = 0; k < K; k++) grads[s * K + k] += Math.fround(dz[k] * values[j]);
      }
    }
    this.rowCount = count;
  }

  /** Applies the coalesced gradient in this.stepRows / this.grads and the bias gradient dz. */
  private update(): void {
    const { rowCount, classes: K } = this;
    const rows = this.stepRows.length === rowCount ? this.stepRows : this.stepRows.subarray(0, rowCount);
    const grads = (this.gradViews[rowCount * K] ??= this.grads.subarray(0, rowCount * K));
    switch (this.path) {
      case 'library': {
        const opt = this.opt as Optimizers;
        opt.w.stepCoalesced('w', rows, grads, K);
        opt.b.stepCoalesced('b', this.biasRow, this.dz32, K);
        break;
      }
      case 'rmsprop':
        this.rmspropStep('w', this.w, rows, grads);
        this.rmspropStep('b', this.b, this.biasRow, this.dz32);
        break;
      case 'sgd': {
        const { w, negLr } = this;
        for (let s = 0; s < rowCount; s++) {
          const base = rows[s] * K;
          for (let k = 0; k < K; k++) w[base + k] = w[base + k] + negLr * grads[s * K + k];
        }
        for (let k = 0; k < K; k++) this.b[k] = this.b[k] + negLr * this.dz32[k];
        break;
      }
      default:
        this.denseStep(rows, grads);
    }
    this.updates++;
  }

  /** RMSprop's update on the touched rows only (the library's lazy kernel, RMSprop's own options). */
  private rmspropStep(
    name: 'w' | 'b',
    param: Float32Array,
    rows: ArrayLike<number>,
    grads: Float32Array,
  ): void {
    const opt = (this.opt as Optimizers)[name];
    const st = opt.liveState(name);
    st.step += 1;
    const scalars = rmspropScalars(opt.options as unknown as RMSpropOptions);
    kernelsFor(param).rmspropSparse(param, st.buffers.squareAvg, rows, grads, this.classes, scalars);
  }

  private denseStep(rows: Uint32Array, grads: Float32Array): void {
    const d = this.opt as Required<Optimizers>;
    const K = this.classes;
    for (let s = 0; s < rows.length; s++) {
      const base = rows[s] * K;
      for (let k = 0; k < K; k++) d.gradW[base + k] = grads[s * K + k];
    }
    d.gradB.set(this.dz32);
    d.w.step({ w: d.gradW });
    d.b.step({ b: d.gradB });
    for (let s = 0; s < rows.length; s++) d.gradW.fill(0, rows[s] * K, rows[s] * K + K);
  }

  // ----- lazy reads: weights whose pending updates are applied when they are next read -----

  private stateOf(name: 'w' | 'b'): ParamState {
    return (this.opt as Optimizers)[name].liveState(name);
  }

  private hasPending(row: number): boolean {
    if (this.weightsOnly) return false;
    if (this.dualAveraging) return true;
    const last = this.decayedThrough;
    return last !== undefined && last[row] !== this.updates;
  }

  /** Brings the rows an example touches up to date before they are read and updated. */
  private catchUpRows(ex: Example): void {
    if (this.decayedThrough === undefined && !this.dualAveraging) return;
    const { indices } = ex;
    if (this.dualAveraging && !this.weightsOnly && indicesAreRows(indices, this.mask)) {
      // Dual averaging's weights move with t: the example's rows, read at this step in one call.
      const st = this.stateOf('w');
      if (st.step > 0) {
        adagradDaWeights(
          this.w,
          st.buffers.gradSum,
          st.buffers.sumSq,
          this.daScalarsAt(st.step),
          indices,
          this.classes,
        );
      }
      return;
    }
    const { mask, classes: K, w } = this;
    for (let j = 0; j < indices.length; j++) {
      const row = indices[j] & mask;
      if (!this.hasPending(row)) continue;
      for (let k = 0; k < K; k++) {
        const i = row * K + k;
        w[i] = this.currentWeight(row, i);
      }
      if (this.decayedThrough !== undefined) this.decayedThrough[row] = this.updates;
    }
  }

  /** Brings every weight up to date (for inspection or export; training does not need it). */
  applyPending(): void {
    if (this.dualAveraging && this.opt !== undefined) {
      // Every weight moves with t: the optimizer writes them all from its sums in one call.
      (this.opt.w as AdagradDA).refreshWeights();
      return;
    }
    const K = this.classes;
    for (let row = 0; row < this.size; row++) {
      if (!this.hasPending(row)) continue;
      for (let k = 0; k < K; k++) this.w[row * K + k] = this.currentWeight(row, row * K + k);
      if (this.decayedThrough !== undefined) this.decayedThrough[row] = this.updates;
    }
  }

  /** @deprecated the name before l1: applyPending(). */
  applyPendingDecay(): void {
    this.applyPending();
  }

  /** Dual averaging's scalars at step t: the optimizer's options copied once, the step set live. */
  private daScalarsAt(step: number): DaOptions & { step: number } {
    this.daScalars ??= { ...((this.opt as Optimizers).w.options as unknown as DaOptions), step: 0 };
    this.daScalars.step = step;
    return this.daScalars;
  }

  /** Weight i (of row `row`) with its pending updates applied. */
  private currentWeight(row: number, i: number): number {
    if (this.dualAveraging) {
      const st = this.stateOf('w');
      if (st.step === 0) return 0;
      return adagradDaWeight(
        st.buffers.gradSum[i],
        st.buffers.sumSq[i],
        this.daScalarsAt(st.step),
        'float32',
      );
    }
    const x = this.w[i];
    const pending = this.updates - (this.decayedThrough as Uint32Array)[row];
    if (pending === 0 || x === 0) return x;
    const eta = this.rate(i);
    // The update that last touched the row decayed it after its step; each later one shrank it by
    // AdaGrad's l1 (if any), then decayed it.
    const keep = 1 - this.decayL2 * eta;
    let magnitude = Math.abs(x) * (keep > 0 ? keep : 0);
    const shrink = this.adagradL1 * eta;
    const m = pending - 1;
    if (m > 0 && magnitude > 0) {
      if (shrink === 0) magnitude *= decayOver(this.decayL2 * eta, m);
      else if (this.decayL2 === 0) magnitude -= m * shrink;
      else {
        // m times x ← (|x| − c)·q: q^m·|x| − c·q·(1 − q^m)/(1 − q), clipped at zero.
        const q = keep > 0 ? keep : 0;
        const qm = decayOver(this.decayL2 * eta, m);
        magnitude = qm * magnitude - (shrink * q * (1 - qm)) / (1 - q);
      }
    }
    return magnitude > 0 ? Math.sign(x) * magnitude : 0;
  }

  /** Step size per unit gradient of coordinate i now: AdaGrad's lr/H, lr for the others. */
  private rate(i: number): number {
    const o = this.options;
    if (o.optimizer !== 'adagrad') return o.lr;
    const adagrad = (this.opt as Optimizers).w;
    return adagrad.effectiveRateAt('w', i);
  }

  private diverged(ex: Example, score: number): never {
    throw new DataError(
      `the model diverged: score ${score} after ${this.examplesSeen} examples; lower the learning rate (lr ${this.options.lr})`,
      { line: ex.line },
    );
  }

  // ----- saving -----

  /**
   * Everything needed to predict and to resume training exactly, as JSON plus named arrays; with
   * `weightsOnly`, what predicting needs alone (the weights brought up to date, the bias): the file
   * of a sparse model is then its nonzero weights, kilobytes where its optimizer state would be far
   * more (FTRL keeps z and n for every feature it has seen).
   */
  stateForSave(options: { weightsOnly?: boolean } = {}): SavedModel {
    const weightsOnly = options.weightsOnly === true || this.weightsOnly;
    if (weightsOnly) this.applyPending();
    const arrays: Record<string, SavedArray> = { w: this.w, b: this.b };
    if (this.decayedThrough !== undefined && !weightsOnly) arrays.decayedThrough = this.decayedThrough;
    const state: Record<string, { step: number; buffers: Record<string, string> }> = {};
    if (this.opt !== undefined && !weightsOnly) {
      for (const name of ['w', 'b'] as const) {
        const st = this.stateOf(name);
        const buffers: Record<string, string> = {};
        for (const [buffer, values] of Object.entries(st.buffers)) {
          const key = `state.${name}.${buffer}`;
          arrays[key] = values as Float32Array;
          buffers[buffer] = key;
        }
        state[name] = { step: st.step, buffers };
      }
    }
    return {
      kind: 'linear',
      header: {
        options: { ...this.options },
        link: this.link,
        labelKind: this.labelKind ?? null,
        examplesSeen: this.examplesSeen,
        updates: this.updates,
        ...(weightsOnly ? { weightsOnly: true } : this.opt !== undefined ? { state } : {}),
      },
      arrays,
    };
  }

  /** The learner a stateForSave() describes; throws LearnerError naming what does not fit. */
  static fromSaved(saved: SavedModel): LinearLearner {
    if (saved.kind !== 'linear') throw new LearnerError(`not a linear model (kind '${saved.kind}')`);
    const h = saved.header as {
      options: LearnerOptionsInput;
      labelKind: LabelKind | null;
      examplesSeen: number;
      updates: number;
      state?: Record<string, { step: number; buffers: Record<string, string> }>;
      weightsOnly?: boolean;
      optimizerState?: { w: never; b: never };
    };
    // Files written before lazy updates existed stepped Adam and RMSprop densely: keep doing so.
    const options = 'lazy' in h.options ? h.options : { ...h.options, lazy: false };
    const learner = new LinearLearner(options, h.weightsOnly === true ? WEIGHTS_ONLY : undefined);
    const take = (name: string, into: SavedArray | undefined): void => restoreArray(saved, name, into);
    take('w', learner.w);
    take('b', learner.b);
    const opt = learner.opt;
    if (!learner.weightsOnly && (opt !== undefined || learner.decayedThrough !== undefined)) {
      take('decayedThrough', learner.decayedThrough);
    }
    if (opt !== undefined && !learner.weightsOnly) {
      if (h.state !== undefined) {
        for (const name of ['w', 'b'] as const) {
          const st = opt[name].liveState(name);
          const savedState = h.state[name];
          if (savedState === undefined)
            throw new LearnerError(`saved linear model lacks the state of '${name}'`);
          for (const buffer of Object.keys(st.buffers))
            take(savedState.buffers[buffer] ?? `state.${name}.${buffer}`, st.buffers[buffer]);
          st.step = savedState.step;
        }
      } else if (h.optimizerState !== undefined) {
        // Version 1 files of the dense optimizers: their state dicts.
        opt.w.loadStateDict(attachBuffers(h.optimizerState.w, saved.arrays));
        opt.b.loadStateDict(attachBuffers(h.optimizerState.b, saved.arrays));
      } else if (learner.options.optimizer === 'adagrad') {
        // Version 1 files of AdaGrad: the accumulators as gw and gb.
        take('gw', learner.gw);
        take('gb', learner.gb);
      } else {
        throw new LearnerError('saved linear model lacks its optimizer state');
      }
    }
    learner.labelKind = h.labelKind ?? undefined;
    learner.examplesSeen = h.examplesSeen;
    learner.updates = h.updates;
    return learner;
  }
}

/**
 * (1 − λη)^k, the decay of k updates: exp(k·log1p(−λη)), about three times faster than Math.pow in
 * V8 and as accurate as float32 weights need. A step that would overshoot zero (λη >= 1) gives 0.
 */
function decayOver(lambdaEta: number, k: number): number {
  if (lambdaEta >= 1) return 0;
  return k === 1 ? 1 - lambdaEta : Math.exp(k * Math.log1p(-lambdaEta));
}

function checkWeight(ex: Example): number {
  const weight = ex.weight;
  if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight)) {
    throw new DataError(`importance weight ${String(weight)} must be a finite number >= 0`, {
      line: ex.line,
    });
  }
  return weight;
}

/** Whether every index already names its row (none beyond the table): then the indices are the rows. */
function indicesAreRows(indices: Uint32Array, mask: number): boolean {
  for (let j = 0; j < indices.length; j++) if (indices[j] > mask) return false;
  return true;
}
