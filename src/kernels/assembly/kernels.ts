// The optimizers' hot loops in AssemblyScript with 128-bit SIMD (four float32 lanes at a time).
//
// Every function takes byte addresses into the one linear memory and the per-step scalars already
// rounded to float32 (the JavaScript caller computes bias corrections and learning rates in double,
// exactly as src/kernels/reference.ts does). Each line performs the same float32 operations, in the same
// order, as the reference: f32 add, mul, div and sqrt are correctly rounded in WebAssembly, so the results
// agree bit-for-bit. Loop-invariant options are plain branches, as in the reference, because an
// always-taken branch costs nothing next to the memory traffic and keeps the two codes line-for-line alike.
//
// PyTorch's CPU kernels compute `a + x·y` (add_ with alpha, addcmul_) as a fused multiply-add: one
// rounding. The reference reproduces it as r(a + x * y) in float64 (the product of two float32 values is
// exact there), and so do addMul() and addMul4() below: widen to f64, multiply, add, narrow once.
// (Binaryen inlines both at -O3; the @inline decorator is left out because Prettier rejects it.)
//
// Lengths that are not a multiple of four finish with a scalar loop that repeats the vector loop's
// formula on one lane.

/** a + x·y with one rounding to float32, computed exactly as the reference's r(a + x * y). */
function addMul(a: f32, x: f32, y: f32): f32 {
  return <f32>(<f64>a + <f64>x * <f64>y);
}

