// Training past one machine (Node only): the Redis parameter store, its server-side update
// function, and the Downpour worker. See docs/parameter-store.md.
export { StoreError } from './errors.js';
export { parseStoreUrl, PASSWORD_VARIABLE, redact, type StoreAddress } from './url.js';
export {
  blockCountOf,
  coordinatesOf,
  DEFAULT_BLOCK_SIZE,
  FTRL_DEFAULTS,
  resolveModelSpec,
  type ModelSpec,
  type ModelSpecInput,
  type StoreLoss,
  type StoreOptimizer,
} from './model-spec.js';
export {
  checkModelName,
  ParameterStore,
  type RunRecord,
  type StoreInfo,
  type WorkerRecord,
} from './store.js';
export {
  defaultInterval,
  parseWorkerId,
  runWorker,
  workerName,
  type WorkerId,
  type WorkerOptions,
  type WorkerSummary,
} from './worker.js';
export { exportLearner, type ExportedModel } from './export.js';
export { onShard, openShard, type Shard, type ShardOptions } from './shard.js';
