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
