import { kernelsFor } from '../kernels/index.js';
import { OptimizerInputError } from './errors.js';
import type { CheckedDense, CheckedGradient, CheckedSparse } from './gradients.js';
import {
  Optimizer,
  resolveCommon,
  type CommonOptions,
  type ParamState,
  type OptionsOf,
  type ParamsOrGroups,
} from './optimizer.js';
import type { FloatArray } from './types.js';
import { betaPair, flag, nonNegative, rejectUnknownOptions } from './validate.js';

export interface SparseAdamOptions extends CommonOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  maximize: boolean;
}

function resolveSparseAdamOptions(given: Record<string, unknown>): SparseAdamOptions {
  const name = 'SparseAdam';
  rejectUnknownOptions(name, given, ['lr', 'betas', 'eps', 'maximize', 'checkFinite']);
  return {
    lr: nonNegative(name, 'lr', given.lr ?? 0.001),
    betas: betaPair(name, given.betas ?? [0.9, 0.999]),
    eps: nonNegative(name, 'eps', given.eps ?? 1e-8),
    maximize: flag(name, 'maximize', given.maximize ?? false),
    ...resolveCommon(name, given),
  };
}

/**
 * torch.optim.SparseAdam, bit for bit in float32: Adam on the rows a sparse gradient names. Only those
 * rows' moments move (the others' do not decay), and the bias corrections use the parameter's step
 * count, which every step with a gradient for it advances (an empty one too, as in PyTorch). Dense
 * gradients are refused, as PyTorch does: use Adam.
 */
export class SparseAdam extends Optimizer<SparseAdamOptions> {
  readonly name = 'SparseAdam';

  constructor(params: ParamsOrGroups, options: OptionsOf<SparseAdamOptions> = {}) {
    super(params, options);
  }

  protected resolveOptions(given: Record<string, unknown>): SparseAdamOptions {
    return resolveSparseAdamOptions(given);
  }

  protected bufferNames(): readonly string[] {
    return ['expAvg', 'expAvgSq'];
  }

  protected override get sparseAllowed(): boolean {
    return true;
  }

  protected override checkStep(checked: ReadonlyMap<string, CheckedGradient>): void {
    for (const [name, g] of checked) {
      if (g.kind === 'dense') {
        throw new OptimizerInputError(
          `SparseAdam takes sparse gradients ({indices, values}) only, but parameter '${name}' got a dense one; use Adam for dense gradients`,
        );
      }
    }
  }

  protected applyDense(_param: FloatArray, _grad: CheckedDense, _st: ParamState): void {
    throw new OptimizerInputError('SparseAdam takes sparse gradients only'); // refused in checkStep
  }

  protected override applySparse(param: FloatArray, grad: CheckedSparse, st: ParamState): void {
    const o = this.opts;
    kernelsFor(param).sparseAdam(
      param,
      st.buffers.expAvg,
      st.buffers.expAvgSq,
      grad.rows,
      grad.values,
      grad.rowSize,
      {
        lr: o.lr,
        beta1: o.betas[0],
        beta2: o.betas[1],
        eps: o.eps,
        step: st.step,
        gradSign: o.maximize ? -1 : 1,
      },
    );
  }

  protected accumulatorBuffer(): string {
    return 'expAvgSq';
  }

  /** The step per unit of first moment: (lr·√(1 − β2^t)/(1 − β1^t)) / (√v + eps). */
  protected effectiveRate(st: ParamState, i: number): number {
    const o = this.opts;
    const t = Math.max(st.step, 1);
    const bc1 = 1 - o.betas[0] ** t;
    const bc2 = 1 - o.betas[1] ** t;
    return (o.lr * Math.sqrt(bc2)) / bc1 / (Math.sqrt(st.buffers.expAvgSq[i]) + o.eps);
  }
}
