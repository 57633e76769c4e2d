import { kernelsFor } from '../kernels/index.js';
import type { AdagradScalars } from '../kernels/types.js';
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
import { flag, nonNegative, oneOf, rejectUnknownOptions } from './validate.js';

/** Where epsilon goes: g / (sqrt(G) + eps) ('outside') or g / sqrt(G + eps) ('inside'). */
export type EpsPlacement = 'outside' | 'inside';

/**
 * The float32 order of operations: 'pytorch' (p + (−lr·g)/H, the accumulator's g² fused) or 'tfjs'
 * (TensorFlow.js: (g/H)·(−lr) + p, each operation rounded, g² rounded before it is added).
 */
export type RoundingOrder = 'pytorch' | 'tfjs';

export interface AdagradHyperparameters {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
  epsPlacement: EpsPlacement;
  /** Keras: decay the parameter directly, p -= lr·wd·p, instead of adding wd·p to the gradient. */
  decoupledWeightDecay: boolean;
  /** Optax: a coordinate whose accumulator is exactly 0 gets no update (its gradient was always 0). */
  skipZeroAccumulator: boolean;
  /**
   * ℓ1 strength by composite mirror descent (Duchi et al. 2011, §5.1): after the step u, each weight
   * becomes sign(u)·max(|u| − clr·l1/H, 0), H = sqrt(G) + eps, so weights reach exact zeros. Only with
   * epsPlacement 'outside'. Sparse steps shrink only the rows they name (lazy).
   */
  l1: number;
  /** Whose float32 rounding the step follows (see RoundingOrder); the tfjs preset sets 'tfjs'. */
  roundingOrder: RoundingOrder;
}

export type AdagradOptions = AdagradHyperparameters & CommonOptions;

/** The same algorithm as spelled by each library; see the conventions table in the README. */
export type AdagradPreset = 'pytorch' | 'keras' | 'tfjs' | 'optax' | 'paper';

// torch.optim.Adagrad's defaults.
const PYTORCH: Readonly<AdagradHyperparameters> = {
  lr: 0.01,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
  epsPlacement: 'outside',
  decoupledWeightDecay: false,
  skipZeroAccumulator: false,
  l1: 0,
  roundingOrder: 'pytorch',
};

export const ADAGRAD_PRESETS: Readonly<Record<AdagradPreset, Readonly<AdagradHyperparameters>>> = {
  pytorch: PYTORCH,
  // keras.optimizers.Adagrad: learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7.
  keras: {
    lr: 0.001,
    lrDecay: 0,
    weightDecay: 0,
    initialAccumulatorValue: 0.1,
    eps: 1e-7,
    maximize: false,
    epsPlacement: 'inside',
    decoupledWeightDecay: true,
    skipZeroAccumulator: false,
    l1: 0,
    roundingOrder: 'pytorch',
  },
  // tf.train.adagrad(learningRate, initialAccumulatorValue = 0.1); epsilon is the backend's 1e-7.
  tfjs: {
    lr: 0.01,
    lrDecay: 0,
    weightDecay: 0,
    initialAccumulatorValue: 0.1,
    eps: 1e-7,
    maximize: false,
    epsPlacement: 'inside',
    decoupledWeightDecay: false,
    skipZeroAccumulator: false,
    l1: 0,
    roundingOrder: 'tfjs',
  },
  // optax.adagrad(learning_rate, initial_accumulator_value=0.1, eps=1e-7).
  optax: {
    lr: 0.01,
    lrDecay: 0,
    weightDecay: 0,
    initialAccumulatorValue: 0.1,
    eps: 1e-7,
    maximize: false,
    epsPlacement: 'inside',
    decoupledWeightDecay: false,
    skipZeroAccumulator: true,
    l1: 0,
    roundingOrder: 'pytorch',
  },
  // Duchi, Hazan & Singer (2011): G starts at 0, delta added outside the root; PyTorch kept exactly that.
  paper: PYTORCH,
};

const OPTION_NAMES = [
  'preset',
  'checkFinite',
  ...(Object.keys(ADAGRAD_PRESETS.pytorch) as (keyof AdagradHyperparameters)[]),
];

function resolveAdagradOptions(given: Record<string, unknown>): AdagradOptions {
  const name = 'Adagrad';
  rejectUnknownOptions(name, given, OPTION_NAMES);
  const preset = oneOf(
    name,
    'preset',
    given.preset ?? 'pytorch',
    Object.keys(ADAGRAD_PRESETS) as AdagradPreset[],
  );
  const base = ADAGRAD_PRESETS[preset];
  const pick = <K extends keyof AdagradHyperparameters>(k: K): unknown => given[k] ?? base[k];
  const options: AdagradOptions = {
    lr: nonNegative(name, 'lr', pick('lr')),
    lrDecay: nonNegative(name, 'lrDecay', pick('lrDecay')),
    weightDecay: nonNegative(name, 'weightDecay', pick('weightDecay')),
    initialAccumulatorValue: nonNegative(name, 'initialAccumulatorValue', pick('initialAccumulatorValue')),
    eps: nonNegative(name, 'eps', pick('eps')),
    maximize: flag(name, 'maximize', pick('maximize')),
    epsPlacement: oneOf(name, 'epsPlacement', pick('epsPlacement'), ['outside', 'inside'] as const),
    decoupledWeightDecay: flag(name, 'decoupledWeightDecay', pick('decoupledWeightDecay')),
    skipZeroAccumulator: flag(name, 'skipZeroAccumulator', pick('skipZeroAccumulator')),
    l1: nonNegative(name, 'l1', pick('l1')),
    roundingOrder: oneOf(name, 'roundingOrder', pick('roundingOrder'), ['pytorch', 'tfjs'] as const),
    ...resolveCommon(name, given),
  };
  if (options.l1 !== 0 && options.epsPlacement !== 'outside') {
    throw new OptimizerInputError(
      `${name}: option 'l1' needs epsPlacement 'outside' (composite mirror descent divides by H = sqrt(G) + eps), got epsPlacement '${options.epsPlacement}'${given.preset === undefined ? '' : ` from preset '${String(given.preset)}'`}`,
    );
  }
  return options;
}

