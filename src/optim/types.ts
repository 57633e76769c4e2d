/** A parameter buffer. Float32Array matches PyTorch's float32 bit-for-bit; Float64Array gives double precision. */
export type FloatArray = Float32Array | Float64Array;

/** Named parameters, updated in place by every step. */
export type Params = Record<string, FloatArray>;

/**
 * A sparse gradient naming rows of a parameter. The row size is values.length / indices.length
 * (1 for a flat parameter). Duplicate indices are summed before the update, as PyTorch coalesces them.
 */
export interface SparseGradient {
  indices: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** A dense gradient has the parameter's length. */
export type DenseGradient = ArrayLike<number>;

export type Gradient = DenseGradient | SparseGradient;

/** Gradients by parameter name; a parameter with no entry is left alone (as PyTorch skips p.grad is None). */
export type Gradients = Record<string, Gradient | undefined>;

export function isSparseGradient(g: Gradient): g is SparseGradient {
  return typeof g === 'object' && g !== null && 'indices' in g && 'values' in g;
}
