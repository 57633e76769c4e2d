import { kernelsFor } from '../kernels/index.js';
import type { CheckedDense } from './gradients.js';
import {
  Optimizer,
  resolveCommon,
  type CommonOptions,
  type ParamState,
  type OptionsOf,
  type ParamsOrGroups,
} from './optimizer.js';
import type { FloatArray } from './types.js';
import { flag, nonNegative, rejectUnknownOptions, unitInterval } from './validate.js';

export interface AdadeltaOptions extends CommonOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

function resolveAdadeltaOptions(given: Record<string, unknown>): AdadeltaOptions {
  const name = 'Adadelta';
  rejectUnknownOptions(name, given, ['lr', 'rho', 'eps', 'weightDecay', 'maximize', 'checkFinite']);
  return {
    lr: nonNegative(name, 'lr', given.lr ?? 1),
    rho: unitInterval(name, 'rho', given.rho ?? 0.9),
    eps: nonNegative(name, 'eps', given.eps ?? 1e-6),
    weightDecay: nonNegative(name, 'weightDecay', given.weightDecay ?? 0),
    maximize: flag(name, 'maximize', given.maximize ?? false),
    ...resolveCommon(name, given),
  };
}

/**
 * Adadelta (Zeiler, 2012), as torch.optim.Adadelta: the step's units come from a leaky average of past
 * steps, so no global rate is needed:
 *   v = ρ·v + (1 - ρ)·g²;  Δ = sqrt(u + eps) / sqrt(v + eps) · g;  u = ρ·u + (1 - ρ)·Δ²;  p -= lr·Δ
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  readonly name = 'Adadelta';

  constructor(params: ParamsOrGroups, options: OptionsOf<AdadeltaOptions> = {}) {
    super(params, options);
  }

  protected resolveOptions(given: Record<string, unknown>): AdadeltaOptions {
    return resolveAdadeltaOptions(given);
  }

  protected bufferNames(): readonly string[] {
    return ['squareAvg', 'accDelta'];
  }

  protected applyDense(param: FloatArray, grad: CheckedDense, st: ParamState): void {
    const o = this.opts;
    kernelsFor(param).adadelta(param, grad.values, st.buffers.squareAvg, st.buffers.accDelta, {
      lr: o.lr,
      rho: o.rho,
      eps: o.eps,
      weightDecay: o.weightDecay,
      gradSign: o.maximize ? -1 : 1,
    });
  }

  protected accumulatorBuffer(): string {
    return 'squareAvg';
  }

  protected effectiveRate(st: ParamState, i: number): number {
    const o = this.opts;
    return (o.lr * Math.sqrt(st.buffers.accDelta[i] + o.eps)) / Math.sqrt(st.buffers.squareAvg[i] + o.eps);
  }
}