/** addMul on four lanes: the low and the high pair are widened to f64x2, then narrowed back together. */
function addMul4(a: v128, x: v128, y: v128): v128 {
  const lo = f64x2.add(
    f64x2.promote_low_f32x4(a),
    f64x2.mul(f64x2.promote_low_f32x4(x), f64x2.promote_low_f32x4(y)),
  );
  const aHi = f32x4.shuffle(a, a, 2, 3, 0, 1);
  const xHi = f32x4.shuffle(x, x, 2, 3, 0, 1);
  const yHi = f32x4.shuffle(y, y, 2, 3, 0, 1);
  const hi = f64x2.add(
    f64x2.promote_low_f32x4(aHi),
    f64x2.mul(f64x2.promote_low_f32x4(xHi), f64x2.promote_low_f32x4(yHi)),
  );
  return f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** The first free byte after this module's own data; the JavaScript allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------------
// AdaGrad, dense.
//   p -= clr·dwd·p (decoupled decay);  g = sign·g + wd·p (fused);  G += g² (fused);
//   p += -clr·g / (sqrt(G) + eps)        (eps outside: PyTorch, the paper)
//   p += -clr·g / sqrt(G + eps)          (eps inside: Keras, TF.js, Optax; Optax skips G = 0)
export function adagradDense(
  param: usize,
  grad: usize,
  sum: usize,
  n: usize,
  negClr: f32,
  clr: f32,
  eps: f32,
  gradSign: f32,
  wd: f32,
  dwd: f32,
  epsInside: bool,
  skipZeroAccumulator: bool,
): void {
  const vNegClr = f32x4.splat(negClr);
  const vClr = f32x4.splat(clr);
  const vEps = f32x4.splat(eps);
  const vSign = f32x4.splat(gradSign);
  const vWd = f32x4.splat(wd);
  const vDwd = f32x4.splat(dwd);
  const vZero = f32x4.splat(0);
  const vecBytes = (n & ~3) << 2;
  let o: usize = 0;
  if (dwd == 0 && wd == 0 && !epsInside) o = adagradDensePlain(param, grad, sum, n, vNegClr, vEps, vSign);
  for (; o < vecBytes; o += 16) {
    let p = v128.load(param + o);
    if (dwd != 0) p = f32x4.sub(p, f32x4.mul(f32x4.mul(p, vDwd), vClr));
    let g = f32x4.mul(vSign, v128.load(grad + o));
    if (wd != 0) g = addMul4(g, vWd, p);
    const G = addMul4(v128.load(sum + o), g, g);
    v128.store(sum + o, G);
    if (!epsInside) {
      p = f32x4.add(p, f32x4.div(f32x4.mul(vNegClr, g), f32x4.add(f32x4.sqrt(G), vEps)));
    } else {
      const stepped = f32x4.add(p, f32x4.div(f32x4.mul(vNegClr, g), f32x4.sqrt(f32x4.add(G, vEps))));
      p = skipZeroAccumulator ? v128.bitselect(p, stepped, f32x4.eq(G, vZero)) : stepped;
    }
    v128.store(param + o, p);
  }
  const end = n << 2;
  for (let o: usize = vecBytes; o < end; o += 4) {
    let p = load<f32>(param + o);
    if (dwd != 0) p = p - p * dwd * clr;
    let g = gradSign * load<f32>(grad + o);
    if (wd != 0) g = addMul(g, wd, p);
    const G = addMul(load<f32>(sum + o), g, g);
    store<f32>(sum + o, G);
    if (!epsInside) {
      p = p + (negClr * g) / (sqrt<f32>(G) + eps);
    } else if (!(skipZeroAccumulator && G == 0)) {
      p = p + (negClr * g) / sqrt<f32>(G + eps);
    }
    store<f32>(param + o, p);
  }
}

/**
 * PyTorch's default AdaGrad (no weight decay, eps outside) on eight coordinates per iteration: the two
 * accumulator updates come first so that their latency overlaps the divisions and square roots.
 * Returns the number of bytes done.
 */
function adagradDensePlain(
  param: usize,
  grad: usize,
  sum: usize,
  n: usize,
  vNegClr: v128,
  vEps: v128,
  vSign: v128,
): usize {
  const bytes = (n & ~7) << 2;
  for (let o: usize = 0; o < bytes; o += 32) {
    const gA = f32x4.mul(vSign, v128.load(grad + o));
    const gB = f32x4.mul(vSign, v128.load(grad + o, 16));
    const GA = addMul4(v128.load(sum + o), gA, gA);
    const GB = addMul4(v128.load(sum + o, 16), gB, gB);
    v128.store(sum + o, GA);
    v128.store(sum + o, GB, 16);
    const pA = f32x4.add(
      v128.load(param + o),
      f32x4.div(f32x4.mul(vNegClr, gA), f32x4.add(f32x4.sqrt(GA), vEps)),
    );
    const pB = f32x4.add(
      v128.load(param + o, 16),
      f32x4.div(f32x4.mul(vNegClr, gB), f32x4.add(f32x4.sqrt(GB), vEps)),
    );
    v128.store(param + o, pA);
    v128.store(param + o, pB, 16);
  }
  return bytes;
}

// Rows named by a sparse step lie anywhere in a table that can be far larger than the caches, so each
// row costs a TLB miss and cache misses, one row after another. WebAssembly has no prefetch
// instruction; instead, before updating a block of rows, one load per cache line of each of them is
// issued back to back. The loads are independent, so the memory system serves them in parallel and the
// updates that follow find their rows in cache. The loaded values go to a global so that the loads
// cannot be optimized away.
const TOUCH_AHEAD: usize = 16;
let touched: f32 = 0;

function touchRows(param: usize, sum: usize, rows: usize, from: usize, to: usize, rowBytes: usize): void {
  let sink: f32 = 0;
  for (let j = from; j < to; j++) {
    const at = <usize>load<u32>(rows + (j << 2)) * rowBytes;
    for (let l: usize = 0; l < rowBytes; l += 64) sink += load<f32>(param + at + l) + load<f32>(sum + at + l);
  }
  touched = sink;
}

// ---------------------------------------------------------------------------------------------------
// AdaGrad, sparse rows: the same update on the named rows only. `rows` holds `k` distinct int32 row
// indices, `values` k·rowSize coalesced gradient values. PyTorch's sparse branch squares the values as a
// tensor of their own (two roundings for G += g²) and divides before it scales, fused:
// p += -clr · (g / (sqrt(G) + eps)). It has no L2 term (PyTorch forbids it).
export function adagradSparse(
  param: usize,
  sum: usize,
  rows: usize,
  values: usize,
  k: usize,
  rowSize: usize,
  negClr: f32,
  clr: f32,
  eps: f32,
  gradSign: f32,
  dwd: f32,
  epsInside: bool,
  skipZeroAccumulator: bool,
): void {
  const vNegClr = f32x4.splat(negClr);
  const vClr = f32x4.splat(clr);
  const vEps = f32x4.splat(eps);
  const vSign = f32x4.splat(gradSign);
  const vDwd = f32x4.splat(dwd);
  const vZero = f32x4.splat(0);
  const rowBytes = rowSize << 2;
  const vecBytes = (rowSize & ~3) << 2;
  for (let j: usize = 0; j < k; j++) {
    if (j % TOUCH_AHEAD == 0) touchRows(param, sum, rows, j, min(j + TOUCH_AHEAD, k), rowBytes);
    const at = <usize>load<u32>(rows + (j << 2)) * rowBytes;
    const pRow = param + at;
    const sRow = sum + at;
    const gRow = values + j * rowBytes;
    for (let o: usize = 0; o < vecBytes; o += 16) {
      let p = v128.load(pRow + o);
      if (dwd != 0) p = f32x4.sub(p, f32x4.mul(f32x4.mul(p, vDwd), vClr));
      const g = f32x4.mul(vSign, v128.load(gRow + o));
      const G = f32x4.add(v128.load(sRow + o), f32x4.mul(g, g));
      v128.store(sRow + o, G);
      if (!epsInside) {
        p = addMul4(p, vNegClr, f32x4.div(g, f32x4.add(f32x4.sqrt(G), vEps)));
      } else {
        const stepped = f32x4.add(p, f32x4.div(f32x4.mul(vNegClr, g), f32x4.sqrt(f32x4.add(G, vEps))));
        p = skipZeroAccumulator ? v128.bitselect(p, stepped, f32x4.eq(G, vZero)) : stepped;
      }
      v128.store(pRow + o, p);
    }
    for (let o: usize = vecBytes; o < rowBytes; o += 4) {
      let p = load<f32>(pRow + o);
      if (dwd != 0) p = p - p * dwd * clr;
      const g = gradSign * load<f32>(gRow + o);
      const G = load<f32>(sRow + o) + g * g;
      store<f32>(sRow + o, G);
      if (!epsInside) {
        p = addMul(p, negClr, g / (sqrt<f32>(G) + eps));
      } else if (!(skipZeroAccumulator && G == 0)) {
        p = p + (negClr * g) / sqrt<f32>(G + eps);
      }
      store<f32>(pRow + o, p);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// SGD with momentum (PyTorch): d = sign·g + wd·p;  b = m·b + (1 - dampening)·d (b = d on the first
// step);  d = nesterov ? d + m·b : b;  p += -lr·d. Every `+ x·y` here is fused.  `buf` is 0 when there
// is no momentum buffer.
export function sgd(
  param: usize,
  grad: usize,
  buf: usize,
  n: usize,
  negLr: f32,
  wd: f32,
  momentum: f32,
  keepFraction: f32,
  gradSign: f32,
  nesterov: bool,
  firstStep: bool,
): void {
  const vNegLr = f32x4.splat(negLr);
  const vWd = f32x4.splat(wd);
  const vM = f32x4.splat(momentum);
  const vKeep = f32x4.splat(keepFraction);
  const vSign = f32x4.splat(gradSign);
  const vecBytes = (n & ~3) << 2;
  for (let o: usize = 0; o < vecBytes; o += 16) {
    const p = v128.load(param + o);
    let d = f32x4.mul(vSign, v128.load(grad + o));
    if (wd != 0) d = addMul4(d, vWd, p);
    if (buf != 0) {
      const b = firstStep ? d : addMul4(f32x4.mul(v128.load(buf + o), vM), vKeep, d);
      v128.store(buf + o, b);
      d = nesterov ? addMul4(d, vM, b) : b;
    }
    v128.store(param + o, addMul4(p, vNegLr, d));
  }
  const end = n << 2;
  for (let o: usize = vecBytes; o < end; o += 4) {
    const p = load<f32>(param + o);
    let d = gradSign * load<f32>(grad + o);
    if (wd != 0) d = addMul(d, wd, p);
    if (buf != 0) {
      const b = firstStep ? d : addMul(load<f32>(buf + o) * momentum, keepFraction, d);
      store<f32>(buf + o, b);
      d = nesterov ? addMul(d, momentum, b) : b;
    }
    store<f32>(param + o, addMul(p, negLr, d));
  }
}

// ---------------------------------------------------------------------------------------------------
// RMSprop (PyTorch): d = sign·g + wd·p (fused);  v = α·v + ((1-α)·d)·d (fused);  centered:
// ḡ = α·ḡ + (1-α)·d (fused), avg = sqrt(v - ḡ·ḡ) (fused), else avg = sqrt(v);  avg += eps;
// momentum: b = m·b + d/avg, p += -lr·b (fused);  else p += -lr·d / avg.  `gradAvg`, `buf`: 0 if absent.
export function rmsprop(
  param: usize,
  grad: usize,
  squareAvg: usize,
  gradAvg: usize,
  buf: usize,
  n: usize,
  negLr: f32,
  alpha: f32,
  rest: f32,
  eps: f32,
  wd: f32,
  momentum: f32,
  gradSign: f32,
): void {
  const vNegLr = f32x4.splat(negLr);
  const vAlpha = f32x4.splat(alpha);
  const vRest = f32x4.splat(rest);
  const vEps = f32x4.splat(eps);
  const vWd = f32x4.splat(wd);
  const vM = f32x4.splat(momentum);
  const vSign = f32x4.splat(gradSign);
  const vecBytes = (n & ~3) << 2;
  for (let o: usize = 0; o < vecBytes; o += 16) {
    const p = v128.load(param + o);
    let d = f32x4.mul(vSign, v128.load(grad + o));
    if (wd != 0) d = addMul4(d, vWd, p);
    const v = addMul4(f32x4.mul(v128.load(squareAvg + o), vAlpha), f32x4.mul(vRest, d), d);
    v128.store(squareAvg + o, v);
    let avg: v128;
    if (gradAvg != 0) {
      const ga = addMul4(f32x4.mul(v128.load(gradAvg + o), vAlpha), vRest, d);
      v128.store(gradAvg + o, ga);
      avg = f32x4.sqrt(addMul4(v, f32x4.neg(ga), ga));
    } else {
      avg = f32x4.sqrt(v);
    }
    avg = f32x4.add(avg, vEps);
    if (buf != 0) {
      const b = f32x4.add(f32x4.mul(v128.load(buf + o), vM), f32x4.div(d, avg));
      v128.store(buf + o, b);
      v128.store(param + o, addMul4(p, vNegLr, b));
    } else {
      v128.store(param + o, f32x4.add(p, f32x4.div(f32x4.mul(vNegLr, d), avg)));
    }
  }
  const end = n << 2;
  for (let o: usize = vecBytes; o < end; o += 4) {
    const p = load<f32>(param + o);
    let d = gradSign * load<f32>(grad + o);
    if (wd != 0) d = addMul(d, wd, p);
    const v = addMul(load<f32>(squareAvg + o) * alpha, rest * d, d);
    store<f32>(squareAvg + o, v);
    let avg: f32;
    if (gradAvg != 0) {
      const ga = addMul(load<f32>(gradAvg + o) * alpha, rest, d);
      store<f32>(gradAvg + o, ga);
      avg = sqrt<f32>(addMul(v, -ga, ga));
    } else {
      avg = sqrt<f32>(v);
    }
    avg = avg + eps;
    if (buf != 0) {
      const b = load<f32>(buf + o) * momentum + d / avg;
      store<f32>(buf + o, b);
      store<f32>(param + o, addMul(p, negLr, b));
    } else {
      store<f32>(param + o, p + (negLr * d) / avg);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Adam / AdamW (PyTorch): p *= 1 - lr·wdDecoupled;  d = sign·g + wd·p (fused);  m = β1·m + (1-β1)·d
// (fused);  v = β2·v + ((1-β2)·d)·d (fused);  v̂ = amsgrad ? max(v̂, v) : v;
// p += -(lr/bc1)·m / (sqrt(v̂)/sqrt(bc2) + eps).
// `maxExpAvgSq` is 0 without amsgrad.
export function adam(
  param: usize,
  grad: usize,
  expAvg: usize,
  expAvgSq: usize,
  maxExpAvgSq: usize,
  n: usize,
  beta1: f32,
  beta2: f32,
  rest1: f32,
  rest2: f32,
  eps: f32,
  wd: f32,
  decoupled: bool,
  shrink: f32,
  negStepSize: f32,
  bc2Sqrt: f32,
  gradSign: f32,
): void {
  const vB1 = f32x4.splat(beta1);
  const vB2 = f32x4.splat(beta2);
  const vRest1 = f32x4.splat(rest1);
  const vRest2 = f32x4.splat(rest2);
  const vEps = f32x4.splat(eps);
  const vWd = f32x4.splat(wd);
  const vShrink = f32x4.splat(shrink);
  const vNegStep = f32x4.splat(negStepSize);
  const vBc2Sqrt = f32x4.splat(bc2Sqrt);
  const vSign = f32x4.splat(gradSign);
  const vecBytes = (n & ~3) << 2;
  for (let o: usize = 0; o < vecBytes; o += 16) {
    let p = v128.load(param + o);
    if (decoupled) p = f32x4.mul(p, vShrink);
    let d = f32x4.mul(vSign, v128.load(grad + o));
    if (wd != 0) d = addMul4(d, vWd, p);
    const m = addMul4(f32x4.mul(v128.load(expAvg + o), vB1), vRest1, d);
    const v = addMul4(f32x4.mul(v128.load(expAvgSq + o), vB2), f32x4.mul(vRest2, d), d);
    v128.store(expAvg + o, m);
    v128.store(expAvgSq + o, v);
    let vHat = v;
    if (maxExpAvgSq != 0) {
      vHat = f32x4.max(v128.load(maxExpAvgSq + o), v);
      v128.store(maxExpAvgSq + o, vHat);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vHat), vBc2Sqrt), vEps);
    v128.store(param + o, f32x4.add(p, f32x4.div(f32x4.mul(vNegStep, m), denom)));
  }
  const end = n << 2;
  for (let o: usize = vecBytes; o < end; o += 4) {
    let p = load<f32>(param + o);
    if (decoupled) p = p * shrink;
    let d = gradSign * load<f32>(grad + o);
    if (wd != 0) d = addMul(d, wd, p);
    const m = addMul(load<f32>(expAvg + o) * beta1, rest1, d);
    const v = addMul(load<f32>(expAvgSq + o) * beta2, rest2 * d, d);
    store<f32>(expAvg + o, m);
    store<f32>(expAvgSq + o, v);
    let vHat = v;
    if (maxExpAvgSq != 0) {
      vHat = max<f32>(load<f32>(maxExpAvgSq + o), v);
      store<f32>(maxExpAvgSq + o, vHat);
    }
    const denom = sqrt<f32>(vHat) / bc2Sqrt + eps;
    store<f32>(param + o, p + (negStepSize * m) / denom);
  }
}

// ---------------------------------------------------------------------------------------------------
// Adadelta (PyTorch): d = sign·g + wd·p (fused);  v = ρ·v + ((1-ρ)·d)·d (fused);
// Δ = sqrt(u + eps) / sqrt(v + eps) · d;  u = ρ·u + ((1-ρ)·Δ)·Δ (fused);  p += -lr·Δ (fused).
export function adadelta(
  param: usize,
  grad: usize,
  squareAvg: usize,
  accDelta: usize,
  n: usize,
  negLr: f32,
  rho: f32,
  rest: f32,
  eps: f32,
  wd: f32,
  gradSign: f32,
): void {
  const vNegLr = f32x4.splat(negLr);
  const vRho = f32x4.splat(rho);
  const vRest = f32x4.splat(rest);
  const vEps = f32x4.splat(eps);
  const vWd = f32x4.splat(wd);
  const vSign = f32x4.splat(gradSign);
  const vecBytes = (n & ~3) << 2;
  for (let o: usize = 0; o < vecBytes; o += 16) {
    const p = v128.load(param + o);
    let d = f32x4.mul(vSign, v128.load(grad + o));
    if (wd != 0) d = addMul4(d, vWd, p);
    const v = addMul4(f32x4.mul(v128.load(squareAvg + o), vRho), f32x4.mul(vRest, d), d);
    v128.store(squareAvg + o, v);
    const std = f32x4.sqrt(f32x4.add(v, vEps));
    const u = v128.load(accDelta + o);
    const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(u, vEps)), std), d);
    v128.store(accDelta + o, addMul4(f32x4.mul(u, vRho), f32x4.mul(vRest, delta), delta));
    v128.store(param + o, addMul4(p, vNegLr, delta));
  }
  const end = n << 2;
  for (let o: usize = vecBytes; o < end; o += 4) {
    const p = load<f32>(param + o);
    let d = gradSign * load<f32>(grad + o);
    if (wd != 0) d = addMul(d, wd, p);
    const v = addMul(load<f32>(squareAvg + o) * rho, rest * d, d);
    store<f32>(squareAvg + o, v);
    const std = sqrt<f32>(v + eps);
    const u = load<f32>(accDelta + o);
    const delta = (sqrt<f32>(u + eps) / std) * d;
    store<f32>(accDelta + o, addMul(u * rho, rest * delta, delta));
    store<f32>(param + o, addMul(p, negLr, delta));
  }
}

// ---------------------------------------------------------------------------------------------------
// The optimizers' finiteness check (checkFinite): the index of the first NaN or ±Infinity among n
// float32 values, or -1. x - x is 0 for every finite x and NaN otherwise, and a sum with a NaN is NaN,
// so each block of 64 values costs one comparison; only a block that holds a non-finite value is
// scanned one value at a time.
export function firstNonFinite(values: usize, n: usize): isize {
  const blockBytes = (n & ~63) << 2;
  for (let o: usize = 0; o < blockBytes; o += 256) {
    let acc = f32x4.splat(0);
    for (let k: usize = 0; k < 256; k += 16) {
      const x = v128.load(values + o + k);
      acc = f32x4.add(acc, f32x4.sub(x, x));
    }
    if (v128.any_true(f32x4.ne(acc, acc))) return scanNonFinite(values, o >> 2, (o >> 2) + 64);
  }
  return scanNonFinite(values, blockBytes >> 2, n);
}

function scanNonFinite(values: usize, from: usize, to: usize): isize {
  for (let i = from; i < to; i++) {
    const x = load<f32>(values + (i << 2));
    if (x - x != 0) return <isize>i;
  }
  return -1;
}
