/**
 * Which kernels the optimizers run, and the memory they share.
 *
 * Two implementations of the `Kernels` interface give the same float32 bits: the WebAssembly SIMD build
 * (./assembly, compiled by scripts/build-wasm.mjs) and the plain TypeScript reference (./reference.ts).
 *
 * Choice: 'auto' (the default) uses WebAssembly wherever the engine validates a SIMD module, and the
 * reference elsewhere. The environment variable ADAGRAD_KERNELS=wasm|reference|auto (Node) sets the
 * starting choice; setKernels() changes it at run time. Forcing 'wasm' where it cannot run throws a
 * KernelUnavailableError that says why (no WebAssembly, no SIMD, or the module was refused).
 *
 * Memory: alloc(n) hands out Float32Arrays inside the kernels' shared WebAssembly memory, so a step on
 * such arrays copies nothing; the views stay valid when the memory grows. Without SharedArrayBuffer (a
 * browser page that is not cross-origin isolated) a growing memory would detach them, so alloc returns
 * ordinary arrays there and the kernels copy in and out of a scratch region. Memory from alloc is kept
 * until free(array) returns it; an optimizer's state (stateLike) is freed by its dispose().
 */
import type { FloatArray } from '../optim/types.js';
import { referenceKernels } from './reference.js';
import type { Kernels } from './types.js';
import { createFiniteCheck, createWasmKernels, type ParallelRunner } from './wasm.js';
import { KernelUnavailableError, loadWasmRuntime, type WasmRuntime } from './wasm-runtime.js';

export type {
  AdagradDaScalars,
  AdagradScalars,
  FtrlScalars,
  Kernels,
  RmspropScalars,
  SparseAdamScalars,
} from './types.js';
export { adagradDaWeight, adagradDaWeights, ftrlWeight, referenceKernels } from './reference.js';
export { KernelUnavailableError } from './wasm-runtime.js';
export { KernelMemoryFullError } from './wasm-memory.js';
export type { DenseKernelName, ParallelRunner } from './wasm.js';
export type { WasmRuntime } from './wasm-runtime.js';

/** 'auto': WebAssembly SIMD where available, else the reference; the other two force one path. */
export type KernelChoice = 'auto' | 'wasm' | 'reference';

const CHOICES: readonly KernelChoice[] = ['auto', 'wasm', 'reference'];

/** Reads ADAGRAD_KERNELS without importing node: modules (process is absent in browsers). */
function choiceFromEnvironment(): KernelChoice {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.ADAGRAD_KERNELS;
  if (value === undefined || value === '') return 'auto';
  if ((CHOICES as readonly string[]).includes(value)) return value as KernelChoice;
  throw new RangeError(`ADAGRAD_KERNELS must be 'auto', 'wasm' or 'reference', got '${value}'`);
}

let choice: KernelChoice | null = null;
let active: Kernels | null = null;
/** undefined: not tried yet; null: tried and unavailable (see unavailableReason). */
let runtime: WasmRuntime | null | undefined;
let wasmKernels: Kernels | null = null;
let parallel: ParallelRunner | null = null;
let wasmFiniteCheck: ((values: Float32Array) => number) | null = null;
let unavailableReason = '';

function currentChoice(): KernelChoice {
  choice ??= choiceFromEnvironment();
  return choice;
}

function wasmRuntime(): WasmRuntime | null {
  if (runtime === undefined) {
    try {
      runtime = loadWasmRuntime();
    } catch (e) {
      if (!(e instanceof KernelUnavailableError)) throw e;
      runtime = null;
      unavailableReason = e.message;
    }
  }
  return runtime;
}

function resolve(): Kernels {
  const c = currentChoice();
  if (c === 'reference') return (active = referenceKernels);
  const rt = wasmRuntime();
  if (rt !== null) {
    wasmKernels ??= createWasmKernels(rt, parallel);
    wasmFiniteCheck ??= createFiniteCheck(rt);
    return (active = wasmKernels);
  }
  if (c === 'wasm') {
    throw new KernelUnavailableError(
      `the WebAssembly kernels were forced ('wasm') but cannot run here: ${unavailableReason}; use 'auto' or 'reference'`,
    );
  }
  return (active = referenceKernels);
}

/** The kernels the optimizers use now. */
export function kernels(): Kernels {
  return active ?? resolve();
}

/**
 * The kernels for one parameter. The WebAssembly kernels take float32 only and hand float64 to the
 * reference kernels, so a float64 parameter goes to them directly: a program (or page) that trains
 * only float64 parameters never loads or compiles the WebAssembly module. Kernels installed with
 * useKernels get every parameter.
 */
export function kernelsFor(param: FloatArray): Kernels {
  if (param instanceof Float32Array) return kernels();
  return active === null || active === wasmKernels ? referenceKernels : active;
}

