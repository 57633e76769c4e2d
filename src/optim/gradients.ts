import { firstNonFinite } from '../kernels/index.js';
import { OptimizerInputError } from './errors.js';
import type { FloatArray, Gradient } from './types.js';
import { isSparseGradient } from './types.js';

/** A dense gradient, checked. */
export interface CheckedDense {
  kind: 'dense';
  values: ArrayLike<number>;
}

/** A sparse gradient, checked and coalesced: distinct rows, their summed values, the row size. */
export interface CheckedSparse {
  kind: 'sparse';
  rows: ArrayLike<number>;
  values: ArrayLike<number>;
  rowSize: number;
}

export type CheckedGradient = CheckedDense | CheckedSparse;

const isArrayLike = (x: unknown): x is ArrayLike<number> =>
  typeof x === 'object' && x !== null && typeof (x as { length?: unknown }).length === 'number';

/**
 * Validates one parameter's gradient before anything is changed, so a rejected step touches nothing.
 * Sparse gradients are coalesced here: duplicate indices are summed in order of appearance, in the
 * parameter's precision, as PyTorch's coalesce() does.
 */
export function checkGradient(
  optimizer: string,
  name: string,
  param: FloatArray,
  grad: Gradient,
  opts: { sparseAllowed: boolean; checkFinite: boolean },
): CheckedGradient {
  const where = `${optimizer}: gradient for parameter '${name}'`;
  if (isSparseGradient(grad)) {
    if (!opts.sparseAllowed) {
      throw new OptimizerInputError(
        `${optimizer} takes dense gradients only, but parameter '${name}' got a sparse one ({indices, values}); use Adagrad for sparse updates`,
      );
    }
    return checkSparse(where, param, grad.indices, grad.values, opts.checkFinite);
  }
  if (!isArrayLike(grad)) {
    throw new OptimizerInputError(`${where} must be an array of numbers or {indices, values}`);
  }
  if (grad.length !== param.length) {
    throw new OptimizerInputError(`${where} has length ${grad.length}, expected ${param.length}`);
  }
  if (opts.checkFinite) {
    const bad = firstNonFinite(grad);
    if (bad >= 0)
      throw new OptimizerInputError(`${where} has a non-finite value (${grad[bad]}) at index ${bad}`);
  }
  return { kind: 'dense', values: grad };
}

function checkSparse(
  where: string,
  param: FloatArray,
  indices: unknown,
  values: unknown,
  checkFinite: boolean,
): CheckedSparse {
  if (!isArrayLike(indices) || !isArrayLike(values)) {
    throw new OptimizerInputError(`${where}: indices and values must be arrays`);
  }
  const k = indices.length;
  if (k === 0) {
    if (values.length !== 0) {
      throw new OptimizerInputError(`${where}: no indices but ${values.length} values`);
    }
    return { kind: 'sparse', rows: [], values: [], rowSize: 1 };
  }
  if (values.length % k !== 0) {
    throw new OptimizerInputError(
      `${where}: values.length (${values.length}) is not a multiple of indices.length (${k})`,
    );
  }
  const rowSize = values.length / k;
  if (rowSize === 0 || param.length % rowSize !== 0) {
    throw new OptimizerInputError(
      `${where}: row size ${rowSize} (values.length / indices.length) does not divide the parameter's length ${param.length}`,
    );
  }
  const rowCount = param.length / rowSize;
  for (let j = 0; j < k; j++) {
    const index = indices[j];
    if (!Number.isInteger(index) || index < 0 || index >= rowCount) {
      throw new OptimizerInputError(
        `${where}: index ${index} at position ${j} is not an integer row in [0, ${rowCount})`,
      );
    }
  }
  if (checkFinite) {
    const bad = firstNonFinite(values);
    if (bad >= 0)
      throw new OptimizerInputError(`${where} has a non-finite value (${values[bad]}) at values[${bad}]`);
  }
  return coalesce(param, indices, values, rowSize);
}

function coalesce(
  param: FloatArray,
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  rowSize: number,
): CheckedSparse {
  const k = indices.length;
  const slot = new Map<number, number>();
  for (let j = 0; j < k; j++) if (!slot.has(indices[j])) slot.set(indices[j], slot.size);
  if (slot.size === k) return { kind: 'sparse', rows: indices, values, rowSize };

  const rows = new Int32Array(slot.size);
  const summed =
    param instanceof Float32Array
      ? new Float32Array(slot.size * rowSize)
      : new Float64Array(slot.size * rowSize);
  const seen = new Uint8Array(slot.size);
  for (let j = 0; j < k; j++) {
    const s = slot.get(indices[j]) as number;
    rows[s] = indices[j];
    const to = s * rowSize;
    const from = j * rowSize;
    // The typed array's store rounds each partial sum to the parameter's precision.
    if (seen[s]) for (let c = 0; c < rowSize; c++) summed[to + c] += values[from + c];
    else for (let c = 0; c < rowSize; c++) summed[to + c] = values[from + c];
    seen[s] = 1;
  }
  return { kind: 'sparse', rows, values: summed, rowSize };
}
