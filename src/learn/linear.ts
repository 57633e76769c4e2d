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
 * bias gradient fround(dL/dz_k · weight). Then:
 *
 * - adagrad (default): one fused loop per touched coordinate, with exactly the arithmetic of the
 *   library's sparse AdaGrad step (src/kernels/reference.ts, PyTorch's float32 order):
 *       G ← G + g²;   w ← w − lr · g / (√G + ε)        (ε inside the root for keras/tfjs/optax)
 *   so the weights equal those of `new Adagrad({ w, b }, …)` stepped with these sparse gradients,
 *   bit for bit.
 * - sgd: w ← w − lr·g on the touched coordinates, the library's SGD arithmetic.
 * - rmsprop, adam, adamw, adadelta: the library's optimizers take a dense step on every weight each
 *   example (their moments decay everywhere): O(K·2^bits) per example, for comparisons on small
 *   data or few bits. L2 is then the optimizer's own weightDecay on `w`.
 *
 * L2 (adagrad and sgd): after every update each weight shrinks, w ← w·(1 − λ·η), with η the
 * coordinate's current step size per unit gradient (lr/(√G + ε) for AdaGrad, lr for SGD), which is
 * the optimizer's step on the penalty (λ/2)·w² without feeding the accumulator. η only changes when
 * the coordinate is touched, so a weight untouched for k updates is brought up to date lazily with
 * w·(1 − λη)^k when next read — the same model as decaying every weight every step, at O(nonzeros).
 * The bias is not penalized.
 */
import type { Example } from '../data/example.js';
import { DataError } from '../data/errors.js';
import { alloc } from '../kernels/index.js';
import { createOptimizer, type Optimizer, type StateDict } from '../optim/index.js';
import { LearnerError } from './errors.js';
import { labelFor, labelKindOf, type LabelKind } from './labels.js';
import { argmax, LINKS, SCALAR_LOSSES, sigmoid, softmaxInto, softmaxLoss } from './losses.js';
import { resolveLearnerOptions, type LearnerOptions, type LearnerOptionsInput } from './options.js';
import { attachBuffers, detachBuffers, restoreArray, type SavedArray, type SavedModel } from './saved.js';

/** The loss before the update and the prediction (probability, value, or class). */
export interface LearnResult {
  loss: number;
  prediction: number;
}

/** Largest K·2^bits the learner allocates (1 GiB of float32 weights). */
const MAX_WEIGHTS = 2 ** 28;
/** |dL/dz| beyond this would overflow float32's g² : the model has diverged. */
const MAX_SCORE_GRADIENT = 1e18;

type Mode = 'adagrad' | 'sgd' | 'dense';

interface DenseOptimizers {
  w: Optimizer<{ checkFinite: boolean }>;
  b: Optimizer<{ checkFinite: boolean }>;
  gradW: Float32Array;
  gradB: Float32Array;
}

export class LinearLearner {
  readonly options: Readonly<LearnerOptions>;
  /** Rows of weights: 2^bits. */
  readonly size: number;
  readonly mask: number;
  /** K: 1, or the number of softmax classes. */
  readonly classes: number;
  /** K weights per row, row-major: w[row·K + k]. */
  readonly w: Float32Array;
  /** One bias per class. */
  readonly b: Float32Array;
  /** AdaGrad's accumulators G, for w and b (adagrad only). */
  readonly gw: Float32Array | undefined;
  readonly gb: Float32Array | undefined;
  /** The label convention seen so far (undefined until a label decides it). */
  labelKind: LabelKind | undefined;
  /** Examples passed to learn(). */
  examplesSeen = 0;
  /** Update steps taken (examples with weight > 0): the clock of the lazy L2 decay. */
  updates = 0;

  private readonly mode: Mode;
  private readonly loss: LearnerOptions['loss'];
  /** Per row: how many updates' decay it has received (lazy L2 only). */
  private readonly decayedThrough: Uint32Array | undefined;
  private readonly dense: DenseOptimizers | undefined;
  private readonly negLr: number;
  private readonly eps32: number;
  private readonly epsInside: boolean;
  private readonly skipZero: boolean;
  private readonly scores: Float64Array;
  private readonly dz: Float64Array;
  // Coalesced gradient of one example (the general path).
  private rows = new Int32Array(256);
  private grads = new Float32Array(256);
  private rowCount = 0;

