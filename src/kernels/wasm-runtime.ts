import { plainMemoryWasm, sharedMemoryWasm } from './generated/kernels-wasm.js';
import { KernelMemory } from './wasm-memory.js';

/** The functions exported by src/kernels/assembly/kernels.ts (addresses are byte offsets). */
export interface KernelExports {
  heapBase(): number;
  adagradDense(...args: number[]): void;
  adagradSparse(...args: number[]): void;
  sgd(...args: number[]): void;
  rmsprop(...args: number[]): void;
  adam(...args: number[]): void;
  adadelta(...args: number[]): void;
  ftrlDense(...args: number[]): void;
  ftrlSparse(...args: number[]): void;
  adagradDaDense(...args: number[]): void;
  adagradDaSparse(...args: number[]): void;
  sparseAdam(...args: number[]): void;
  rmspropSparse(...args: number[]): void;
  firstNonFinite(values: number, n: number): number;
}

export interface WasmRuntime {
  /** The compiled module, for worker threads that instantiate it on the same memory. */
  readonly module: WebAssembly.Module;
  readonly exports: KernelExports;
  readonly memory: KernelMemory;
}

/** Why the WebAssembly kernels cannot run here (no WebAssembly, no SIMD, compile refused...). */
export class KernelUnavailableError extends Error {
  override name = 'KernelUnavailableError';
}

// The smallest module using a SIMD instruction, (func (result v128) i32.const 0 i8x16.splat
// i8x16.popcnt), as in the wasm-feature-detect library: engines without SIMD refuse to validate it.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);

const PAGE = 65536;
// A shared memory reserves its maximum address space when created, which can fail on small devices:
// try 4 GiB first, then smaller maxima.
const MAXIMUM_PAGES = [65536, 16384, 4096];

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function createSharedMemory(): { memory: WebAssembly.Memory; maximumPages: number } | null {
  // Without cross-origin isolation browsers hide SharedArrayBuffer and refuse shared memories.
  if (typeof SharedArrayBuffer !== 'function') return null;
  for (const maximumPages of MAXIMUM_PAGES) {
    try {
      return {
        memory: new WebAssembly.Memory({ initial: 1, maximum: maximumPages, shared: true }),
        maximumPages,
      };
    } catch {
      // try a smaller maximum
    }
  }
  return null;
}

/**
 * Compiles and instantiates the kernels synchronously (the module is about 3 KB, below the 4 KB that
 * Chromium allows for a synchronous compile on the main thread). Prefers a shared memory; without one it
 * uses the plain-memory build. Throws KernelUnavailableError naming the reason when it cannot run.
 */
export function loadWasmRuntime(): WasmRuntime {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') {
    throw new KernelUnavailableError('WebAssembly is not available in this environment');
  }
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new KernelUnavailableError('this WebAssembly engine does not support 128-bit SIMD');
  }
  const shared = createSharedMemory();
  const maximumPages = shared?.maximumPages ?? MAXIMUM_PAGES[0];
  const memory = shared?.memory ?? new WebAssembly.Memory({ initial: 1, maximum: maximumPages });
  const bytes = decodeBase64(shared !== null ? sharedMemoryWasm : plainMemoryWasm);
  let module: WebAssembly.Module;
  let instance: WebAssembly.Instance;
  try {
    module = new WebAssembly.Module(bytes);
    instance = new WebAssembly.Instance(module, { env: { memory } });
  } catch (e) {
    throw new KernelUnavailableError(
      `the kernels' WebAssembly module could not be instantiated: ${String(e)}`,
    );
  }
  const exports = instance.exports as unknown as KernelExports;
  return {
    module,
    exports,
    memory: new KernelMemory(memory, shared !== null, exports.heapBase(), maximumPages * PAGE),
  };
}
