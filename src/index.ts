// The public API of the package: browser-safe re-exports only (no Node built-ins), so the explainer
// and any bundler can import it. Node-only parts (file readers, the command) live in ./node.ts.
export * from './optim/index.js';
export * from './landscapes/index.js';
export * from './data/index.js';
export * from './learn/index.js';
export type {
  AdagradDaScalars,
  FtrlScalars,
  KernelChoice,
  KernelsInfo,
  SparseAdamScalars,
} from './kernels/index.js';
export {
  adagradDaWeight,
  adagradDaWeights,
  ftrlWeight,
  KernelMemoryFullError,
  KernelUnavailableError,
  alloc,
  firstNonFinite,
  free,
  kernelsInfo,
  setKernels,
} from './kernels/index.js';
