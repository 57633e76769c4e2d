import { kernelsFor } from '../kernels/index.js';
import type { FtrlScalars } from '../kernels/types.js';
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
import { flag, nonNegative, oneOf, positive, rejectUnknownOptions } from './validate.js';

export interface FtrlHyperparameters {
  /** The paper's α: the per-coordinate rate is α / (β + √n). */
  lr: number;
  /** The paper's β. */
  beta: number;
  /** The paper's λ1: |z| ≤ l1 gives an exact zero. */
  l1: number;
  /** The paper's λ2: the penalty (λ2/2)·w² (Keras's l2_regularization_strength is half of it). */
  l2: number;
  /** Where n starts. */
  initialAccumulatorValue: number;
  maximize: boolean;
}

export type FtrlOptions = FtrlHyperparameters & CommonOptions;

/** 'paper': McMahan et al. 2013; 'keras': keras.optimizers.Ftrl's defaults in the paper's terms. */
export type FtrlPreset = 'paper' | 'keras';

export const FTRL_PRESETS: Readonly<Record<FtrlPreset, Readonly<FtrlHyperparameters>>> = {
  // The paper gives no α; 0.1 with β = 1 is the setting its widely used per-coordinate
  // implementations start from for logistic regression on sparse hashed features.
  paper: { lr: 0.1, beta: 1, l1: 0, l2: 0, initialAccumulatorValue: 0, maximize: false },
  // keras.optimizers.Ftrl(learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
  // beta=0): its quadratic √n/lr + 2·l2 + beta/lr is the paper's (β + √n)/α + λ2 with λ2 = 2·l2.
  keras: { lr: 0.001, beta: 0, l1: 0, l2: 0, initialAccumulatorValue: 0.1, maximize: false },
};

const OPTION_NAMES = ['preset', 'checkFinite', ...Object.keys(FTRL_PRESETS.paper)];

function resolveFtrlOptions(given: Record<string, unknown>): FtrlOptions {
  const name = 'Ftrl';
  rejectUnknownOptions(name, given, OPTION_NAMES);
  const preset = oneOf(name, 'preset', given.preset ?? 'paper', ['paper', 'keras'] as const);
  const pick = <K extends keyof FtrlHyperparameters>(k: K): unknown => given[k] ?? FTRL_PRESETS[preset][k];
  return {
    lr: positive(name, 'lr', pick('lr')),
    beta: nonNegative(name, 'beta', pick('beta')),
    l1: nonNegative(name, 'l1', pick('l1')),
    l2: nonNegative(name, 'l2', pick('l2')),
    initialAccumulatorValue: nonNegative(name, 'initialAccumulatorValue', pick('initialAccumulatorValue')),
    maximize: flag(name, 'maximize', pick('maximize')),
    ...resolveCommon(name, given),
  };
}

/**
 * FTRL-Proximal (McMahan et al. 2013, "Ad Click Prediction", Algorithm 1), per coordinate:
 *
 *   σ = (√(n + g²) − √n) / α;   z ← z + g − σ·w;   n ← n + g²
 *   w = 0 if |z| ≤ λ1, else −(z − sign(z)·λ1) / ((β + √n)/α + λ2)
 *
 * w is the parameter: its value when the first gradient arrives enters z once (as in Keras), and after
 * every step it is the closed form of (z, n). Sparse gradients update only the named rows: every other
 * weight already equals its closed form, which no gradient changed, so a sparse step is the dense step
 * with zeros elsewhere, bit for bit (lazy and exact). One exception: a row that starts non-zero and has
 * had no gradient yet keeps its start, where a dense step would set it to its closed form (0).
 */
export class Ftrl extends Optimizer<FtrlOptions> {
  readonly name = 'Ftrl';

  constructor(params: ParamsOrGroups, options: OptionsOf<FtrlOptions> & { preset?: FtrlPreset } = {}) {
    super(params, options);
    for (const name of Object.keys(this.params)) this.stateOf(name);
  }

  protected resolveOptions(given: Record<string, unknown>): FtrlOptions {
    return resolveFtrlOptions(given);
  }

  protected bufferNames(): readonly string[] {
    return ['z', 'n'];
  }

  protected override initialValue(buffer: string): number {
    return buffer === 'n' ? this.opts.initialAccumulatorValue : 0;
  }

  protected override get sparseAllowed(): boolean {
    return true;
  }

  private scalars(): FtrlScalars {
    const o = this.opts;
    return { alpha: o.lr, beta: o.beta, l1: o.l1, l2: o.l2, gradSign: o.maximize ? -1 : 1 };
  }

  protected applyDense(param: FloatArray, grad: CheckedDense, st: ParamState): void {
    kernelsFor(param).ftrlDense(param, grad.values, st.buffers.z, st.buffers.n, this.scalars());
  }

  protected override applySparse(param: FloatArray, grad: CheckedSparse, st: ParamState): void {
    const { z, n } = st.buffers;
    kernelsFor(param).ftrlSparse(param, z, n, grad.rows, grad.values, grad.rowSize, this.scalars());
  }

  protected accumulatorBuffer(): string {
    return 'n';
  }

  /** The paper's per-coordinate learning rate α / (β + √n). */
  protected effectiveRate(st: ParamState, i: number): number {
    return this.opts.lr / (this.opts.beta + Math.sqrt(st.buffers.n[i]));
  }
}
