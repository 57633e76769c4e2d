import type { FloatArray } from '../optim/types.js';
import type {
  AdadeltaScalars,
  AdagradDaScalars,
  AdagradScalars,
  AdamScalars,
  FtrlScalars,
  Kernels,
  RmspropScalars,
  SgdScalars,
  SparseAdamScalars,
} from './types.js';

// JavaScript computes in float64. Rounding every intermediate result to float32 (Math.fround) gives
// exactly the float32 result of each operation, because float64 has more than twice float32's
// precision: this is how a float32 parameter matches PyTorch's float32 arithmetic bit-for-bit.
//
// PyTorch's CPU kernels compile `a + alpha * b` (add_ with alpha, addcmul_) to a fused multiply-add:
// one rounding, not two. The product of two float32 values is exact in float64, so r(a + x * y) is that
// fused result (up to a double rounding in the last bit, rarer than one in 10^8 operations). The
// fixtures confirm it: every SGD and AdaGrad trajectory matches to the bit only with fusion.
//
// Float64Array parameters compute in float64: no rounding. Each kernel says which on entry
// (useRoundingOf), and r reads it. r is one module-level function rather than a variable holding
// Math.fround or the identity: V8 stopped inlining such a variable's call once it reoptimized a kernel
// (after a change of options, e.g. a weight decay that had been 0), which cut Adam and RMSprop from
// about 100 M to 5-15 M coordinates/s.
let float32 = true;

function useRoundingOf(param: FloatArray): void {
  float32 = param instanceof Float32Array;
}

function r(x: number): number {
  return float32 ? Math.fround(x) : x;
}

function adagradDense(param: FloatArray, grad: ArrayLike<number>, sum: FloatArray, s: AdagradScalars): void {
  useRoundingOf(param);
  const negClr = r(-s.clr);
  const clr = r(s.clr);
  const eps = r(s.eps);
  const wd = r(s.weightDecay);
  const dwd = r(s.decoupledWeightDecay);
  const clrL1 = adagradClrL1(s);
  const tfjs = s.tfjsOrder === true;
  for (let i = 0; i < param.length; i++) {
    let p = param[i];
    if (dwd !== 0) p = r(p - r(r(p * dwd) * clr));
    let g = r(s.gradSign * grad[i]);
    if (wd !== 0) g = r(g + wd * p);
    // TF.js squares, then adds (two roundings); PyTorch's addcmul_ fuses them.
    const G = tfjs ? r(sum[i] + r(g * g)) : r(sum[i] + g * g);
    sum[i] = G;
    if (!s.epsInside) {
      const H = r(r(Math.sqrt(G)) + eps);
      // PyTorch: param.addcdiv_(grad, sqrt(G) + eps, value=-clr)
      p = tfjs ? r(r(r(g / H) * negClr) + p) : r(p + r(r(negClr * g) / H));
      if (clrL1 !== 0) p = shrink(p, r(clrL1 / H));
    } else if (!(s.skipZeroAccumulator && G === 0)) {
      const H = r(Math.sqrt(r(G + eps)));
      // TF.js: add(mul(div(g, sqrt(G + eps)), -lr), p)
      p = tfjs ? r(r(r(g / H) * negClr) + p) : r(p + r(r(negClr * g) / H));
    }
    param[i] = p;
  }
}

/** clr·l1 rounded once. */
function adagradClrL1(s: AdagradScalars): number {
  return r(s.clr * adagradL1(s));
}

/** The ℓ1 strength of an AdaGrad step, checked: composite ℓ1 is defined with eps outside the root only. */
export function adagradL1(s: AdagradScalars): number {
  const l1 = s.l1 ?? 0;
  if (l1 !== 0 && s.epsInside) {
    throw new RangeError('kernels.adagrad: l1 needs eps outside the root (epsInside false)');
  }
  return l1;
}

/** The ℓ1 proximal step: sign(u)·max(|u| − t, 0), exactly 0 inside the threshold. */
function shrink(u: number, t: number): number {
  if (u > t) return r(u - t);
  if (u < -t) return r(u + t);
  return 0;
}

