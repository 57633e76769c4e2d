import { adagradDaWeights, kernelsFor } from '../kernels/index.js';
import type { AdagradDaScalars } from '../kernels/types.js';
import type { CheckedDense, CheckedSparse } from './gradients.js';
import {
  Optimizer,
  resolveCommon,
  type CommonOptions,
  type ParamState,
  type OptionsOf,
  type ParamsOrGroups,
} from './optimizer.js';
import type { FloatArray } from './types.js';
import { flag, nonNegative, rejectUnknownOptions } from './validate.js';

export interface AdagradDAOptions extends CommonOptions {
  lr: number;
  /** δ added to the root: H = eps + √G. */
  eps: number;
  /** ℓ1 strength: the weight is 0 while |s| ≤ l1·t. */
  l1: number;
  /** ℓ2 strength: the objective holds t·(l2/2)·x², as TensorFlow 1's AdagradDAOptimizer. */
  l2: number;
  maximize: boolean;
}

function resolveAdagradDAOptions(given: Record<string, unknown>): AdagradDAOptions {
  const name = 'AdagradDA';
  rejectUnknownOptions(name, given, ['lr', 'eps', 'l1', 'l2', 'maximize', 'checkFinite']);
  return {
    lr: nonNegative(name, 'lr', given.lr ?? 0.01),
    eps: nonNegative(name, 'eps', given.eps ?? 1e-10),
    l1: nonNegative(name, 'l1', given.l1 ?? 0),
    l2: nonNegative(name, 'l2', given.l2 ?? 0),
    maximize: flag(name, 'maximize', given.maximize ?? false),
    ...resolveCommon(name, given),
  };
}

/**
 * Diagonal AdaGrad by regularized dual averaging (Duchi, Hazan & Singer 2011, §5.1; Xiao 2010;
 * TensorFlow 1's AdagradDAOptimizer). With s the sum of the gradients, G of their squares, t the step:
 *
 *   x = argmin ⟨s, x⟩ + t·l1·|x| + t·(l2/2)·x² + (H/(2·lr))·x²,   H = eps + √G
 *     = −sign(s)·lr·max(|s| − l1·t, 0) / (H + lr·l2·t)
 *
 * The weight is a function of (s, G, t) alone: the parameter's starting value is not used (dual
 * averaging starts from 0). Sparse gradients are lazy: only the named rows are written, the others keep
 * the weight of their last update although their exact weight drifts with t (the threshold l1·t grows);
 * refreshWeights() writes every coordinate's exact weight, adagradDaWeight() computes one.
 */
export class AdagradDA extends Optimizer<AdagradDAOptions> {
  readonly name = 'AdagradDA';

  constructor(params: ParamsOrGroups, options: OptionsOf<AdagradDAOptions> = {}) {
    super(params, options);
  }

  protected resolveOptions(given: Record<string, unknown>): AdagradDAOptions {
    return resolveAdagradDAOptions(given);
  }

  protected bufferNames(): readonly string[] {
    return ['gradSum', 'sumSq'];
  }

  protected override get sparseAllowed(): boolean {
    return true;
  }

  private scalars(step: number): AdagradDaScalars {
    const o = this.opts;
    return { lr: o.lr, eps: o.eps, l1: o.l1, l2: o.l2, step, gradSign: o.maximize ? -1 : 1 };
  }

  protected applyDense(param: FloatArray, grad: CheckedDense, st: ParamState): void {
    const { gradSum, sumSq } = st.buffers;
    kernelsFor(param).adagradDaDense(param, grad.values, gradSum, sumSq, this.scalars(st.step));
  }

  protected override applySparse(param: FloatArray, grad: CheckedSparse, st: ParamState): void {
    const { gradSum, sumSq } = st.buffers;
    kernelsFor(param).adagradDaSparse(
      param,
      gradSum,
      sumSq,
      grad.rows,
      grad.values,
      grad.rowSize,
      this.scalars(st.step),
    );
  }

  /**
   * Writes every coordinate's exact dual-averaging weight at its parameter's current step (what a dense
   * step would have left): after sparse steps, before reading or saving the whole model.
   */
  refreshWeights(): void {
    for (const [name, param] of Object.entries(this.params)) {
      const st = this.stateOf(name);
      if (st.step === 0) continue;
      adagradDaWeights(param, st.buffers.gradSum, st.buffers.sumSq, this.scalars(st.step));
    }
  }

  protected accumulatorBuffer(): string {
    return 'sumSq';
  }

  /** lr / (H + lr·l2·t): the weight's scale per unit of |s| beyond the ℓ1 threshold. */
  protected effectiveRate(st: ParamState, i: number): number {
    const o = this.opts;
    return o.lr / (o.eps + Math.sqrt(st.buffers.sumSq[i]) + o.lr * o.l2 * st.step);
  }
}