/**
 * Chooses the kernels: 'auto', 'wasm' or 'reference'. Returns the kernels now active. Throws
 * KernelUnavailableError for 'wasm' where WebAssembly SIMD cannot run (the choice is then left as it was).
 *
 * Optimizers that exist already carry on: each step asks for the kernels afresh, both kernels give the
 * same bits, and state kept in the WebAssembly memory stays where it is (the reference kernels read it
 * like any Float32Array); dispose() frees it whichever kernels are active.
 */
export function setKernels(c: KernelChoice): Kernels {
  if (!CHOICES.includes(c)) {
    throw new RangeError(
      `setKernels(choice): choice must be 'auto', 'wasm' or 'reference', got '${String(c)}'`,
    );
  }
  const before = { choice, active };
  choice = c;
  active = null;
  try {
    return resolve();
  } catch (e) {
    ({ choice, active } = before);
    throw e;
  }
}

/**
 * The WebAssembly runtime (compiled module and memory), or null where it cannot run: for the worker
 * threads of node/threads.ts, which instantiate the same module on the same shared memory.
 */
export function kernelRuntime(): WasmRuntime | null {
  return currentChoice() === 'reference' ? null : wasmRuntime();
}

/**
 * Splits large dense steps of the WebAssembly kernels across threads (null: one thread). Used by
 * node/threads.ts; the active kernels follow if they are the WebAssembly ones.
 */
export function setParallelRunner(runner: ParallelRunner | null): void {
  parallel = runner;
  const wasActive = active !== null && active === wasmKernels;
  const rt = runtime ?? null;
  wasmKernels = rt !== null ? createWasmKernels(rt, parallel) : null;
  if (wasActive) active = wasmKernels;
}

/** Replaces the active kernels with any implementation of the interface (tests, instrumentation). */
export function useKernels(k: Kernels): void {
  active = k;
}

export interface KernelsInfo {
  /** The kernels in use. */
  active: 'wasm' | 'reference';
  choice: KernelChoice;
  wasmAvailable: boolean;
  /** Why WebAssembly is unavailable, when it is. */
  unavailableReason?: string;
  /** True when alloc() hands out views of a shared WebAssembly memory (no copy per step). */
  sharedMemory: boolean;
  memoryBytes: number;
  maximumMemoryBytes: number;
  /** Bytes of that memory handed out by alloc and stateLike and not yet freed. */
  allocatedBytes: number;
}

/** What runs, and why: for the explainer, the benchmark and bug reports. */
export function kernelsInfo(): KernelsInfo {
  const k = kernels();
  const rt = currentChoice() === 'reference' ? (runtime ?? null) : wasmRuntime();
  return {
    active: k.name,
    choice: currentChoice(),
    wasmAvailable: rt !== null,
    ...(rt === null && unavailableReason !== '' ? { unavailableReason } : {}),
    sharedMemory: rt?.memory.shared ?? false,
    memoryBytes: rt?.memory.sizeBytes ?? 0,
    maximumMemoryBytes: rt?.memory.maximumBytes ?? 0,
    allocatedBytes: rt?.memory.liveBytes ?? 0,
  };
}

/**
 * The index of the first NaN or ±Infinity in `values`, or -1: the optimizers' checkFinite. Float32Arrays
 * are checked by the WebAssembly SIMD kernels when they are active (four values per instruction);
 * anything else by a plain loop.
 */
export function firstNonFinite(values: ArrayLike<number>): number {
  if (values instanceof Float32Array && wasmFiniteCheck !== null && kernels() === wasmKernels) {
    return wasmFiniteCheck(values);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return i;
  }
  return -1;
}

/** The kernel memory alloc() uses: the shared WebAssembly memory, unless the reference path is forced. */
function sharedKernelMemory() {
  if (currentChoice() === 'reference') return null;
  const rt = wasmRuntime();
  return rt !== null && rt.memory.shared ? rt.memory : null;
}

function checkLengthArgument(where: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${where}: n must be a non-negative integer, got ${String(n)}`);
  }
}

/**
 * A zeroed Float32Array of n elements for parameters, gradients or state. It lives in the WebAssembly
 * kernels' memory when that memory is shared, so steps on it copy nothing; otherwise it is an ordinary
 * array. Keep it as long as you like: it stays valid when the memory grows. free(array) gives it back.
 */
export function alloc(n: number): Float32Array {
  checkLengthArgument('alloc(n)', n);
  const mem = sharedKernelMemory();
  return mem !== null ? mem.allocFloat32(n) : new Float32Array(n);
}

/**
 * Returns an array from alloc() to the kernels' memory for reuse; using it afterwards is an error that
 * may corrupt other arrays. Ordinary arrays (alloc without shared memory) are ignored.
 */
export function free(array: Float32Array): void {
  const rt = runtime ?? null;
  if (rt !== null && rt.memory.owns(array)) rt.memory.free(array);
}

/**
 * A zeroed state buffer for a parameter: same length and precision. Float32 state lives in the kernels'
 * memory (like alloc) so a step needs no copies; Optimizer.dispose() frees it.
 */
export function stateLike(param: FloatArray): FloatArray {
  return param instanceof Float32Array ? alloc(param.length) : new Float64Array(param.length);
}
