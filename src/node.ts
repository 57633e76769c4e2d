// Node-only parts of the package: file readers, corpora, caches, model files and kernel worker threads.
// Import as 'adagrad/node'.
export * from './data/node/index.js';
export * from './learn/node/index.js';
export type { KernelThreadOptions } from './kernels/node/threads.js';
export { startKernelThreads, stopKernelThreads } from './kernels/node/threads.js';
