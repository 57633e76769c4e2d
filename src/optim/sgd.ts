import type { LearningRate } from './schedules.js';
import { kernelsFor } from '../kernels/index.js';
import { OptimizerInputError } from './errors.js';
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
import { flag, nonNegative, rejectUnknownOptions } from './validate.js';

export interface SGDOptions extends CommonOptions {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

function resolveSGDOptions(given: Record<string, unknown>): SGDOptions {
  const name = 'SGD';
  rejectUnknownOptions(name, given, [
    'lr',
    'momentum',
    'dampening',
    'nesterov',
    'weightDecay',
    'maximize',
    'checkFinite',
  ]);
  if (given.lr === undefined)
    throw new OptimizerInputError(`SGD: option 'lr' is required (PyTorch has no default)`);
  const o: SGDOptions = {
    lr: nonNegative(name, 'lr', given.lr),
    momentum: nonNegative(name, 'momentum', given.momentum ?? 0),
    dampening: nonNegative(name, 'dampening', given.dampening ?? 0),
    nesterov: flag(name, 'nesterov', given.nesterov ?? false),
    weightDecay: nonNegative(name, 'weightDecay', given.weightDecay ?? 0),
    maximize: flag(name, 'maximize', given.maximize ?? false),
    ...resolveCommon(name, given),
  };
  if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
    throw new OptimizerInputError('SGD: nesterov requires momentum > 0 and dampening = 0');
  }
  return o;
}

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, as torch.optim.SGD:
 *   d = g + wd·p;  b = μ·b + (1 - τ)·d  (b = d on the first step);  d = nesterov ? d + μ·b : b;  p -= lr·d
 */
export class SGD extends Optimizer<SGDOptions> {
  readonly name = 'SGD';

  constructor(params: ParamsOrGroups, options: OptionsOf<SGDOptions> & { lr: LearningRate }) {
    super(params, options);
  }

  protected resolveOptions(given: Record<string, unknown>): SGDOptions {
    return resolveSGDOptions(given);
  }

  protected bufferNames(o: SGDOptions): readonly string[] {
    return o.momentum !== 0 ? ['momentumBuffer'] : [];
  }

  protected applyDense(param: FloatArray, grad: CheckedDense, st: ParamState): void {
    const o = this.opts;
    kernelsFor(param).sgd(param, grad.values, st.buffers.momentumBuffer ?? null, {
      lr: o.lr,
      momentum: o.momentum,
      dampening: o.dampening,
      nesterov: o.nesterov,
      weightDecay: o.weightDecay,
      gradSign: o.maximize ? -1 : 1,
      firstStep: st.step === 1,
    });
  }

  protected accumulatorBuffer(): null {
    return null;
  }

  protected effectiveRate(): number {
    return this.opts.lr;
  }
}
