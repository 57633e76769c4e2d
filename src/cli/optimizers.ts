/**
 * The library's optimizers by command-line name. The CLI only chooses: every update is the
 * library's own (src/optim), so the command trains with exactly what the explainer shows.
 */
import { type AdagradPreset, ADAGRAD_PRESETS } from '../optim/index.js';

import { OPTIMIZER_NAMES, type OptimizerName } from '../learn/options.js';

export { OPTIMIZER_NAMES, type OptimizerName };
export const PRESET_NAMES = Object.keys(ADAGRAD_PRESETS) as AdagradPreset[];
