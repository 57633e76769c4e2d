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
  clrL1: f32,
  tfjsOrder: bool,
): void {
  const vNegClr = f32x4.splat(negClr);
  const vClr = f32x4.splat(clr);
  const vEps = f32x4.splat(eps);
  const vSign = f32x4.splat(gradSign);
  const vWd = f32x4.splat(wd);
  const vDwd = f32x4.splat(dwd);
  const vClrL1 = f32x4.splat(clrL1);
  const vZero = f32x4.splat(0);
  const vecBytes = (n & ~3) << 2;
  let o: usize = 0;
  if (dwd == 0 && wd == 0 && !epsInside && clrL1 == 0 && !tfjsOrder) {
    o = adagradDensePlain(param, grad, sum, n, vNegClr, vEps, vSign);
  }
  for (; o < vecBytes; o += 16) {
    let p = v128.load(param + o);
    if (dwd != 0) p = f32x4.sub(p, f32x4.mul(f32x4.mul(p, vDwd), vClr));
    let g = f32x4.mul(vSign, v128.load(grad + o));
    if (wd != 0) g = addMul4(g, vWd, p);
    const G = tfjsOrder ? f32x4.add(v128.load(sum + o), f32x4.mul(g, g)) : addMul4(v128.load(sum + o), g, g);
    v128.store(sum + o, G);
    const H = epsInside ? f32x4.sqrt(f32x4.add(G, vEps)) : f32x4.add(f32x4.sqrt(G), vEps);
    let stepped = tfjsOrder
      ? f32x4.add(f32x4.mul(f32x4.div(g, H), vNegClr), p)
      : f32x4.add(p, f32x4.div(f32x4.mul(vNegClr, g), H));
    if (clrL1 != 0) stepped = shrink4(stepped, f32x4.div(vClrL1, H));
    p = epsInside && skipZeroAccumulator ? v128.bitselect(p, stepped, f32x4.eq(G, vZero)) : stepped;
    v128.store(param + o, p);
  }
  const end = n << 2;
  for (let o: usize = vecBytes; o < end; o += 4) {
    let p = load<f32>(param + o);
    if (dwd != 0) p = p - p * dwd * clr;
    let g = gradSign * load<f32>(grad + o);
    if (wd != 0) g = addMul(g, wd, p);
    const G = tfjsOrder ? load<f32>(sum + o) + g * g : addMul(load<f32>(sum + o), g, g);
    store<f32>(sum + o, G);
    if (!(epsInside && skipZeroAccumulator && G == 0)) {
      const H = epsInside ? sqrt<f32>(G + eps) : sqrt<f32>(G) + eps;
      p = tfjsOrder ? (g / H) * negClr + p : p + (negClr * g) / H;
      if (clrL1 != 0) p = shrink(p, clrL1 / H);
    }
    store<f32>(param + o, p);
  }
}

/** The ℓ1 proximal step sign(u)·max(|u| − t, 0), exactly +0 inside the threshold (as the reference). */
function shrink(u: f32, t: f32): f32 {
  if (u > t) return u - t;
  if (u < -t) return u + t;
  return 0;
}

