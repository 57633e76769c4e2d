// The kernel paths every parity test runs on: the plain-TypeScript reference and the WebAssembly SIMD
// build. Both must give the same float32 bits, so every parity test runs once per path.
import { setKernels } from '../src/kernels/index.js';

export type KernelPath = 'reference' | 'wasm';

export const kernelPaths: KernelPath[] = ['reference', 'wasm'];

/** Makes the optimizers use the given path from now on (throws if WebAssembly SIMD cannot run here). */
export function useKernelPath(path: KernelPath): void {
  setKernels(path);
}