function adagradSparse(
  param: FloatArray,
  sum: FloatArray,
  rows: ArrayLike<number>,
  values: ArrayLike<number>,
  rowSize: number,
  s: AdagradScalars,
): void {
  useRoundingOf(param);
  const negClr = r(-s.clr);
  const clr = r(s.clr);
  const eps = r(s.eps);
  const dwd = r(s.decoupledWeightDecay);
  const clrL1 = adagradClrL1(s);
  const tfjs = s.tfjsOrder === true;
  if (float32 && dwd === 0 && clrL1 === 0 && !tfjs && !s.epsInside && s.gradSign === 1) {
    adagradSparsePlain(param as Float32Array, sum as Float32Array, rows, values, rowSize, negClr, eps);
    return;
  }
  for (let j = 0; j < rows.length; j++) {
    const base = rows[j] * rowSize;
    const from = j * rowSize;
    for (let c = 0; c < rowSize; c++) {
      const i = base + c;
      let p = param[i];
      if (dwd !== 0) p = r(p - r(r(p * dwd) * clr));
      const g = r(s.gradSign * values[from + c]);
      // Here PyTorch squares the values as a tensor of their own (pow), then adds: two roundings.
      const G = r(sum[i] + r(g * g));
      sum[i] = G;
      if (!s.epsInside) {
        const H = r(r(Math.sqrt(G)) + eps);
        // PyTorch's sparse branch divides first, then scales: param += -clr · (g / (sqrt(G) + eps))
        p = tfjs ? r(r(r(g / H) * negClr) + p) : r(p + negClr * r(g / H));
        if (clrL1 !== 0) p = shrink(p, r(clrL1 / H));
      } else if (!(s.skipZeroAccumulator && G === 0)) {
        const H = r(Math.sqrt(r(G + eps)));
        p = tfjs ? r(r(r(g / H) * negClr) + p) : r(p + r(r(negClr * g) / H));
      }
      param[i] = p;
    }
  }
}

/**
 * adagradSparse's loop in its most common configuration (float32, PyTorch's order, eps outside, no
 * decay, no l1), with the same operations but none of the others' branches: a small loop V8 compiles
 * to about a third of the general loop's time, which the online learner (one call per example) feels.
 */
function adagradSparsePlain(
  param: Float32Array,
  sum: Float32Array,
  rows: ArrayLike<number>,
  values: ArrayLike<number>,
  rowSize: number,
  negClr: number,
  eps: number,
): void {
  const f = Math.fround;
  if (rowSize === 1) {
    // One value per row (a flat parameter, the learner's binary models): no inner loop.
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j];
      const g = f(values[j]);
      const G = f(sum[i] + f(g * g));
      sum[i] = G;
      param[i] = f(param[i] + negClr * f(g / f(f(Math.sqrt(G)) + eps)));
    }
    return;
  }
  for (let j = 0; j < rows.length; j++) {
    const base = rows[j] * rowSize;
    const from = j * rowSize;
    for (let c = 0; c < rowSize; c++) {
      const i = base + c;
      const g = f(values[from + c]);
      const G = f(sum[i] + f(g * g));
      sum[i] = G;
      param[i] = f(param[i] + negClr * f(g / f(f(Math.sqrt(G)) + eps)));
    }
  }
}

// FTRL-Proximal (McMahan et al. 2013, Algorithm 1), per coordinate, with w the weight in force:
//   σ = (√(n + g²) − √n) / α;  z ← z + g − σ·w;  n ← n + g²;
//   w = 0 if |z| ≤ λ1, else −(z − sign(z)·λ1) / ((β + √n)/α + λ2)
function ftrlCoordinate(
  param: FloatArray,
  z: FloatArray,
  n: FloatArray,
  i: number,
  g: number,
  alpha: number,
  beta: number,
  l1: number,
  l2: number,
): void {
  const n0 = n[i];
  const n1 = r(n0 + r(g * g));
  const rootN = r(Math.sqrt(n1));
  const sigma = r(r(rootN - r(Math.sqrt(n0))) / alpha);
  const z1 = r(r(z[i] + g) - r(sigma * param[i]));
  z[i] = z1;
  n[i] = n1;
  param[i] = ftrlWeightOf(z1, rootN, alpha, beta, l1, l2);
}

