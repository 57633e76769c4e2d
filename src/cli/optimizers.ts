/**
 * The library's optimizers by command-line name. The CLI only chooses: every update is the
 * library's own (src/optim), so the command trains with exactly what the explainer shows.
 */
import {
  type AdagradPreset,
  ADAGRAD_PRESETS,
  type AnyOptimizer,
  createOptimizer,
  type Params,
} from '../optim/index.js';

import { OPTIMIZER_NAMES, type OptimizerName } from '../learn/options.js';

export { OPTIMIZER_NAMES, type OptimizerName };
export const PRESET_NAMES = Object.keys(ADAGRAD_PRESETS) as AdagradPreset[];

export interface OptimizerChoice {
  name: OptimizerName;
  lr: number;
  preset?: AdagradPreset;
}

export function makeOptimizer(params: Params, choice: OptimizerChoice): AnyOptimizer {
  const { name, lr } = choice;
  return createOptimizer(
    name,
    params,
    name === 'adagrad' ? { preset: choice.preset ?? 'pytorch', lr } : { lr },
  );
}
