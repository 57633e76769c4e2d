// Node-only learner API: model files on disk.
export type { SaveModelOptions } from './model-file.js';
export { loadModel, readModelFile, readableSummary, saveModel } from './model-file.js';
export { checkCompatible } from '../models.js';
export { ModelFileError } from '../model-format.js';