function ftrlWeightOf(z: number, rootN: number, alpha: number, beta: number, l1: number, l2: number): number {
  if (Math.abs(z) <= l1) return 0;
  const shrunk = z > 0 ? r(z - l1) : r(z + l1);
  return r(-shrunk / r(r(r(beta + rootN) / alpha) + l2));
}

function ftrlDense(
  param: FloatArray,
  grad: ArrayLike<number>,
  z: FloatArray,
  n: FloatArray,
  s: FtrlScalars,
): void {
  useRoundingOf(param);
  const [alpha, beta, l1, l2] = [r(s.alpha), r(s.beta), r(s.l1), r(s.l2)];
  for (let i = 0; i < param.length; i++) {
    ftrlCoordinate(param, z, n, i, r(s.gradSign * grad[i]), alpha, beta, l1, l2);
  }
}

function ftrlSparse(
  param: FloatArray,
  z: FloatArray,
  n: FloatArray,
  rows: ArrayLike<number>,
  values: ArrayLike<number>,
  rowSize: number,
  s: FtrlScalars,
): void {
  useRoundingOf(param);
  const alpha = r(s.alpha);
  const beta = r(s.beta);
  const l1 = r(s.l1);
  const l2 = r(s.l2);
  if (float32 && rowSize === 1 && s.gradSign === 1) {
    ftrlSparseFloat32(
      param as Float32Array,
      z as Float32Array,
      n as Float32Array,
      rows,
      values,
      alpha,
      beta,
      l1,
      l2,
    );
    return;
  }
  for (let j = 0; j < rows.length; j++) {
    const base = rows[j] * rowSize;
    const from = j * rowSize;
    for (let c = 0; c < rowSize; c++) {
      ftrlCoordinate(param, z, n, base + c, r(s.gradSign * values[from + c]), alpha, beta, l1, l2);
    }
  }
}

/**
 * ftrlSparse on float32 rows of one value (the learner's binary models, one call per example): the
 * operations of ftrlCoordinate with Math.fround written out, which V8 compiles to about half the time
 * of the general loop through r().
 */
function ftrlSparseFloat32(
  param: Float32Array,
  z: Float32Array,
  n: Float32Array,
  rows: ArrayLike<number>,
  values: ArrayLike<number>,
  alpha: number,
  beta: number,
  l1: number,
  l2: number,
): void {
  const f = Math.fround;
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j];
    const g = f(values[j]);
    const n0 = n[i];
    const n1 = f(n0 + f(g * g));
    const rootN = f(Math.sqrt(n1));
    const w = param[i];
    let z1 = f(z[i] + g);
    // σ·w is 0 for a zero weight, most of a sparse model's: z + g is then z1 itself, and σ (a square
    // root and a division) is not needed.
    if (w !== 0) z1 = f(z1 - f(f(f(rootN - f(Math.sqrt(n0))) / alpha) * w));
    z[i] = z1;
    n[i] = n1;
    if (Math.abs(z1) <= l1) {
      param[i] = 0;
    } else {
      const shrunk = z1 > 0 ? f(z1 - l1) : f(z1 + l1);
      param[i] = f(-shrunk / f(f(f(beta + rootN) / alpha) + l2));
    }
  }
}

/**
 * The FTRL weight of a coordinate from its state (z, n): what ftrlDense and ftrlSparse write. A
 * coordinate no gradient has reached keeps exactly this weight, so FTRL needs no catching up.
 */
export function ftrlWeight(
  z: number,
  n: number,
  s: Pick<FtrlScalars, 'alpha' | 'beta' | 'l1' | 'l2'>,
  precision: 'float32' | 'float64' = 'float64',
): number {
  float32 = precision === 'float32';
  return ftrlWeightOf(r(z), r(Math.sqrt(r(n))), r(s.alpha), r(s.beta), r(s.l1), r(s.l2));
}

// Dual averaging, per coordinate: s ← s + g; G ← G + g²; H = eps + √G;
//   x = −sign(s)·lr·max(|s| − l1·t, 0) / (H + lr·l2·t)
// The per-step scalars l1·t and lr·l2·t are rounded once, like a learning rate.
interface DaConstants {
  lr: number;
  eps: number;
  l1t: number;
  lrL2t: number;
}

