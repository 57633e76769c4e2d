/**
 * The optimizers by name, for code that lets its user choose one (the learner, the command, a config
 * file): `createOptimizer('adam', params, { lr: 0.01 })`.
 */
import { Adadelta } from './adadelta.js';
import { Adagrad, type AdagradPreset } from './adagrad.js';
import { AdagradDA } from './adagrad-da.js';
import { AdagradNorm } from './adagrad-norm.js';
import { Adam, AdamW } from './adam.js';
import { OptimizerInputError } from './errors.js';
import { Ftrl, type FtrlPreset } from './ftrl.js';
import { FullMatrixAdagrad } from './full-matrix-adagrad.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';
import { SparseAdam } from './sparse-adam.js';
import type { ParamsOrGroups } from './optimizer.js';
import type { LearningRate } from './schedules.js';

export const OPTIMIZERS = {
  adagrad: Adagrad,
  sgd: SGD,
  rmsprop: RMSprop,
  adam: Adam,
  adamw: AdamW,
  adadelta: Adadelta,
  ftrl: Ftrl,
  'adagrad-da': AdagradDA,
  'adagrad-norm': AdagradNorm,
  'sparse-adam': SparseAdam,
  'full-matrix-adagrad': FullMatrixAdagrad,
} as const;

export type OptimizerName = keyof typeof OPTIMIZERS;
export type AnyOptimizer = InstanceType<(typeof OPTIMIZERS)[OptimizerName]>;

/** The options every optimizer takes (PyTorch's defaults where left out), and AdaGrad's preset. */
export interface SharedOptimizerOptions {
  /** A number or a schedule. */
  lr?: LearningRate;
  weightDecay?: number;
  maximize?: boolean;
  checkFinite?: boolean;
  /** Only for 'adagrad' (its conventions) and 'ftrl' ('paper' or 'keras'). */
  preset?: AdagradPreset | FtrlPreset;
}

/** The optimizers that take a preset option. */
const WITH_PRESETS: readonly OptimizerName[] = ['adagrad', 'ftrl'];

export function createOptimizer(
  name: OptimizerName,
  params: ParamsOrGroups,
  options: SharedOptimizerOptions = {},
): AnyOptimizer {
  if (!Object.hasOwn(OPTIMIZERS, name)) {
    throw new OptimizerInputError(
      `unknown optimizer '${String(name)}' (one of ${Object.keys(OPTIMIZERS).join(', ')})`,
    );
  }
  if (options.preset !== undefined && !WITH_PRESETS.includes(name)) {
    throw new OptimizerInputError(`the preset option belongs to ${WITH_PRESETS.join(' and ')}, not ${name}`);
  }
  // Each constructor checks its options; these are the ones they share. An option given as undefined
  // is left out (a caller passing { lr, preset } with no preset chosen means no preset).
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return new OPTIMIZERS[name](params, given as never);
}
