import { kernelsFor } from '../kernels/index.js';
import { OptimizerInputError } from './errors.js';
import type { CheckedDense, CheckedGradient, CheckedSparse } from './gradients.js';
import {
  Optimizer,
  resolveCommon,
  type CommonOptions,
  type StateDict,
  type OptionsOf,
  type ParamsOrGroups,
} from './optimizer.js';
import type { FloatArray } from './types.js';
import { describe, flag, nonNegative, rejectUnknownOptions } from './validate.js';

export interface AdagradNormOptions extends CommonOptions {
  lr: number;
  /** b0², where the one accumulator b² starts. */
  initialAccumulatorValue: number;
  maximize: boolean;
}

/** AdagradNorm's state dict: the per-parameter part, and the accumulator b² they share. */
export interface AdagradNormStateDict extends StateDict {
  sumOfSquares: number;
}

function resolveAdagradNormOptions(given: Record<string, unknown>): AdagradNormOptions {
  const name = 'AdagradNorm';
  rejectUnknownOptions(name, given, ['lr', 'initialAccumulatorValue', 'maximize', 'checkFinite']);
  return {
    lr: nonNegative(name, 'lr', given.lr ?? 0.01),
    initialAccumulatorValue: nonNegative(name, 'initialAccumulatorValue', given.initialAccumulatorValue ?? 0),
    maximize: flag(name, 'maximize', given.maximize ?? false),
    ...resolveCommon(name, given),
  };
}

/**
 * AdaGrad-Norm (Ward, Wu & Bottou 2019): one step size for every coordinate of every parameter,
 *
 *   b² ← b² + ‖g‖²  (over all gradients of the step);   x ← x − lr·g/b
 *
 * from b² = initialAccumulatorValue (b0²). While b is 0 (every gradient so far was 0) nothing moves.
 * Sparse gradients add the squares of their values and move only their rows: the same as the dense
 * step with zeros elsewhere.
 */
export class AdagradNorm extends Optimizer<AdagradNormOptions> {
  readonly name = 'AdagradNorm';
  private sumOfSquares: number;

  constructor(params: ParamsOrGroups, options: OptionsOf<AdagradNormOptions> = {}) {
    super(params, options);
    this.sumOfSquares = this.opts.initialAccumulatorValue;
  }

  protected resolveOptions(given: Record<string, unknown>): AdagradNormOptions {
    return resolveAdagradNormOptions(given);
  }

  protected bufferNames(): readonly string[] {
    return [];
  }

  protected override get sparseAllowed(): boolean {
    return true;
  }

  /** The accumulator b² shared by all parameters. */
  get accumulatorValue(): number {
    return this.sumOfSquares;
  }

  // Runs once per step after every gradient is checked: b² takes the whole step's ‖g‖² before any update.
  protected override checkStep(checked: ReadonlyMap<string, CheckedGradient>): void {
    let squares = 0;
    for (const g of checked.values()) {
      for (let i = 0; i < g.values.length; i++) squares += g.values[i] * g.values[i];
    }
    this.sumOfSquares += squares;
  }

  /** −lr/b, 0 while b is 0. */
  private negRate(): number {
    const b = Math.sqrt(this.sumOfSquares);
    return b > 0 ? -this.opts.lr / b : 0;
  }

  protected applyDense(param: FloatArray, grad: CheckedDense): void {
    // x − (lr/b)·g is SGD's step with rate lr/b.
    kernelsFor(param).sgd(param, grad.values, null, {
      lr: -this.negRate(),
      momentum: 0,
      dampening: 0,
      nesterov: false,
      weightDecay: 0,
      gradSign: this.opts.maximize ? -1 : 1,
      firstStep: false,
    });
  }

  protected override applySparse(param: FloatArray, grad: CheckedSparse): void {
    // As the SGD kernel: p + (−lr/b)·g in one rounding (a Float32Array's store rounds once).
    const rate = param instanceof Float32Array ? Math.fround(this.negRate()) : this.negRate();
    const signed = this.opts.maximize ? -rate : rate;
    const { rows, values, rowSize } = grad;
    for (let j = 0; j < rows.length; j++) {
      const base = rows[j] * rowSize;
      for (let c = 0; c < rowSize; c++) param[base + c] += signed * values[j * rowSize + c];
    }
  }

  protected accumulatorBuffer(): null {
    return null;
  }

  /** b², the one accumulator, for every coordinate. */
  override accumulator(name: string): FloatArray {
    const out = super.accumulator(name);
    out.fill(this.sumOfSquares);
    return out;
  }

  /** lr / b for every coordinate. */
  protected effectiveRate(): number {
    return -this.negRate();
  }

  override stateDict(): AdagradNormStateDict {
    return { ...super.stateDict(), sumOfSquares: this.sumOfSquares };
  }

  /** Restores a stateDict(), b² included; checks it all first and changes nothing on a mismatch. */
  override loadStateDict(dict: unknown): void {
    if (typeof dict !== 'object' || dict === null) return super.loadStateDict(dict);
    const b2 = (dict as Partial<AdagradNormStateDict>).sumOfSquares;
    if (typeof b2 !== 'number' || !Number.isFinite(b2) || b2 < 0) {
      throw new OptimizerInputError(
        `AdagradNorm.loadStateDict: 'sumOfSquares' must be a finite number >= 0, got ${describe(b2)}`,
      );
    }
    super.loadStateDict(dict);
    this.sumOfSquares = b2;
  }
}