  constructor(options: LearnerOptionsInput = {}) {
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
    this.mode = o.optimizer === 'adagrad' ? 'adagrad' : o.optimizer === 'sgd' ? 'sgd' : 'dense';
    const n = this.size * this.classes;
    this.w = this.mode === 'dense' ? alloc(n) : new Float32Array(n);
    this.b = new Float32Array(this.classes);
    this.negLr = Math.fround(-o.lr);
    this.eps32 = Math.fround(o.eps);
    this.epsInside = ADAGRAD_EPS_INSIDE[o.preset];
    this.skipZero = o.preset === 'optax';
    if (this.mode === 'adagrad') {
      this.gw = new Float32Array(n);
      this.gb = new Float32Array(this.classes);
      if (o.initialAccumulatorValue !== 0) {
        this.gw.fill(o.initialAccumulatorValue);
        this.gb.fill(o.initialAccumulatorValue);
      }
    }
    if (o.l2 > 0 && this.mode !== 'dense') this.decayedThrough = new Uint32Array(this.size);
    if (this.mode === 'dense') this.dense = makeDenseOptimizers(o, this.w, this.b);
    this.scores = new Float64Array(this.classes);
    this.dz = new Float64Array(this.classes);
  }

  /** What predictions mean: 'logistic' (probability), 'identity' (score) or 'softmax' (class). */
  get link(): string {
    return LINKS[this.loss];
  }

  /** Progressive validation: the loss and prediction before the update, then the update. */
  learn(ex: Example): LearnResult {
    const y = this.labelOf(ex);
    const weight = checkWeight(ex);
    if (this.classes === 1 && this.mode === 'adagrad') {
      if (this.decayedThrough !== undefined) {
        if (this.epsInside) this.catchUpRows(ex);
        else this.catchUpRowsScalar(ex, this.decayedThrough);
      }
      this.examplesSeen++;
      return this.learnAdagradFast(ex, y, weight);
    }
    if (this.decayedThrough !== undefined) this.catchUpRows(ex);
    this.scoresInto(ex, false);
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
    this.scoresInto(ex, true);
    return this.evaluate(y);
  }

  /** Probability of the positive class for logistic, score for squared and hinge, class for softmax. */
  predict(ex: Example): number {
    this.scoresInto(ex, true);
    const s = this.scores;
    if (this.loss === 'logistic') return sigmoid(s[0]);
    if (this.loss === 'softmax') return argmax(s);
    return s[0];
  }

  /** Softmax: the probability of every class (for the other losses, the one score's link). */
  predictProba(ex: Example): Float64Array {
    this.scoresInto(ex, true);
    if (this.loss === 'softmax') return softmaxInto(this.scores, new Float64Array(this.classes));
    const p = this.loss === 'logistic' ? sigmoid(this.scores[0]) : this.scores[0];
    return Float64Array.of(p);
  }

  /** Raw scores z = w·x + b (one per class). */
  scoresOf(ex: Example): Float64Array {
    this.scoresInto(ex, true);
    return this.scores.slice();
  }

  /** The weight of feature row `row`, class k, as the model uses it now (pending L2 decay applied). */
  weight(row: number, k = 0): number {
    const i = row * this.classes + k;
    return this.w[i] * this.pendingDecay(row, i);
  }

  // ----- the hot path: binary/regression loss, AdaGrad -----