function daConstants(s: Omit<AdagradDaScalars, 'gradSign'>): DaConstants {
  return { lr: r(s.lr), eps: r(s.eps), l1t: r(s.l1 * s.step), lrL2t: r(s.lr * s.l2 * s.step) };
}

function daWeightOf(gradSum: number, sumSq: number, k: DaConstants): number {
  return daWeight(gradSum, sumSq, k.lr, k.eps, k.l1t, k.lrL2t);
}

function daWeight(
  gradSum: number,
  sumSq: number,
  lr: number,
  eps: number,
  l1t: number,
  lrL2t: number,
): number {
  const excess = r(Math.abs(gradSum) - l1t);
  if (!(excess > 0)) return 0;
  const x = r(r(lr * excess) / r(r(r(Math.sqrt(sumSq)) + eps) + lrL2t));
  return gradSum > 0 ? -x : x;
}

function adagradDaDense(
  param: FloatArray,
  grad: ArrayLike<number>,
  gradSum: FloatArray,
  sumSq: FloatArray,
  s: AdagradDaScalars,
): void {
  useRoundingOf(param);
  const k = daConstants(s);
  for (let i = 0; i < param.length; i++) {
    const g = r(s.gradSign * grad[i]);
    const sum = r(gradSum[i] + g);
    const G = r(sumSq[i] + r(g * g));
    gradSum[i] = sum;
    sumSq[i] = G;
    param[i] = daWeightOf(sum, G, k);
  }
}

function adagradDaSparse(
  param: FloatArray,
  gradSum: FloatArray,
  sumSq: FloatArray,
  rows: ArrayLike<number>,
  values: ArrayLike<number>,
  rowSize: number,
  s: AdagradDaScalars,
): void {
  useRoundingOf(param);
  const k = daConstants(s);
  for (let j = 0; j < rows.length; j++) {
    const base = rows[j] * rowSize;
    const from = j * rowSize;
    for (let c = 0; c < rowSize; c++) {
      const i = base + c;
      const g = r(s.gradSign * values[from + c]);
      const sum = r(gradSum[i] + g);
      const G = r(sumSq[i] + r(g * g));
      gradSum[i] = sum;
      sumSq[i] = G;
      param[i] = daWeightOf(sum, G, k);
    }
  }
}

/**
 * The dual-averaging weight of a coordinate at step t from its sums (s_i, G_i): bit for bit what the
 * kernels write for it in that step. A lazy reader computes untouched coordinates' weights with it.
 */
export function adagradDaWeight(
  gradSum: number,
  sumSq: number,
  s: Omit<AdagradDaScalars, 'gradSign'>,
  precision: 'float32' | 'float64' = 'float64',
): number {
  float32 = precision === 'float32';
  // The constants inline, not through daConstants: a lazy reader calls this once per weight it reads,
  // and an object per call is garbage on the learner's hot path.
  return daWeight(r(gradSum), r(sumSq), r(s.lr), r(s.eps), r(s.l1 * s.step), r(s.lr * s.l2 * s.step));
}

/**
 * Writes the dual-averaging weights of the named rows (every coordinate when `rows` is absent) from
 * their sums at step s.step, in param's precision: adagradDaWeight for many coordinates, the step's
 * constants rounded once. A lazy reader brings an example's rows up to date with it before reading
 * them; refreshWeights brings the whole parameter.
 */
export function adagradDaWeights(
  param: FloatArray,
  gradSum: FloatArray,
  sumSq: FloatArray,
  s: Omit<AdagradDaScalars, 'gradSign'>,
  rows?: ArrayLike<number>,
  rowSize = 1,
): void {
  useRoundingOf(param);
  const k = daConstants(s);
  if (rows === undefined) {
    for (let i = 0; i < param.length; i++) param[i] = daWeightOf(gradSum[i], sumSq[i], k);
    return;
  }
  for (let j = 0; j < rows.length; j++) {
    const base = rows[j] * rowSize;
    for (let i = base; i < base + rowSize; i++) param[i] = daWeightOf(gradSum[i], sumSq[i], k);
  }
}

