/**
 * The library's optimizers by command-line name. The CLI only chooses: every update is the
 * library's own (src/optim), so the command trains with exactly what the explainer shows.
 */
import {
  Adadelta,
  Adagrad,
  type AdagradPreset,
  ADAGRAD_PRESETS,
  Adam,
  AdamW,
  type Params,
  RMSprop,
  SGD,
} from '../optim/index.js';

import { OPTIMIZER_NAMES, type OptimizerName } from '../learn/options.js';

export { OPTIMIZER_NAMES, type OptimizerName };
export const PRESET_NAMES = Object.keys(ADAGRAD_PRESETS) as AdagradPreset[];

export interface OptimizerChoice {
  name: OptimizerName;
  lr: number;
  preset?: AdagradPreset;
}

export type AnyOptimizer = Adagrad | SGD | RMSprop | Adam | AdamW | Adadelta;

export function makeOptimizer(params: Params, choice: OptimizerChoice): AnyOptimizer {
  const { lr } = choice;
  switch (choice.name) {
    case 'adagrad':
      return new Adagrad(params, { preset: choice.preset ?? 'pytorch', lr });
    case 'sgd':
      return new SGD(params, { lr });
    case 'rmsprop':
      return new RMSprop(params, { lr });
    case 'adam':
      return new Adam(params, { lr });
    case 'adamw':
      return new AdamW(params, { lr });
    case 'adadelta':
      return new Adadelta(params, { lr });
  }
}
