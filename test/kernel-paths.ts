// The kernel paths every parity test runs on. The kernels engineer extends this when the WASM path lands.
import { referenceKernels, useKernels } from '../src/kernels/index.js';

export type KernelPath = 'reference' | 'wasm';

export const kernelPaths: KernelPath[] = ['reference'];

/** Makes the optimizers use the given path from now on. */
export function useKernelPath(path: KernelPath): void {
  if (path === 'reference') useKernels(referenceKernels);
  else throw new Error(`kernel path ${path} is not available yet`);
}