  private learnAdagradFast(ex: Example, y: number, weight: number): LearnResult {
    const { indices, values } = ex;
    const { w, mask } = this;
    const n = indices.length;
    let z = this.b[0];
    let previous = -1;
    let unique = true;
    for (let j = 0; j < n; j++) {
      const row = indices[j] & mask;
      if (row <= previous) unique = false;
      previous = row;
      z += w[row] * values[j];
    }
    const loss = SCALAR_LOSSES[this.loss as 'logistic'];
    const result: LearnResult = {
      loss: loss.value(z, y),
      prediction: this.loss === 'logistic' ? sigmoid(z) : z,
    };
    if (!Number.isFinite(z)) this.diverged(ex, z);
    if (weight === 0) return result;
    const dz = loss.gradient(z, y) * weight;
    if (!(Math.abs(dz) < MAX_SCORE_GRADIENT)) this.diverged(ex, z);
    this.dz[0] = dz;
    if (!unique) {
      this.coalesce(ex);
      this.update();
      return result;
    }
    const G = this.gw as Float32Array;
    const negLr = this.negLr;
    const eps = this.eps32;
    if (!this.epsInside) {
      for (let j = 0; j < n; j++) {
        const row = indices[j] & mask;
        const g = Math.fround(dz * values[j]);
        const acc = Math.fround(G[row] + Math.fround(g * g));
        G[row] = acc;
        // PyTorch's sparse branch: w += −lr · (g / (√G + ε)), one rounding for the fused multiply-add.
        w[row] = w[row] + negLr * Math.fround(g / Math.fround(Math.fround(Math.sqrt(acc)) + eps));
      }
    } else {
      for (let j = 0; j < n; j++) this.adagradStep(w, G, indices[j] & mask, Math.fround(dz * values[j]));
    }
    this.adagradStep(this.b, this.gb as Float32Array, 0, Math.fround(dz));
    this.updates++;
    return result;
  }

  /** catchUpRows for one class and ε outside the root, with the loop-invariant parts hoisted. */
  private catchUpRowsScalar(ex: Example, last: Uint32Array): void {
    const { indices } = ex;
    const { w, mask, updates } = this;
    const G = this.gw as Float32Array;
    const { l2, lr } = this.options;
    const eps = this.eps32;
    for (let j = 0; j < indices.length; j++) {
      const row = indices[j] & mask;
      const pending = updates - last[row];
      if (pending === 0) continue;
      last[row] = updates;
      if (w[row] === 0) continue;
      // η = lr/(√G + ε): the same numbers as pendingDecay().
      w[row] = w[row] * decayOver(l2 * (lr / (Math.fround(Math.sqrt(G[row])) + eps)), pending);
    }
  }

  // ----- the general path -----

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

  /** Scores into this.scores; `virtualDecay` reads pending L2 decay without applying it. */
  private scoresInto(ex: Example, virtualDecay: boolean): void {
    const { indices, values } = ex;
    const { w, mask, classes: K, scores } = this;
    const decay = virtualDecay && this.decayedThrough !== undefined;
    if (K === 1 && !decay) {
      // One score and nothing pending: the same sums without the class and decay loops, which a
      // short run, mostly not yet optimized by the JIT, would pay for per feature.
      let z = this.b[0];
      for (let j = 0; j < indices.length; j++) z += w[indices[j] & mask] * values[j];
      scores[0] = z;
      if (!Number.isFinite(z)) this.diverged(ex, z);
      return;
    }
    for (let k = 0; k < K; k++) scores[k] = this.b[k];
    for (let j = 0; j < indices.length; j++) {
      const row = indices[j] & mask;
      const x = values[j];
      const base = row * K;
      for (let k = 0; k < K; k++) {
        const wi = decay ? w[base + k] * this.pendingDecay(row, base + k) : w[base + k];
        scores[k] += wi * x;
      }
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
    }
  }