// torch.optim.SparseAdam (PyTorch 1.13), on the named rows, in its float32 order:
//   Δm = (g − m)·(1 − β1);  m += Δm;  Δv = (g² − v)·(1 − β2);  v += Δv;
//   p += −(lr·√bc2 / bc1) · ((Δm + m_old) / (√(Δv + v_old) + eps))
function sparseAdam(
  param: FloatArray,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  rows: ArrayLike<number>,
  values: ArrayLike<number>,
  rowSize: number,
  s: SparseAdamScalars,
): void {
  useRoundingOf(param);
  const rest1 = r(1 - s.beta1);
  const rest2 = r(1 - s.beta2);
  const eps = r(s.eps);
  // step_size = lr * math.sqrt(bias_correction2) / bias_correction1, a Python float.
  const negStepSize = r(-((s.lr * Math.sqrt(1 - s.beta2 ** s.step)) / (1 - s.beta1 ** s.step)));
  for (let j = 0; j < rows.length; j++) {
    const base = rows[j] * rowSize;
    const from = j * rowSize;
    for (let c = 0; c < rowSize; c++) {
      const i = base + c;
      const g = r(s.gradSign * values[from + c]);
      const m0 = expAvg[i];
      const v0 = expAvgSq[i];
      const dm = r(r(g - m0) * rest1);
      const dv = r(r(r(g * g) - v0) * rest2);
      expAvg[i] = r(m0 + dm);
      expAvgSq[i] = r(v0 + dv);
      const denom = r(r(Math.sqrt(r(dv + v0))) + eps);
      param[i] = r(param[i] + r(negStepSize * r(r(dm + m0) / denom)));
    }
  }
}

function rmspropSparse(
  param: FloatArray,
  squareAvg: FloatArray,
  rows: ArrayLike<number>,
  values: ArrayLike<number>,
  rowSize: number,
  s: RmspropScalars,
): void {
  checkLazyRmsprop(s);
  useRoundingOf(param);
  const negLr = r(-s.lr);
  const alpha = r(s.alpha);
  const rest = r(1 - s.alpha);
  const eps = r(s.eps);
  const wd = r(s.weightDecay);
  for (let j = 0; j < rows.length; j++) {
    const base = rows[j] * rowSize;
    const from = j * rowSize;
    for (let c = 0; c < rowSize; c++) {
      const i = base + c;
      const p = param[i];
      let d = r(s.gradSign * values[from + c]);
      if (wd !== 0) d = r(d + wd * p);
      const v = r(r(squareAvg[i] * alpha) + r(rest * d) * d);
      squareAvg[i] = v;
      param[i] = r(p + r(r(negLr * d) / r(r(Math.sqrt(v)) + eps)));
    }
  }
}

/** Lazy RMSprop keeps one average per coordinate: momentum and centering would need more. */
export function checkLazyRmsprop(s: RmspropScalars): void {
  if (s.momentum !== 0 || s.centered) {
    throw new RangeError('kernels.rmspropSparse: lazy RMSprop has no momentum and no centering');
  }
}

function sgd(param: FloatArray, grad: ArrayLike<number>, buf: FloatArray | null, s: SgdScalars): void {
  useRoundingOf(param);
  const negLr = r(-s.lr);
  const wd = r(s.weightDecay);
  const m = r(s.momentum);
  const keepFraction = r(1 - s.dampening);
  for (let i = 0; i < param.length; i++) {
    const p = param[i];
    let d = r(s.gradSign * grad[i]);
    if (wd !== 0) d = r(d + wd * p);
    if (buf !== null) {
      const b = s.firstStep ? d : r(r(buf[i] * m) + keepFraction * d);
      buf[i] = b;
      d = s.nesterov ? r(d + m * b) : b;
    }
    param[i] = r(p + negLr * d);
  }
}

