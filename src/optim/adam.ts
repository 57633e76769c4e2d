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
import { betaPair, flag, nonNegative, rejectUnknownOptions } from './validate.js';

export interface AdamOptions extends CommonOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

function resolveAdamOptions(
  name: string,
  given: Record<string, unknown>,
  defaultWeightDecay: number,
): AdamOptions {
  rejectUnknownOptions(name, given, [
    'lr',
    'betas',
    'eps',
    'weightDecay',
    'amsgrad',
    'maximize',
    'checkFinite',
  ]);
  return {
    lr: nonNegative(name, 'lr', given.lr ?? 0.001),
    betas: betaPair(name, given.betas ?? [0.9, 0.999]),
    eps: nonNegative(name, 'eps', given.eps ?? 1e-8),
    weightDecay: nonNegative(name, 'weightDecay', given.weightDecay ?? defaultWeightDecay),
    amsgrad: flag(name, 'amsgrad', given.amsgrad ?? false),
    maximize: flag(name, 'maximize', given.maximize ?? false),
    ...resolveCommon(name, given),
  };
}

/**
 * Adam (Kingma & Ba, 2015), as torch.optim.Adam: momentum on g and RMSprop's leaky g², bias-corrected:
 *   m = β1·m + (1 - β1)·g;  v = β2·v + (1 - β2)·g²
 *   p -= lr/(1 - β1^t) · m / (sqrt(v)/sqrt(1 - β2^t) + eps)
 * Weight decay is an L2 term added to g; AdamW decouples it.
 */
export class Adam extends Optimizer<AdamOptions> {
  /** The variant a class implements: AdamW overrides it, and the constructor reads it from new.target. */
  protected static readonly variant: { name: 'Adam' | 'AdamW'; defaultWeightDecay: number } = {
    name: 'Adam',
    defaultWeightDecay: 0,
  };
  readonly name: string;
  /** AdamW shrinks the parameter directly instead of adding an L2 term to the gradient. */
  protected readonly decoupled: boolean;

  constructor(params: ParamsOrGroups, options: OptionsOf<AdamOptions> = {}) {
    const variant = (new.target as typeof Adam).variant;
    super(params, options);
    this.name = variant.name;
    this.decoupled = variant.name === 'AdamW';
  }

  protected resolveOptions(given: Record<string, unknown>): AdamOptions {
    const variant = (this.constructor as typeof Adam).variant;
    return resolveAdamOptions(variant.name, given, variant.defaultWeightDecay);
  }

  protected bufferNames(o: AdamOptions): readonly string[] {
    return ['expAvg', 'expAvgSq', ...(o.amsgrad ? ['maxExpAvgSq'] : [])];
  }

  protected applyDense(param: FloatArray, grad: CheckedDense, st: ParamState): void {
    const o = this.opts;
    const b = st.buffers;
    kernelsFor(param).adam(param, grad.values, b.expAvg, b.expAvgSq, b.maxExpAvgSq ?? null, {
      lr: o.lr,
      beta1: o.betas[0],
      beta2: o.betas[1],
      eps: o.eps,
      weightDecay: this.decoupled ? 0 : o.weightDecay,
      decoupledWeightDecay: this.decoupled ? o.weightDecay : 0,
      amsgrad: o.amsgrad,
      gradSign: o.maximize ? -1 : 1,
      step: st.step,
    });
  }

  protected accumulatorBuffer(): string {
    return 'expAvgSq';
  }

  protected effectiveRate(st: ParamState, i: number): number {
    const o = this.opts;
    const t = Math.max(st.step, 1);
    const v = o.amsgrad ? st.buffers.maxExpAvgSq[i] : st.buffers.expAvgSq[i];
    const stepSize = o.lr / (1 - o.betas[0] ** t);
    return stepSize / (Math.sqrt(v) / Math.sqrt(1 - o.betas[1] ** t) + o.eps);
  }
}

/** AdamW (Loshchilov & Hutter, 2019), as torch.optim.AdamW: p *= 1 - lr·wd, then Adam's step. */
export class AdamW extends Adam {
  protected static override readonly variant = { name: 'AdamW' as const, defaultWeightDecay: 0.01 };
}
