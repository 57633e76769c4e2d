import { referenceKernels } from './reference.js';
import type { Kernels } from './types.js';

export type { Kernels } from './types.js';
export { referenceKernels } from './reference.js';

let active: Kernels = referenceKernels;

/** The kernels the optimizers use now. */
export function kernels(): Kernels {
  return active;
}

/** Replaces the active kernels (used to force a path). */
export function useKernels(k: Kernels): void {
  active = k;
}

/** A Float32Array for parameters, gradients or state. */
export function alloc(n: number): Float32Array {
  return new Float32Array(n);
}

/**
 * A zeroed state buffer for a parameter: same length and precision. Kernels that keep state in
 * their own memory override this so a step needs no copies.
 */
export function stateLike(param: Float32Array | Float64Array): Float32Array | Float64Array {
  return param instanceof Float32Array ? new Float32Array(param.length) : new Float64Array(param.length);
}