function rmsprop(
  param: FloatArray,
  grad: ArrayLike<number>,
  squareAvg: FloatArray,
  gradAvg: FloatArray | null,
  buf: FloatArray | null,
  s: RmspropScalars,
): void {
  useRoundingOf(param);
  const negLr = r(-s.lr);
  const alpha = r(s.alpha);
  const rest = r(1 - s.alpha);
  const eps = r(s.eps);
  const wd = r(s.weightDecay);
  const m = r(s.momentum);
  for (let i = 0; i < param.length; i++) {
    const p = param[i];
    let d = r(s.gradSign * grad[i]);
    if (wd !== 0) d = r(d + wd * p);
    const v = r(r(squareAvg[i] * alpha) + r(rest * d) * d);
    squareAvg[i] = v;
    let avg: number;
    if (gradAvg !== null) {
      const ga = r(r(gradAvg[i] * alpha) + rest * d);
      gradAvg[i] = ga;
      avg = r(Math.sqrt(r(v - ga * ga)));
    } else {
      avg = r(Math.sqrt(v));
    }
    avg = r(avg + eps);
    if (buf !== null) {
      const b = r(r(buf[i] * m) + r(d / avg));
      buf[i] = b;
      param[i] = r(p + negLr * b);
    } else {
      param[i] = r(p + r(r(negLr * d) / avg));
    }
  }
}

function adam(
  param: FloatArray,
  grad: ArrayLike<number>,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  maxExpAvgSq: FloatArray | null,
  s: AdamScalars,
): void {
  useRoundingOf(param);
  const b1 = r(s.beta1);
  const b2 = r(s.beta2);
  const rest1 = r(1 - s.beta1);
  const rest2 = r(1 - s.beta2);
  const eps = r(s.eps);
  const wd = r(s.weightDecay);
  const shrink = r(1 - s.lr * s.decoupledWeightDecay);
  // Bias corrections are Python floats in PyTorch: computed in double, rounded once when used.
  const stepSize = s.lr / (1 - s.beta1 ** s.step);
  const negStepSize = r(-stepSize);
  const bc2Sqrt = r(Math.sqrt(1 - s.beta2 ** s.step));
  for (let i = 0; i < param.length; i++) {
    let p = param[i];
    if (s.decoupledWeightDecay !== 0) p = r(p * shrink);
    let d = r(s.gradSign * grad[i]);
    if (wd !== 0) d = r(d + wd * p);
    const m = r(r(expAvg[i] * b1) + rest1 * d);
    const v = r(r(expAvgSq[i] * b2) + r(rest2 * d) * d);
    expAvg[i] = m;
    expAvgSq[i] = v;
    let vHat = v;
    if (maxExpAvgSq !== null) {
      vHat = Math.max(maxExpAvgSq[i], v);
      maxExpAvgSq[i] = vHat;
    }
    const denom = r(r(r(Math.sqrt(vHat)) / bc2Sqrt) + eps);
    param[i] = r(p + r(r(negStepSize * m) / denom));
  }
}

function adadelta(
  param: FloatArray,
  grad: ArrayLike<number>,
  squareAvg: FloatArray,
  accDelta: FloatArray,
  s: AdadeltaScalars,
): void {
  useRoundingOf(param);
  const negLr = r(-s.lr);
  const rho = r(s.rho);
  const rest = r(1 - s.rho);
  const eps = r(s.eps);
  const wd = r(s.weightDecay);
  for (let i = 0; i < param.length; i++) {
    const p = param[i];
    let d = r(s.gradSign * grad[i]);
    if (wd !== 0) d = r(d + wd * p);
    const v = r(r(squareAvg[i] * rho) + r(rest * d) * d);
    squareAvg[i] = v;
    const std = r(Math.sqrt(r(v + eps)));
    const delta = r(r(r(Math.sqrt(r(accDelta[i] + eps))) / std) * d);
    accDelta[i] = r(r(accDelta[i] * rho) + r(rest * delta) * delta);
    param[i] = r(p + negLr * delta);
  }
}

/** The plain TypeScript kernels: the definition the WebAssembly build is tested against. */
export const referenceKernels: Kernels = {
  name: 'reference',
  adagradDense,
  adagradSparse,
  ftrlDense,
  ftrlSparse,
  adagradDaDense,
  adagradDaSparse,
  sparseAdam,
  rmspropSparse,
  sgd,
  rmsprop,
  adam,
  adadelta,
};
