import type { FloatArray } from '../optim/types.js';

/**
 * Scalars of one AdaGrad step, already resolved from the options and the step count.
 * Every kernel applies them in PyTorch's order of operations so float32 results match bit-for-bit.
 */
export interface AdagradScalars {
  /** The decayed learning rate clr = lr / (1 + (t - 1)·lrDecay). */
  clr: number;
  eps: number;
  /** -1 to maximize. */
  gradSign: 1 | -1;
  /** L2 penalty folded into the gradient: g + wd·p (PyTorch). */
  weightDecay: number;
  /** Decoupled decay applied first: p -= clr·wd·p (Keras). */
  decoupledWeightDecay: number;
  /** false: g / (sqrt(G) + eps) (PyTorch, paper); true: g / sqrt(G + eps) (Keras, TF.js, Optax). */
  epsInside: boolean;
  /** Optax: a coordinate whose accumulator is exactly 0 gets no update. */
  skipZeroAccumulator: boolean;
  /**
   * ℓ1 strength of composite mirror descent (Duchi et al. 2011, §5.1): after the step u, the weight
   * becomes sign(u)·max(|u| − clr·l1/H, 0) with H = sqrt(G) + eps. Eps outside only. Absent or 0:
   * no shrinking, the same bits as without the field.
   */
  l1?: number;
  /**
   * TensorFlow.js's float32 order: G += g² in two roundings, then p = (g / sqrt(G + eps))·(−clr) + p,
   * each operation rounded. Absent or false: PyTorch's order.
   */
  tfjsOrder?: boolean;
}

/**
 * FTRL-Proximal (McMahan et al. 2013, Algorithm 1) per coordinate. `alpha` is the paper's α (the
 * optimizer's lr), `l2` the paper's λ2 (the penalty (λ2/2)·w² per round).
 */
export interface FtrlScalars {
  alpha: number;
  beta: number;
  l1: number;
  l2: number;
  /** -1 to maximize. */
  gradSign: 1 | -1;
}

/**
 * Diagonal dual averaging with ℓ1 and ℓ2 (Duchi et al. 2011, §5.1; Xiao 2010). The weight after step t
 * is the minimizer of ⟨s, x⟩ + t·l1·|x| + t·(l2/2)·x² + (H/(2·lr))·x² with H = eps + sqrt(G):
 *   x = −sign(s)·lr·max(|s| − l1·t, 0) / (H + lr·l2·t)
 */
export interface AdagradDaScalars {
  lr: number;
  eps: number;
  l1: number;
  l2: number;
  /** The step count t, from 1, of this update. */
  step: number;
  /** -1 to maximize. */
  gradSign: 1 | -1;
}

/** torch.optim.SparseAdam's scalars; only the named rows' moments move. */
export interface SparseAdamScalars {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** The parameter's step count t, from 1, for the bias corrections. */
  step: number;
  gradSign: 1 | -1;
}

export interface SgdScalars {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  gradSign: 1 | -1;
  /** The first step with momentum copies the gradient into the buffer (PyTorch). */
  firstStep: boolean;
}

export interface RmspropScalars {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  gradSign: 1 | -1;
}

export interface AdamScalars {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Adam's L2 penalty folded into the gradient. */
  weightDecay: number;
  /** AdamW's decoupled decay: p *= 1 - lr·wd before the step. */
  decoupledWeightDecay: number;
  amsgrad: boolean;
  gradSign: 1 | -1;
  /** The step count t, from 1, for the bias corrections. */
  step: number;
}

export interface AdadeltaScalars {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  gradSign: 1 | -1;
}

/**
 * The hot loops of every optimizer. Two implementations share this signature: the plain TypeScript
 * reference and the WebAssembly SIMD build. All arrays of one call have the same precision;
 * dense arrays have the parameter's length.
 */
export interface Kernels {
  readonly name: 'reference' | 'wasm';
  adagradDense(param: FloatArray, grad: ArrayLike<number>, sum: FloatArray, s: AdagradScalars): void;
  /**
   * Updates only the named rows. `rows` are distinct row indices; `values` holds rowSize values per
   * row, already coalesced (duplicates summed).
   */
  adagradSparse(
    param: FloatArray,
    sum: FloatArray,
    rows: ArrayLike<number>,
    values: ArrayLike<number>,
    rowSize: number,
    s: AdagradScalars,
  ): void;
  /** FTRL-Proximal on every coordinate: updates z and n, then writes w from them. */
  ftrlDense(param: FloatArray, grad: ArrayLike<number>, z: FloatArray, n: FloatArray, s: FtrlScalars): void;
  /** FTRL-Proximal on the named rows only; the others' weights are already a function of their z, n. */
  ftrlSparse(
    param: FloatArray,
    z: FloatArray,
    n: FloatArray,
    rows: ArrayLike<number>,
    values: ArrayLike<number>,
    rowSize: number,
    s: FtrlScalars,
  ): void;
  /** Dual averaging on every coordinate: s += g, G += g², then w from (s, G, t). */
  adagradDaDense(
    param: FloatArray,
    grad: ArrayLike<number>,
    gradSum: FloatArray,
    sumSq: FloatArray,
    s: AdagradDaScalars,
  ): void;
  /**
   * Dual averaging on the named rows only. The others keep the weight of their last update; their exact
   * weight at step t is adagradDaWeight(s_i, G_i, t, scalars) (lazy).
   */
  adagradDaSparse(
    param: FloatArray,
    gradSum: FloatArray,
    sumSq: FloatArray,
    rows: ArrayLike<number>,
    values: ArrayLike<number>,
    rowSize: number,
    s: AdagradDaScalars,
  ): void;
  /** torch.optim.SparseAdam: only the named rows' moments and weights move. */
  sparseAdam(
    param: FloatArray,
    expAvg: FloatArray,
    expAvgSq: FloatArray,
    rows: ArrayLike<number>,
    values: ArrayLike<number>,
    rowSize: number,
    s: SparseAdamScalars,
  ): void;
  /**
   * Lazy RMSprop: PyTorch's update on the named rows only; the other rows' averages do not decay.
   * No momentum and no centering (RangeError).
   */
  rmspropSparse(
    param: FloatArray,
    squareAvg: FloatArray,
    rows: ArrayLike<number>,
    values: ArrayLike<number>,
    rowSize: number,
    s: RmspropScalars,
  ): void;
  sgd(param: FloatArray, grad: ArrayLike<number>, momentumBuffer: FloatArray | null, s: SgdScalars): void;
  rmsprop(
    param: FloatArray,
    grad: ArrayLike<number>,
    squareAvg: FloatArray,
    gradAvg: FloatArray | null,
    momentumBuffer: FloatArray | null,
    s: RmspropScalars,
  ): void;
  adam(
    param: FloatArray,
    grad: ArrayLike<number>,
    expAvg: FloatArray,
    expAvgSq: FloatArray,
    maxExpAvgSq: FloatArray | null,
    s: AdamScalars,
  ): void;
  adadelta(
    param: FloatArray,
    grad: ArrayLike<number>,
    squareAvg: FloatArray,
    accDelta: FloatArray,
    s: AdadeltaScalars,
  ): void;
}
