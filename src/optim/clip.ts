/**
 * Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_, on gradients by name (dense
 * arrays or sparse {indices, values}), scaled in place before they are handed to step().
 *
 * Bit for bit with PyTorch in float32 for normType 2 and Infinity: PyTorch's CPU norm of a float32
 * tensor accumulates squares in float32 across the lanes of one SIMD register (8 with AVX2) in an order
 * of its own, which sumOfSquares below keeps (scripts/clip-fixtures.py makes the fixtures that check it).
 */
import { OptimizerInputError } from './errors.js';
import type { Gradients } from './types.js';
import { isSparseGradient } from './types.js';
import { describe } from './validate.js';

export interface ClipGradNormOptions {
  /** The p of the p-norm: 2 (default), Infinity (the largest magnitude), or any other p > 0. */
  normType?: number;
  /**
   * Throw if the total norm is NaN or infinite, changing nothing (default true: a step on such gradients
   * would wreck the parameters). false scales anyway, as PyTorch's default does.
   */
  errorIfNonfinite?: boolean;
}

/** PyTorch's float32 SIMD width on an AVX2 machine (Vectorized<float>::size()); see the fixture generator. */
const LANES = 8;
/** PyTorch adds 1e-6 to the total norm before dividing, so a zero gradient gives a finite coefficient. */
const NORM_EPS = 1e-6;

const f32 = Math.fround;
const identity = (x: number): number => x;

type Values = ArrayLike<number> & { [i: number]: number };

interface Entry {
  name: string;
  values: Values;
  /** The values PyTorch takes the norm of: a sparse gradient coalesced (sorted rows, duplicates summed). */
  normed: ArrayLike<number>;
}

/**
 * Scales every gradient by the same factor so that their total p-norm (over all gradients together,
 * dense and sparse) is at most maxNorm; returns the total norm before clipping, as PyTorch does:
 *
 *   total = ‖(‖g₁‖ₚ, …, ‖gₙ‖ₚ)‖ₚ;   coef = min(1, maxNorm / (total + 1e-6));   g ← coef·g
 *
 * Float32Array gradients are computed in float32 (as PyTorch's float32 tensors); if any gradient is a
 * Float64Array or a plain array, everything is computed in double precision.
 */
export function clipGradNorm(grads: Gradients, maxNorm: number, options: ClipGradNormOptions = {}): number {
  const where = 'clipGradNorm';
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm) || maxNorm <= 0) {
    throw new OptimizerInputError(`${where}: maxNorm must be a number > 0, got ${describe(maxNorm)}`);
  }
  checkOptions(where, options, ['normType', 'errorIfNonfinite']);
  const p = options.normType ?? 2;
  if (typeof p !== 'number' || Number.isNaN(p) || p <= 0) {
    throw new OptimizerInputError(
      `${where}: option 'normType' must be a number > 0 or Infinity, got ${describe(p)}`,
    );
  }
  const errorIfNonfinite = options.errorIfNonfinite ?? true;
  if (typeof errorIfNonfinite !== 'boolean') {
    throw new OptimizerInputError(
      `${where}: option 'errorIfNonfinite' must be true or false, got ${describe(errorIfNonfinite)}`,
    );
  }
  const entries = collect(where, grads);
  if (entries.length === 0) return 0;
  const single = entries.every((e) => e.values instanceof Float32Array);
  const round = single ? f32 : identity;

  const norms = entries.map((e) => norm(e.normed, p, round));
  const total = norm(norms, p, round);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    const culprit = entries.find((e) => !Number.isFinite(norms[entries.indexOf(e)]));
    throw new OptimizerInputError(
      `${where}: the total ${p}-norm of the gradients is ${total}${culprit ? ` (gradient '${culprit.name}' holds NaN or Infinity)` : ''}; nothing was scaled (errorIfNonfinite: false scales anyway)`,
    );
  }
  // PyTorch: clip_coef = max_norm / (total_norm + 1e-6), where float / tensor is reciprocal() * float.
  const coef = round(round(1 / round(total + round(NORM_EPS))) * round(maxNorm));
  const clamped = coef < 1 ? coef : Number.isNaN(coef) ? coef : 1;
  if (clamped !== 1) {
    for (const e of entries) {
      const v = e.values;
      for (let i = 0; i < v.length; i++) v[i] = round(v[i] * clamped);
    }
  }
  return total;
}

/** Clamps every gradient value into [-clipValue, clipValue] in place, as torch.nn.utils.clip_grad_value_. */
export function clipGradValue(grads: Gradients, clipValue: number): void {
  const where = 'clipGradValue';
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue) || clipValue <= 0) {
    throw new OptimizerInputError(`${where}: clipValue must be a number > 0, got ${describe(clipValue)}`);
  }
  for (const e of collect(where, grads)) {
    const v = e.values;
    const bound = e.values instanceof Float32Array ? f32(clipValue) : clipValue;
    // NaN stays NaN, as torch.clamp leaves it.
    for (let i = 0; i < v.length; i++) {
      if (v[i] > bound) v[i] = bound;
      else if (v[i] < -bound) v[i] = -bound;
    }
  }
}