  /**
   * The example's gradient with duplicate rows summed in order of first appearance (float32
   * partial sums, as the library's coalesce), into this.rows / this.grads.
   */
  private coalesce(ex: Example): void {
    const { indices, values } = ex;
    const { mask, classes: K, dz } = this;
    const n = indices.length;
    if (this.rows.length < n) {
      this.rows = new Int32Array(Math.max(n, this.rows.length * 2));
      this.grads = new Float32Array(this.rows.length * K);
    } else if (this.grads.length < n * K) {
      this.grads = new Float32Array(this.rows.length * K);
    }
    const { rows, grads } = this;
    let slots: Map<number, number> | undefined;
    let previous = -1;
    let count = 0;
    for (let j = 0; j < n; j++) {
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

  /** Applies the coalesced gradient in this.rows / this.grads and the bias gradient dz. */
  private update(): void {
    const { rows, grads, rowCount, classes: K, w, dz } = this;
    if (this.mode === 'dense') {
      this.denseStep();
    } else if (this.mode === 'sgd') {
      const negLr = this.negLr;
      for (let s = 0; s < rowCount; s++) {
        const base = rows[s] * K;
        for (let k = 0; k < K; k++) w[base + k] = w[base + k] + negLr * grads[s * K + k];
      }
      for (let k = 0; k < K; k++) this.b[k] = this.b[k] + negLr * Math.fround(dz[k]);
    } else {
      const gw = this.gw as Float32Array;
      const gb = this.gb as Float32Array;
      for (let s = 0; s < rowCount; s++) {
        const base = rows[s] * K;
        for (let k = 0; k < K; k++) this.adagradStep(w, gw, base + k, grads[s * K + k]);
      }
      for (let k = 0; k < K; k++) this.adagradStep(this.b, gb, k, Math.fround(dz[k]));
    }
    this.updates++;
  }

  /**
   * One coordinate of the library's sparse AdaGrad step (src/kernels/reference.ts, adagradSparse),
   * for a weight (p = w, G = gw) or a bias (p = b, G = gb).
   */
  private adagradStep(p: Float32Array, G: Float32Array, i: number, g: number): void {
    const acc = Math.fround(G[i] + Math.fround(g * g));
    G[i] = acc;
    if (!this.epsInside) {
      p[i] = p[i] + this.negLr * Math.fround(g / Math.fround(Math.fround(Math.sqrt(acc)) + this.eps32));
    } else if (!(this.skipZero && acc === 0)) {
      p[i] =
        p[i] +
        Math.fround(Math.fround(this.negLr * g) / Math.fround(Math.sqrt(Math.fround(acc + this.eps32))));
    }
  }

  private denseStep(): void {
    const d = this.dense as DenseOptimizers;
    const { rows, grads, rowCount, classes: K, dz } = this;
    for (let s = 0; s < rowCount; s++) {
      const base = rows[s] * K;
      for (let k = 0; k < K; k++) d.gradW[base + k] = grads[s * K + k];
    }
    for (let k = 0; k < K; k++) d.gradB[k] = dz[k];
    d.w.step({ w: d.gradW });
    d.b.step({ b: d.gradB });
    for (let s = 0; s < rowCount; s++) d.gradW.fill(0, rows[s] * K, rows[s] * K + K);
  }

  // ----- lazy L2 -----

  /** Step size per unit gradient of coordinate i now: lr/(√G + ε) for AdaGrad, lr for SGD. */
  private rate(i: number): number {
    const o = this.options;
    if (this.mode === 'sgd') return o.lr;
    const G = (this.gw as Float32Array)[i];
    if (!this.epsInside) return o.lr / (Math.fround(Math.sqrt(G)) + this.eps32);
    if (this.skipZero && G === 0) return 0;
    return o.lr / Math.sqrt(Math.fround(G + this.eps32));
  }

  /** (1 − λη)^k for the k updates whose decay row `row` has not received yet. */
  private pendingDecay(row: number, i: number): number {
    if (this.decayedThrough === undefined) return 1;
    const pending = this.updates - this.decayedThrough[row];
    if (pending === 0 || this.w[i] === 0) return 1;
    return decayOver(this.options.l2 * this.rate(i), pending);
  }

  /** Brings the rows an example touches up to date before they are read and updated. */
  private catchUpRows(ex: Example): void {
    const last = this.decayedThrough as Uint32Array;
    const { indices } = ex;
    const { mask, classes: K, w } = this;
    for (let j = 0; j < indices.length; j++) {
      const row = indices[j] & mask;
      if (last[row] === this.updates) continue;
      for (let k = 0; k < K; k++) {
        const i = row * K + k;
        const f = this.pendingDecay(row, i);
        if (f !== 1) w[i] = w[i] * f;
      }
      last[row] = this.updates;
    }
  }

  /** Brings every weight up to date (for inspection or export; training does not need it). */
  applyPendingDecay(): void {
    const last = this.decayedThrough;
    if (last === undefined) return;
    const K = this.classes;
    for (let row = 0; row < this.size; row++) {
      if (last[row] === this.updates) continue;
      for (let k = 0; k < K; k++) {
        const i = row * K + k;
        const f = this.pendingDecay(row, i);
        if (f !== 1) this.w[i] = this.w[i] * f;
      }
      last[row] = this.updates;
    }
  }

  private diverged(ex: Example, score: number): never {
    throw new DataError(
      `the model diverged: score ${score} after ${this.examplesSeen} examples; lower the learning rate (lr ${this.options.lr})`,
      { line: ex.line },
    );
  }

  // ----- saving -----

  /** Everything needed to predict and to resume training exactly, as JSON plus named arrays. */
  stateForSave(): SavedModel {
    const arrays: Record<string, SavedArray> = { w: this.w, b: this.b };
    if (this.gw !== undefined && this.gb !== undefined) {
      arrays.gw = this.gw;
      arrays.gb = this.gb;
    }
    if (this.decayedThrough !== undefined) arrays.decayedThrough = this.decayedThrough;
    let optimizerState: Record<string, unknown> | undefined;
    if (this.dense !== undefined) {
      optimizerState = {
        w: detachBuffers(this.dense.w.stateDict(), 'opt.w', arrays),
        b: detachBuffers(this.dense.b.stateDict(), 'opt.b', arrays),
      };
    }
    return {
      kind: 'linear',
      header: {
        options: { ...this.options },
        link: this.link,
        labelKind: this.labelKind ?? null,
        examplesSeen: this.examplesSeen,
        updates: this.updates,
        ...(optimizerState ? { optimizerState } : {}),
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
      optimizerState?: { w: StateDict; b: StateDict };
    };
    const learner = new LinearLearner(h.options);
    const take = (name: string, into: SavedArray | undefined): void => restoreArray(saved, name, into);
    take('w', learner.w);
    take('b', learner.b);
    take('gw', learner.gw);
    take('gb', learner.gb);
    take('decayedThrough', learner.decayedThrough);
    if (learner.dense !== undefined) {
      const st = h.optimizerState;
      if (st === undefined) throw new LearnerError('saved linear model lacks its optimizer state');
      learner.dense.w.loadStateDict(attachBuffers(st.w, saved.arrays));
      learner.dense.b.loadStateDict(attachBuffers(st.b, saved.arrays));
    }
    learner.labelKind = h.labelKind ?? undefined;
    learner.examplesSeen = h.examplesSeen;
    learner.updates = h.updates;
    return learner;
  }
}

const ADAGRAD_EPS_INSIDE: Readonly<Record<LearnerOptions['preset'], boolean>> = {
  pytorch: false,
  paper: false,
  keras: true,
  tfjs: true,
  optax: true,
};

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

function makeDenseOptimizers(o: LearnerOptions, w: Float32Array, b: Float32Array): DenseOptimizers {
  // Gradients come from finite scores (checked per example), so the per-step finiteness scan of
  // 2^bits values would only cost time.
  const make = (params: { w: Float32Array } | { b: Float32Array }, weightDecay: number) => {
    if (o.optimizer === 'adagrad' || o.optimizer === 'sgd') {
      throw new LearnerError(`optimizer '${o.optimizer}' has no dense path`);
    }
    return createOptimizer(o.optimizer, params, { lr: o.lr, checkFinite: false, weightDecay });
  };
  return {
    w: make({ w }, o.l2) as DenseOptimizers['w'],
    b: make({ b }, 0) as DenseOptimizers['b'],
    gradW: alloc(w.length),
    gradB: new Float32Array(b.length),
  };
}
