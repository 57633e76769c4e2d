import type { FloatArray } from '../optim/types.js';
import type {
  AdadeltaScalars,
  AdagradScalars,
  AdamScalars,
  Kernels,
  RmspropScalars,
  SgdScalars,
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
  for (let i = 0; i < param.length; i++) {
    let p = param[i];
    if (dwd !== 0) p = r(p - r(r(p * dwd) * clr));
    let g = r(s.gradSign * grad[i]);
    if (wd !== 0) g = r(g + wd * p);
    const G = r(sum[i] + g * g);
    sum[i] = G;
    if (!s.epsInside) {
      // PyTorch: param.addcdiv_(grad, sqrt(G) + eps, value=-clr)
      p = r(p + r(r(negClr * g) / r(r(Math.sqrt(G)) + eps)));
    } else if (!(s.skipZeroAccumulator && G === 0)) {
      p = r(p + r(r(negClr * g) / r(Math.sqrt(r(G + eps)))));
    }
    param[i] = p;
  }
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
        // PyTorch's sparse branch divides first, then scales: param += -clr · (g / (sqrt(G) + eps))
        p = r(p + negClr * r(g / r(r(Math.sqrt(G)) + eps)));
      } else if (!(s.skipZeroAccumulator && G === 0)) {
        p = r(p + r(r(negClr * g) / r(Math.sqrt(r(G + eps)))));
      }
      param[i] = p;
    }
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
  sgd,
  rmsprop,
  adam,
  adadelta,
};
