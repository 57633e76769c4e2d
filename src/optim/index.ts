export type { FloatArray, Params, SparseGradient, DenseGradient, Gradient, Gradients } from './types.js';
export { isSparseGradient } from './types.js';
export { OptimizerInputError } from './errors.js';
export { Optimizer, STATE_FORMAT, STATE_VERSION } from './optimizer.js';
export type { CommonOptions, OptionsOf, ParamGroup, ParamsOrGroups, StateDict } from './optimizer.js';
export { Adagrad, ADAGRAD_PRESETS } from './adagrad.js';
export type {
  AdagradOptions,
  AdagradHyperparameters,
  AdagradPreset,
  EpsPlacement,
  RoundingOrder,
} from './adagrad.js';
export { Ftrl, FTRL_PRESETS } from './ftrl.js';
export type { FtrlOptions, FtrlHyperparameters, FtrlPreset } from './ftrl.js';
export { AdagradDA } from './adagrad-da.js';
export type { AdagradDAOptions } from './adagrad-da.js';
export { AdagradNorm } from './adagrad-norm.js';
export type { AdagradNormOptions, AdagradNormStateDict } from './adagrad-norm.js';
export { SparseAdam } from './sparse-adam.js';
export {
  DEFAULT_FULL_MATRIX_EPS,
  FULL_MATRIX_MAX_COORDINATES,
  FullMatrixAdagrad,
} from './full-matrix-adagrad.js';
export type { FullMatrixAdagradOptions, FullMatrixAdagradStateDict } from './full-matrix-adagrad.js';
export type { SparseAdamOptions } from './sparse-adam.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { RMSprop } from './rmsprop.js';
export type { RMSpropOptions } from './rmsprop.js';
export { Adam, AdamW } from './adam.js';
export type { AdamOptions } from './adam.js';
export { Adadelta } from './adadelta.js';
export type { AdadeltaOptions } from './adadelta.js';
export { OPTIMIZERS, createOptimizer } from './by-name.js';
export type { AnyOptimizer, OptimizerName, SharedOptimizerOptions } from './by-name.js';
export { clipGradNorm, clipGradValue } from './clip.js';
export type { ClipGradNormOptions } from './clip.js';
export {
  checkSchedule,
  constantLr,
  cosineDecay,
  exponentialDecay,
  linearSchedule,
  lrDecay,
  polynomialDecay,
  ReduceLROnPlateau,
  scheduleAt,
  sequential,
  stepDecay,
  warmup,
} from './schedules.js';
export type { LearningRate, ReduceLROnPlateauOptions, Schedule } from './schedules.js';