/**
 * AdaGrad (Duchi, Hazan & Singer, 2011), exactly as torch.optim.Adagrad by default:
 *
 *   clr = lr / (1 + (t - 1)·lrDecay)
 *   G  += g²
 *   p  -= clr · g / (sqrt(G) + eps)
 *
 * With l1 > 0 (composite mirror descent, Duchi et al. 2011 §5.1), H = sqrt(G) + eps and the step is
 *   u = p − clr·g/H;   p = sign(u)·max(|u| − clr·l1/H, 0)
 *
 * Sparse gradients update only the rows they name, in time proportional to those rows. Untouched
 * rows are not shrunk by l1 in that step (a dense step with a zero gradient would shrink them).
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  readonly name = 'Adagrad';

  constructor(params: ParamsOrGroups, options: OptionsOf<AdagradOptions> & { preset?: AdagradPreset } = {}) {
    super(params, options);
    // PyTorch creates the accumulator up front, so its initial value is visible before any step.
    for (const name of Object.keys(this.params)) this.stateOf(name);
  }

  protected resolveOptions(given: Record<string, unknown>): AdagradOptions {
    return resolveAdagradOptions(given);
  }

  protected bufferNames(): readonly string[] {
    return ['sum'];
  }

  protected override initialValue(): number {
    return this.opts.initialAccumulatorValue;
  }

  protected override get sparseAllowed(): boolean {
    return true;
  }

  protected override checkStep(checked: ReadonlyMap<string, CheckedGradient>): void {
    if (this.opts.weightDecay === 0 || this.opts.decoupledWeightDecay) return;
    for (const [name, g] of checked) {
      if (g.kind === 'sparse') {
        throw new OptimizerInputError(
          `Adagrad: weightDecay with a sparse gradient (parameter '${name}') would touch every row; as in PyTorch it is not supported — use decoupledWeightDecay: true to decay only the rows each step names`,
        );
      }
    }
  }

  /** The last scalars made and the options they were made from: one object per options, not per step. */
  private lastScalars: { from: AdagradOptions; scalars: AdagradScalars } | undefined;

  private scalars(step: number): AdagradScalars {
    const o = this.opts;
    const clr = o.lr / (1 + (step - 1) * o.lrDecay);
    // The learner steps once per example: reusing the object spares the collector two per example.
    const last = this.lastScalars;
    if (last !== undefined && last.from === o) {
      last.scalars.clr = clr;
      return last.scalars;
    }
    const decay = o.decoupledWeightDecay ? o.weightDecay : 0;
    const scalars: AdagradScalars = {
      clr,
      eps: o.eps,
      gradSign: o.maximize ? -1 : 1,
      weightDecay: o.weightDecay - decay,
      decoupledWeightDecay: decay,
      epsInside: o.epsPlacement === 'inside',
      skipZeroAccumulator: o.skipZeroAccumulator,
      l1: o.l1,
      tfjsOrder: o.roundingOrder === 'tfjs',
    };
    this.lastScalars = { from: o, scalars };
    return scalars;
  }

  protected applyDense(param: FloatArray, grad: CheckedDense, st: ParamState): void {
    kernelsFor(param).adagradDense(param, grad.values, st.buffers.sum, this.scalars(st.step));
  }

  protected override applySparse(param: FloatArray, grad: CheckedSparse, st: ParamState): void {
    kernelsFor(param).adagradSparse(
      param,
      st.buffers.sum,
      grad.rows,
      grad.values,
      grad.rowSize,
      this.scalars(st.step),
    );
  }

  protected accumulatorBuffer(): string {
    return 'sum';
  }

  /** clr / (sqrt(G) + eps), or clr / sqrt(G + eps) with eps inside; 0 where Optax would skip. */
  protected effectiveRate(st: ParamState, i: number): number {
    const o = this.opts;
    const clr = o.lr / (1 + Math.max(st.step - 1, 0) * o.lrDecay);
    const G = st.buffers.sum[i];
    if (o.epsPlacement === 'outside') return clr / (Math.sqrt(G) + o.eps);
    if (o.skipZeroAccumulator && G === 0) return 0;
    return clr / Math.sqrt(G + o.eps);
  }
}
