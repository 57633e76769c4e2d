import { kernelsFor } from '../kernels/index.js';
import type { RmspropScalars } from '../kernels/types.js';
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

export interface RMSpropOptions extends CommonOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

function resolveRMSpropOptions(given: Record<string, unknown>): RMSpropOptions {
  const name = 'RMSprop';
  rejectUnknownOptions(name, given, [
    'lr',
    'alpha',
    'eps',
    'weightDecay',
    'momentum',
    'centered',
    'maximize',
    'checkFinite',
  ]);
  return {
    lr: nonNegative(name, 'lr', given.lr ?? 0.01),
    alpha: unitInterval(name, 'alpha', given.alpha ?? 0.99),
    eps: nonNegative(name, 'eps', given.eps ?? 1e-8),
    weightDecay: nonNegative(name, 'weightDecay', given.weightDecay ?? 0),
    momentum: nonNegative(name, 'momentum', given.momentum ?? 0),
    centered: flag(name, 'centered', given.centered ?? false),
    maximize: flag(name, 'maximize', given.maximize ?? false),
    ...resolveCommon(name, given),
  };
}

/** The kernels' scalars of one RMSprop step, from its resolved options (the lazy learner's too). */
export function rmspropScalars(o: RMSpropOptions): RmspropScalars {
  return {
    lr: o.lr,
    alpha: o.alpha,
    eps: o.eps,
    weightDecay: o.weightDecay,
    momentum: o.momentum,
    centered: o.centered,
    gradSign: o.maximize ? -1 : 1,
  };
}

/**
 * RMSprop (Hinton, 2012), AdaGrad with a leaky accumulator, as torch.optim.RMSprop:
 *   v = α·v + (1 - α)·g²;  p -= lr · g / (sqrt(v) + eps)
 * (centered: v - mean(g)² under the root; momentum: a buffer of the scaled steps).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  readonly name = 'RMSprop';

  constructor(params: ParamsOrGroups, options: OptionsOf<RMSpropOptions> = {}) {
    super(params, options);
  }

  protected resolveOptions(given: Record<string, unknown>): RMSpropOptions {
    return resolveRMSpropOptions(given);
  }

  protected bufferNames(o: RMSpropOptions): readonly string[] {
    return ['squareAvg', ...(o.centered ? ['gradAvg'] : []), ...(o.momentum > 0 ? ['momentumBuffer'] : [])];
  }

  protected applyDense(param: FloatArray, grad: CheckedDense, st: ParamState): void {
    const o = this.opts;
    const b = st.buffers;
    kernelsFor(param).rmsprop(
      param,
      grad.values,
      b.squareAvg,
      b.gradAvg ?? null,
      b.momentumBuffer ?? null,
      rmspropScalars(o),
    );
  }

  protected accumulatorBuffer(): string {
    return 'squareAvg';
  }

  protected effectiveRate(st: ParamState, i: number): number {
    const o = this.opts;
    let v = st.buffers.squareAvg[i];
    if (o.centered) v -= st.buffers.gradAvg[i] ** 2;
    return o.lr / (Math.sqrt(Math.max(v, 0)) + o.eps);
  }
}