function checkOptions(where: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) {
    throw new OptimizerInputError(`${where}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new OptimizerInputError(`${where}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
}

const isValues = (x: unknown): x is Values =>
  x instanceof Float32Array || x instanceof Float64Array || Array.isArray(x);

/** Checks every gradient before any is touched, so a rejected call changes nothing. */
function collect(where: string, grads: Gradients): Entry[] {
  if (typeof grads !== 'object' || grads === null) {
    throw new OptimizerInputError(`${where}: expected an object of gradients by parameter name`);
  }
  const entries: Entry[] = [];
  for (const [name, grad] of Object.entries(grads)) {
    if (grad === undefined) continue;
    const at = `${where}: gradient '${name}'`;
    if (isSparseGradient(grad)) {
      const { indices, values } = grad;
      if (!isValues(values)) {
        throw new OptimizerInputError(`${at}: values must be a Float32Array, Float64Array or array`);
      }
      if (typeof indices !== 'object' || indices === null || typeof indices.length !== 'number') {
        throw new OptimizerInputError(`${at}: indices must be an array of row numbers`);
      }
      const k = indices.length;
      if (k === 0 ? values.length !== 0 : values.length % k !== 0) {
        throw new OptimizerInputError(
          `${at}: values.length (${values.length}) is not a multiple of indices.length (${k})`,
        );
      }
      for (let j = 0; j < k; j++) {
        if (!Number.isInteger(indices[j]) || indices[j] < 0) {
          throw new OptimizerInputError(`${at}: index ${indices[j]} at position ${j} is not a row number`);
        }
      }
      entries.push({ name, values, normed: coalesceSorted(indices, values) });
    } else if (isValues(grad)) {
      entries.push({ name, values: grad, normed: grad });
    } else {
      throw new OptimizerInputError(
        `${at} must be a Float32Array, Float64Array, array of numbers or {indices, values}, got ${describe(grad)}`,
      );
    }
  }
  return entries;
}

/**
 * The values of a sparse gradient as PyTorch's coalesce() leaves them: rows in ascending order, a row's
 * duplicates summed in the order they appear, in the values' precision.
 */
function coalesceSorted(indices: ArrayLike<number>, values: Values): ArrayLike<number> {
  const k = indices.length;
  if (k === 0) return values;
  const rowSize = values.length / k;
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => indices[a] - indices[b] || a - b);
  const out: Values =
    values instanceof Float32Array ? new Float32Array(values.length) : new Float64Array(values.length);
  let rows = 0;
  for (let j = 0; j < k; j++) {
    const src = order[j] * rowSize;
    const same = j > 0 && indices[order[j]] === indices[order[j - 1]];
    if (!same) rows++;
    const to = (rows - 1) * rowSize;
    for (let c = 0; c < rowSize; c++) out[to + c] = same ? out[to + c] + values[src + c] : values[src + c];
  }
  return Array.prototype.slice.call(out, 0, rows * rowSize) as number[];
}

/** The p-norm of `v`, in the order PyTorch's CPU kernels reduce (see the module comment). */
function norm(v: ArrayLike<number>, p: number, round: (x: number) => number): number {
  if (p === Infinity) {
    let max = 0;
    for (let i = 0; i < v.length; i++) {
      const a = Math.abs(v[i]);
      if (a > max || Number.isNaN(a)) max = a;
      if (Number.isNaN(max)) return NaN;
    }
    return max;
  }
  if (p === 2) return round(Math.sqrt(sumOfSquares(v, round)));
  // Other p: one pass in order; PyTorch's own pow() may round differently in the last place.
  let s = 0;
  for (let i = 0; i < v.length; i++) s = round(s + round(Math.abs(v[i]) ** p));
  return round(s ** (1 / p));
}

/**
 * Σv², summed as PyTorch's float32 norm kernel is compiled in Debian's build (GCC, AVX2): eight lane
 * accumulators with fused multiply-adds over whole blocks of 8, the lanes added left to right, then the
 * leftover values one by one; of those, whole groups of 4 are squared first and added in order (GCC's
 * in-order vectorization of that loop), the last 1-3 with fused multiply-adds again.
 */
function sumOfSquares(v: ArrayLike<number>, round: (x: number) => number): number {
  const n = v.length;
  if (round !== f32) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i] * v[i];
    return s;
  }
  const lanes = new Float64Array(LANES);
  const body = n - (n % LANES);
  for (let d = 0; d < body; d += LANES) {
    for (let j = 0; j < LANES; j++) lanes[j] = fmaf(v[d + j], v[d + j], lanes[j]);
  }
  let s = lanes[0];
  for (let j = 1; j < LANES; j++) s = f32(s + lanes[j]);
  const rest = n - body;
  const quads = body + (rest - (rest % 4));
  for (let d = body; d < quads; d++) s = f32(s + f32(v[d] * v[d]));
  for (let d = quads; d < n; d++) s = fmaf(v[d], v[d], s);
  return s;
}

/**
 * fmaf(a, b, c) for float32 a, b, c: a·b is exact in a double, so the only danger in rounding a·b + c
 * through a double is a double sum that lands exactly halfway between two floats; TwoSum's error term
 * says which side the exact sum is on.
 */
function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = f32(s);
  if (r === s) return r;
  const bv = s - p;
  const e = p - (s - bv) + (c - bv);
  if (e === 0) return r;
  const other = 2 * s - r;
  if (f32(other) !== other) return r;
  return e > 0 === other > r ? other : r;
}