function shrink4(u: v128, t: v128): v128 {
  const below = v128.bitselect(f32x4.add(u, t), f32x4.splat(0), f32x4.lt(u, f32x4.neg(t)));
  return v128.bitselect(f32x4.sub(u, t), below, f32x4.gt(u, t));
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

/** touchRows for kernels with two state arrays besides the parameter. */
function touchRows3(
  param: usize,
  a: usize,
  b: usize,
  rows: usize,
  from: usize,
  to: usize,
  rowBytes: usize,
): void {
  let sink: f32 = 0;
  for (let j = from; j < to; j++) {
    const at = <usize>load<u32>(rows + (j << 2)) * rowBytes;
    for (let l: usize = 0; l < rowBytes; l += 64) {
      sink += load<f32>(param + at + l) + load<f32>(a + at + l) + load<f32>(b + at + l);
    }
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
  clrL1: f32,
  tfjsOrder: bool,
): void {
  const vNegClr = f32x4.splat(negClr);
  const vClr = f32x4.splat(clr);
  const vEps = f32x4.splat(eps);
  const vSign = f32x4.splat(gradSign);
  const vDwd = f32x4.splat(dwd);
  const vClrL1 = f32x4.splat(clrL1);
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
      const H = epsInside ? f32x4.sqrt(f32x4.add(G, vEps)) : f32x4.add(f32x4.sqrt(G), vEps);
      let stepped = tfjsOrder
        ? f32x4.add(f32x4.mul(f32x4.div(g, H), vNegClr), p)
        : epsInside
          ? f32x4.add(p, f32x4.div(f32x4.mul(vNegClr, g), H))
          : addMul4(p, vNegClr, f32x4.div(g, H));
      if (clrL1 != 0) stepped = shrink4(stepped, f32x4.div(vClrL1, H));
      p = epsInside && skipZeroAccumulator ? v128.bitselect(p, stepped, f32x4.eq(G, vZero)) : stepped;
      v128.store(pRow + o, p);
    }
    for (let o: usize = vecBytes; o < rowBytes; o += 4) {
      let p = load<f32>(pRow + o);
      if (dwd != 0) p = p - p * dwd * clr;
      const g = gradSign * load<f32>(gRow + o);
      const G = load<f32>(sRow + o) + g * g;
      store<f32>(sRow + o, G);
      if (!(epsInside && skipZeroAccumulator && G == 0)) {
        const H = epsInside ? sqrt<f32>(G + eps) : sqrt<f32>(G) + eps;
        if (tfjsOrder) p = (g / H) * negClr + p;
        else if (epsInside) p = p + (negClr * g) / H;
        else p = addMul(p, negClr, g / H);
        if (clrL1 != 0) p = shrink(p, clrL1 / H);
      }
      store<f32>(pRow + o, p);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// FTRL-Proximal (McMahan et al. 2013, Algorithm 1), with w the weight in force (each op rounded):
//   σ = (√(n + g²) − √n)/α;  z ← (z + g) − σ·w;  n ← n + g²;
//   w = 0 if |z| ≤ λ1, else −(z − sign(z)·λ1) / (((β + √n)/α) + λ2)
// ftrlRows runs it on `count` coordinates from byte offset `o` of the three arrays and the gradient.
function ftrlRun(
  param: usize,
  z: usize,
  n: usize,
  grad: usize,
  count: usize,
  alpha: f32,
  beta: f32,
  l1: f32,
  l2: f32,
  gradSign: f32,
): void {
  const vAlpha = f32x4.splat(alpha);
  const vBeta = f32x4.splat(beta);
  const vL1 = f32x4.splat(l1);
  const vL2 = f32x4.splat(l2);
  const vSign = f32x4.splat(gradSign);
  const vZero = f32x4.splat(0);
  const vecBytes = (count & ~3) << 2;
  for (let o: usize = 0; o < vecBytes; o += 16) {
    const g = f32x4.mul(vSign, v128.load(grad + o));
    const n0 = v128.load(n + o);
    const n1 = f32x4.add(n0, f32x4.mul(g, g));
    const rootN = f32x4.sqrt(n1);
    const sigma = f32x4.div(f32x4.sub(rootN, f32x4.sqrt(n0)), vAlpha);
    const z1 = f32x4.sub(f32x4.add(v128.load(z + o), g), f32x4.mul(sigma, v128.load(param + o)));
    v128.store(z + o, z1);
    v128.store(n + o, n1);
    const shrunk = v128.bitselect(f32x4.sub(z1, vL1), f32x4.add(z1, vL1), f32x4.gt(z1, vZero));
    const w = f32x4.div(f32x4.neg(shrunk), f32x4.add(f32x4.div(f32x4.add(vBeta, rootN), vAlpha), vL2));
    v128.store(param + o, v128.bitselect(vZero, w, f32x4.le(f32x4.abs(z1), vL1)));
  }
  const end = count << 2;
  for (let o: usize = vecBytes; o < end; o += 4) {
    const g = gradSign * load<f32>(grad + o);
    const n0 = load<f32>(n + o);
    const n1 = n0 + g * g;
    const rootN = sqrt<f32>(n1);
    const sigma = (rootN - sqrt<f32>(n0)) / alpha;
    const z1 = load<f32>(z + o) + g - sigma * load<f32>(param + o);
    store<f32>(z + o, z1);
    store<f32>(n + o, n1);
    let w: f32 = 0;
    if (!(abs<f32>(z1) <= l1)) w = -(z1 > 0 ? z1 - l1 : z1 + l1) / ((beta + rootN) / alpha + l2);
    store<f32>(param + o, w);
  }
}

export function ftrlDense(
  param: usize,
  grad: usize,
  z: usize,
  n: usize,
  count: usize,
  alpha: f32,
  beta: f32,
  l1: f32,
  l2: f32,
  gradSign: f32,
): void {
  ftrlRun(param, z, n, grad, count, alpha, beta, l1, l2, gradSign);
}

export function ftrlSparse(
  param: usize,
  z: usize,
  n: usize,
  rows: usize,
  values: usize,
  k: usize,
  rowSize: usize,
  alpha: f32,
  beta: f32,
  l1: f32,
  l2: f32,
  gradSign: f32,
): void {
  const rowBytes = rowSize << 2;
  for (let j: usize = 0; j < k; j++) {
    if (j % TOUCH_AHEAD == 0) touchRows3(param, z, n, rows, j, min(j + TOUCH_AHEAD, k), rowBytes);
    const at = <usize>load<u32>(rows + (j << 2)) * rowBytes;
    ftrlRun(param + at, z + at, n + at, values + j * rowBytes, rowSize, alpha, beta, l1, l2, gradSign);
  }
}

// ---------------------------------------------------------------------------------------------------
// Dual averaging: s ← s + g;  G ← G + g²;  excess = |s| − l1·t;
//   x = excess > 0 ? −sign(s)·(lr·excess) / ((√G + eps) + lr·l2·t) : 0
// l1t = l1·t and lrL2t = lr·l2·t come rounded once from the caller.
function adagradDaRun(
  param: usize,
  gradSum: usize,
  sumSq: usize,
  grad: usize,
  count: usize,
  lr: f32,
  eps: f32,
  l1t: f32,
  lrL2t: f32,
  gradSign: f32,
): void {
  const vLr = f32x4.splat(lr);
  const vEps = f32x4.splat(eps);
  const vL1t = f32x4.splat(l1t);
  const vLrL2t = f32x4.splat(lrL2t);
  const vSign = f32x4.splat(gradSign);
  const vZero = f32x4.splat(0);
  const vecBytes = (count & ~3) << 2;
  for (let o: usize = 0; o < vecBytes; o += 16) {
    const g = f32x4.mul(vSign, v128.load(grad + o));
    const s = f32x4.add(v128.load(gradSum + o), g);
    const G = f32x4.add(v128.load(sumSq + o), f32x4.mul(g, g));
    v128.store(gradSum + o, s);
    v128.store(sumSq + o, G);
    const excess = f32x4.sub(f32x4.abs(s), vL1t);
    const x = f32x4.div(f32x4.mul(vLr, excess), f32x4.add(f32x4.add(f32x4.sqrt(G), vEps), vLrL2t));
    const signed = v128.bitselect(f32x4.neg(x), x, f32x4.gt(s, vZero));
    v128.store(param + o, v128.bitselect(signed, vZero, f32x4.gt(excess, vZero)));
  }
  const end = count << 2;
  for (let o: usize = vecBytes; o < end; o += 4) {
    const g = gradSign * load<f32>(grad + o);
    const s = load<f32>(gradSum + o) + g;
    const G = load<f32>(sumSq + o) + g * g;
    store<f32>(gradSum + o, s);
    store<f32>(sumSq + o, G);
    const excess = abs<f32>(s) - l1t;
    let x: f32 = 0;
    if (excess > 0) {
      x = (lr * excess) / (sqrt<f32>(G) + eps + lrL2t);
      if (s > 0) x = -x;
    }
    store<f32>(param + o, x);
  }
}

export function adagradDaDense(
  param: usize,
  grad: usize,
  gradSum: usize,
  sumSq: usize,
  count: usize,
  lr: f32,
  eps: f32,
  l1t: f32,
  lrL2t: f32,
  gradSign: f32,
): void {
  adagradDaRun(param, gradSum, sumSq, grad, count, lr, eps, l1t, lrL2t, gradSign);
}

export function adagradDaSparse(
  param: usize,
  gradSum: usize,
  sumSq: usize,
  rows: usize,
  values: usize,
  k: usize,
  rowSize: usize,
  lr: f32,
  eps: f32,
  l1t: f32,
  lrL2t: f32,
  gradSign: f32,
): void {
  const rowBytes = rowSize << 2;
  for (let j: usize = 0; j < k; j++) {
    if (j % TOUCH_AHEAD == 0) touchRows3(param, gradSum, sumSq, rows, j, min(j + TOUCH_AHEAD, k), rowBytes);
    const at = <usize>load<u32>(rows + (j << 2)) * rowBytes;
    adagradDaRun(
      param + at,
      gradSum + at,
      sumSq + at,
      values + j * rowBytes,
      rowSize,
      lr,
      eps,
      l1t,
      lrL2t,
      gradSign,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// torch.optim.SparseAdam on the named rows (PyTorch 1.13's float32 order, each op rounded):
//   Δm = (g − m)·(1 − β1);  m += Δm;  Δv = (g² − v)·(1 − β2);  v += Δv;
//   p += negStepSize · ((Δm + m_old) / (√(Δv + v_old) + eps))
export function sparseAdam(
  param: usize,
  expAvg: usize,
  expAvgSq: usize,
  rows: usize,
  values: usize,
  k: usize,
  rowSize: usize,
  rest1: f32,
  rest2: f32,
  eps: f32,
  negStepSize: f32,
  gradSign: f32,
): void {
  const vRest1 = f32x4.splat(rest1);
  const vRest2 = f32x4.splat(rest2);
  const vEps = f32x4.splat(eps);
  const vNegStep = f32x4.splat(negStepSize);
  const vSign = f32x4.splat(gradSign);
  const rowBytes = rowSize << 2;
  const vecBytes = (rowSize & ~3) << 2;
  for (let j: usize = 0; j < k; j++) {
    if (j % TOUCH_AHEAD == 0) touchRows3(param, expAvg, expAvgSq, rows, j, min(j + TOUCH_AHEAD, k), rowBytes);
    const at = <usize>load<u32>(rows + (j << 2)) * rowBytes;
    const pRow = param + at;
    const mRow = expAvg + at;
    const vRow = expAvgSq + at;
    const gRow = values + j * rowBytes;
    for (let o: usize = 0; o < vecBytes; o += 16) {
      const g = f32x4.mul(vSign, v128.load(gRow + o));
      const m0 = v128.load(mRow + o);
      const v0 = v128.load(vRow + o);
      const dm = f32x4.mul(f32x4.sub(g, m0), vRest1);
      const dv = f32x4.mul(f32x4.sub(f32x4.mul(g, g), v0), vRest2);
      v128.store(mRow + o, f32x4.add(m0, dm));
      v128.store(vRow + o, f32x4.add(v0, dv));
      const denom = f32x4.add(f32x4.sqrt(f32x4.add(dv, v0)), vEps);
      const upd = f32x4.mul(vNegStep, f32x4.div(f32x4.add(dm, m0), denom));
      v128.store(pRow + o, f32x4.add(v128.load(pRow + o), upd));
    }
    for (let o: usize = vecBytes; o < rowBytes; o += 4) {
      const g = gradSign * load<f32>(gRow + o);
      const m0 = load<f32>(mRow + o);
      const v0 = load<f32>(vRow + o);
      const dm = (g - m0) * rest1;
      const dv = (g * g - v0) * rest2;
      store<f32>(mRow + o, m0 + dm);
      store<f32>(vRow + o, v0 + dv);
      const denom = sqrt<f32>(dv + v0) + eps;
      store<f32>(pRow + o, load<f32>(pRow + o) + negStepSize * ((dm + m0) / denom));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Lazy RMSprop on the named rows (PyTorch's update without momentum or centering):
//   d = sign·g + wd·p (fused);  v = α·v + ((1-α)·d)·d (fused);  p += (-lr·d) / (√v + eps)
export function rmspropSparse(
  param: usize,
  squareAvg: usize,
  rows: usize,
  values: usize,
  k: usize,
  rowSize: usize,
  negLr: f32,
  alpha: f32,
  rest: f32,
  eps: f32,
  wd: f32,
  gradSign: f32,
): void {
  const vNegLr = f32x4.splat(negLr);
  const vAlpha = f32x4.splat(alpha);
  const vRest = f32x4.splat(rest);
  const vEps = f32x4.splat(eps);
  const vWd = f32x4.splat(wd);
  const vSign = f32x4.splat(gradSign);
  const rowBytes = rowSize << 2;
  const vecBytes = (rowSize & ~3) << 2;
  for (let j: usize = 0; j < k; j++) {
    if (j % TOUCH_AHEAD == 0) touchRows(param, squareAvg, rows, j, min(j + TOUCH_AHEAD, k), rowBytes);
    const at = <usize>load<u32>(rows + (j << 2)) * rowBytes;
    const pRow = param + at;
    const sRow = squareAvg + at;
    const gRow = values + j * rowBytes;
    for (let o: usize = 0; o < vecBytes; o += 16) {
      const p = v128.load(pRow + o);
      let d = f32x4.mul(vSign, v128.load(gRow + o));
      if (wd != 0) d = addMul4(d, vWd, p);
      const v = addMul4(f32x4.mul(v128.load(sRow + o), vAlpha), f32x4.mul(vRest, d), d);
      v128.store(sRow + o, v);
      v128.store(pRow + o, f32x4.add(p, f32x4.div(f32x4.mul(vNegLr, d), f32x4.add(f32x4.sqrt(v), vEps))));
    }
    for (let o: usize = vecBytes; o < rowBytes; o += 4) {
      const p = load<f32>(pRow + o);
      let d = gradSign * load<f32>(gRow + o);
      if (wd != 0) d = addMul(d, wd, p);
      const v = addMul(load<f32>(sRow + o) * alpha, rest * d, d);
      store<f32>(sRow + o, v);
      store<f32>(pRow + o, p + (negLr * d) / (sqrt<f32>(v) + eps));
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
