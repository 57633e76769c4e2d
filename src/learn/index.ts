// The learner's browser-safe API: losses, labels, the linear learner, the small network, metrics,
// training with progressive holdout, and the model file format (bytes only; files are in ./node).
export { LearnerError } from './errors.js';
export type { LossName } from './losses.js';
export {
  LOSS_NAMES,
  LINKS,
  argmax,
  hingeGradient,
  hingeLoss,
  logisticGradient,
  logisticLoss,
  sigmoid,
  softmaxGradientInto,
  softmaxInto,
  softmaxLoss,
  softplus,
  squaredGradient,
  squaredLoss,
} from './losses.js';
export type { LabelKind, LabelOptions, LabelWhere } from './labels.js';
export { labelFor, labelKindOf } from './labels.js';
export type { LearnerOptions, LearnerOptionsInput, OptimizerName } from './options.js';
export { DEFAULT_LR, OPTIMIZER_NAMES, resolveLearnerOptions } from './options.js';
export type { LearnResult } from './linear.js';
export { LinearLearner } from './linear.js';
export type { MlpOptions, Standardization } from './mlp.js';
export { MLP_DEFAULT_LR, MlpRegressor } from './mlp.js';
export type { ClassificationMetrics, MulticlassMetrics, RegressionMetrics } from './metrics.js';
export { classificationMetrics, multiclassMetrics, regressionMetrics, rocAuc } from './metrics.js';
export type {
  ExampleSource,
  OnlineModel,
  PassEvent,
  ProgressEvent,
  TrainOptions,
  TrainSummary,
} from './train.js';
export { trainPasses } from './train.js';
export type { SavedArray, SavedModel } from './saved.js';
export type {
  Crc32,
  DecodeOptions,
  EncodeOptions,
  ModelFileContents,
  ModelFileProblem,
} from './model-format.js';
export { MODEL_MAGIC, MODEL_VERSION, ModelFileError, decodeModel, encodeModel } from './model-format.js';
export type { Model } from './models.js';
export { checkCompatible, modelFromSaved } from './models.js';
export { crc32 } from './crc32.js';
