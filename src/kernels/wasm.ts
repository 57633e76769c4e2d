import type { FloatArray } from '../optim/types.js';
import { adagradL1, checkLazyRmsprop, referenceKernels } from './reference.js';
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
import type { KernelMemory } from './wasm-memory.js';
import type { WasmRuntime } from './wasm-runtime.js';

const f = Math.fround;
const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * Moves one call's arrays into the kernels' memory. An array that already lives there (from alloc) is
 * passed by address: no copy. Any other array is copied into a scratch region before the call and, if the
 * kernel writes it, copied back afterwards: about 4 bytes read and written per element and array, which
 * is the documented price of ordinary arrays. Usage: need() each array, reserve(), bind() each array in
 * the same order, call the kernel, writeBack().
 */
class CallFrame {
  private needed = 0;
  private cursor = 0;
  private readonly pending: Array<{ target: FloatArray; ptr: number }> = [];

  constructor(private readonly mem: KernelMemory) {}

  need(a: ArrayLike<number> | null): void {
    if (a !== null && !this.mem.owns(a)) this.needed += align16(a.length * 4);
  }

  needInts(count: number): void {
    this.needed += align16(count * 4);
  }

  /** Makes room for everything need() counted; may grow the memory, so it comes before any bind(). */
  reserve(): void {
    this.cursor = this.needed > 0 ? this.mem.scratch(this.needed) : 0;
    this.needed = 0;
    this.pending.length = 0;
  }

  /** The address of `a` for the kernel (0 for an absent buffer), copying it in if it lives elsewhere. */
  bind(a: ArrayLike<number> | null, written: boolean): number {
    if (a === null) return 0;
    if (this.mem.owns(a)) return a.byteOffset;
    const ptr = this.cursor;
    this.cursor += align16(a.length * 4);
    const view = new Float32Array(this.mem.buffer(), ptr, a.length);
    view.set(a);
    if (written) this.pending.push({ target: a as FloatArray, ptr });
    return ptr;
  }

  /** Copies rows (validated) into an int32 scratch area. */
  bindInts(values: ArrayLike<number>): number {
    const ptr = this.cursor;
    this.cursor += align16(values.length * 4);
    new Int32Array(this.mem.buffer(), ptr, values.length).set(values);
    return ptr;
  }

  writeBack(): void {
    for (const { target, ptr } of this.pending) {
      target.set(new Float32Array(this.mem.buffer(), ptr, target.length));
    }
    this.pending.length = 0;
  }
}

function checkLength(kernel: string, argument: string, a: ArrayLike<number> | null, n: number): void {
  if (a !== null && a.length !== n) {
    throw new RangeError(
      `kernels.${kernel}: '${argument}' has length ${a.length}, expected ${n} (the parameter's)`,
    );
  }
}

/** The dense kernels, which a ParallelRunner can split by coordinate ranges. */
export type DenseKernelName = 'adagradDense' | 'sgd' | 'rmsprop' | 'adam' | 'adadelta';

/** Splits large dense steps across threads sharing the kernels' memory (see node/threads.ts). */
export interface ParallelRunner {
  /** Steps with fewer coordinates run on the calling thread alone: they would only pay the overhead. */
  readonly minCoordinates: number;
  /**
   * Runs a dense kernel on every thread, each on its own range of coordinates, and returns when all
   * are done. `args` are the kernel's arguments: `pointers` array addresses (0 for an absent buffer),
   * then the coordinate count, then the scalars.
   */
  run(kernel: DenseKernelName, pointers: number, args: number[]): void;
}

/**
 * The WebAssembly SIMD kernels over one runtime. Float64Array parameters use the reference kernels.
 * With a ParallelRunner, dense steps of at least its minCoordinates are split across its threads; every
 * coordinate is computed by the same code either way, so the results are the same bits.
 */
export function createWasmKernels(runtime: WasmRuntime, parallel: ParallelRunner | null = null): Kernels {
  const x = runtime.exports;
  const mem = runtime.memory;
  const frame = new CallFrame(mem);
  const split = (n: number): boolean => parallel !== null && n >= parallel.minCoordinates;

  function adagradDense(
    param: FloatArray,
    grad: ArrayLike<number>,
    sum: FloatArray,
    s: AdagradScalars,
  ): void {
    if (!(param instanceof Float32Array)) return referenceKernels.adagradDense(param, grad, sum, s);
    const clrL1 = f(adagradL1(s) * s.clr);
    const n = param.length;
    checkLength('adagradDense', 'grad', grad, n);
    checkLength('adagradDense', 'sum', sum, n);
    frame.need(param);
    frame.need(grad);
    frame.need(sum);
    frame.reserve();
    const p = frame.bind(param, true);
    const g = frame.bind(grad, false);
    const G = frame.bind(sum, true);
    const args = [
      p,
      g,
      G,
      n,
      -f(s.clr),
      s.clr,
      s.eps,
      s.gradSign,
      s.weightDecay,
      s.decoupledWeightDecay,
      s.epsInside ? 1 : 0,
      s.skipZeroAccumulator ? 1 : 0,
      clrL1,
      s.tfjsOrder ? 1 : 0,
    ] as const;
    if (split(n)) parallel?.run('adagradDense', 3, [...args]);
    else x.adagradDense(...args);
    frame.writeBack();
  }

  function adagradSparse(
    param: FloatArray,
    sum: FloatArray,
    rows: ArrayLike<number>,
    values: ArrayLike<number>,
    rowSize: number,
    s: AdagradScalars,
  ): void {
    // Copying a whole table in and out would cost O(n) per step; for tables outside the kernels' memory
    // the reference path is used instead, which touches only the named rows (and gives the same bits).
    if (!inKernelMemory(param, [sum])) {
      return referenceKernels.adagradSparse(param, sum, rows, values, rowSize, s);
    }
    const clrL1 = f(adagradL1(s) * s.clr);
    const [r, v, k] = bindRows('adagradSparse', param, [sum], rows, values, rowSize);
    x.adagradSparse(
      param.byteOffset,
      sum.byteOffset,
      r,
      v,
      k,
      rowSize,
      -f(s.clr),
      s.clr,
      s.eps,
      s.gradSign,
      s.decoupledWeightDecay,
      s.epsInside ? 1 : 0,
      s.skipZeroAccumulator ? 1 : 0,
      clrL1,
      s.tfjsOrder ? 1 : 0,
    );
  }

  /**
   * Whether a sparse step can run in WebAssembly: copying a whole table in and out would cost O(n) per
   * step, so tables (or state) outside the kernels' memory take the reference path instead, which
   * touches only the named rows and gives the same bits.
   */
  function inKernelMemory(param: FloatArray, state: FloatArray[]): param is Float32Array {
    return param instanceof Float32Array && mem.owns(param) && state.every((a) => mem.owns(a));
  }

  /**
   * Checks a sparse call (state lengths, row size, every row inside the table) and copies its rows and
   * values into the scratch region: returns their addresses and the row count.
   */
  function bindRows(
    kernel: string,
    param: FloatArray,
    state: FloatArray[],
    rows: ArrayLike<number>,
    values: ArrayLike<number>,
    rowSize: number,
  ): [number, number, number] {
    const k = rows.length;
    for (const a of state) checkLength(kernel, 'state', a, param.length);
    checkLength(kernel, 'values', values, k * rowSize);
    if (!Number.isInteger(rowSize) || rowSize < 1) {
      throw new RangeError(`kernels.${kernel}: rowSize must be a positive integer, got ${rowSize}`);
    }
    const nRows = Math.floor(param.length / rowSize);
    for (let j = 0; j < k; j++) {
      const r = rows[j];
      if (!Number.isInteger(r) || r < 0 || r >= nRows) {
        throw new RangeError(`kernels.${kernel}: rows[${j}] = ${r} is not a row of a ${nRows}-row parameter`);
      }
    }
    frame.need(values);
    frame.needInts(k);
    frame.reserve();
    const v = frame.bind(values, false);
    const r = frame.bindInts(rows);
    return [r, v, k];
  }

  /** Runs a dense kernel over the parameter, its gradient and state arrays (copied in and out if needed). */
  function dense(
    kernel: 'ftrlDense' | 'adagradDaDense',
    param: Float32Array,
    grad: ArrayLike<number>,
    state: FloatArray[],
    scalars: number[],
  ): void {
    const n = param.length;
    checkLength(kernel, 'grad', grad, n);
    for (const a of state) checkLength(kernel, 'state', a, n);
    frame.need(param);
    frame.need(grad);
    for (const a of state) frame.need(a);
    frame.reserve();
    const p = frame.bind(param, true);
    const g = frame.bind(grad, false);
    const pointers = state.map((a) => frame.bind(a, true));
    x[kernel](p, g, ...pointers, n, ...scalars);
    frame.writeBack();
  }

  const ftrlArgs = (s: FtrlScalars): number[] => [s.alpha, s.beta, s.l1, s.l2, s.gradSign];

  function ftrlDense(
    param: FloatArray,
    grad: ArrayLike<number>,
    z: FloatArray,
    n: FloatArray,
    s: FtrlScalars,
  ) {
    if (!(param instanceof Float32Array)) return referenceKernels.ftrlDense(param, grad, z, n, s);
    dense('ftrlDense', param, grad, [z, n], ftrlArgs(s));
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
    if (!inKernelMemory(param, [z, n]))
      return referenceKernels.ftrlSparse(param, z, n, rows, values, rowSize, s);
    const [r, v, k] = bindRows('ftrlSparse', param, [z, n], rows, values, rowSize);
    x.ftrlSparse(param.byteOffset, z.byteOffset, n.byteOffset, r, v, k, rowSize, ...ftrlArgs(s));
  }

  // l1·t and lr·l2·t rounded once, as the reference's daConstants.
  const daArgs = (s: AdagradDaScalars): number[] => [
    s.lr,
    s.eps,
    f(s.l1 * s.step),
    f(s.lr * s.l2 * s.step),
    s.gradSign,
  ];

  function adagradDaDense(
    param: FloatArray,
    grad: ArrayLike<number>,
    gradSum: FloatArray,
    sumSq: FloatArray,
    s: AdagradDaScalars,
  ): void {
    if (!(param instanceof Float32Array))
      return referenceKernels.adagradDaDense(param, grad, gradSum, sumSq, s);
    dense('adagradDaDense', param, grad, [gradSum, sumSq], daArgs(s));
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
    if (!inKernelMemory(param, [gradSum, sumSq])) {
      return referenceKernels.adagradDaSparse(param, gradSum, sumSq, rows, values, rowSize, s);
    }
    const [r, v, k] = bindRows('adagradDaSparse', param, [gradSum, sumSq], rows, values, rowSize);
    const args = daArgs(s);
    x.adagradDaSparse(param.byteOffset, gradSum.byteOffset, sumSq.byteOffset, r, v, k, rowSize, ...args);
  }

  function sparseAdam(
    param: FloatArray,
    expAvg: FloatArray,
    expAvgSq: FloatArray,
    rows: ArrayLike<number>,
    values: ArrayLike<number>,
    rowSize: number,
    s: SparseAdamScalars,
  ): void {
    if (!inKernelMemory(param, [expAvg, expAvgSq])) {
      return referenceKernels.sparseAdam(param, expAvg, expAvgSq, rows, values, rowSize, s);
    }
    const [r, v, k] = bindRows('sparseAdam', param, [expAvg, expAvgSq], rows, values, rowSize);
    // step_size = lr * math.sqrt(bias_correction2) / bias_correction1, a Python float (double).
    const stepSize = (s.lr * Math.sqrt(1 - s.beta2 ** s.step)) / (1 - s.beta1 ** s.step);
    const m = expAvg.byteOffset;
    const q = expAvgSq.byteOffset;
    x.sparseAdam(
      param.byteOffset,
      m,
      q,
      r,
      v,
      k,
      rowSize,
      1 - s.beta1,
      1 - s.beta2,
      s.eps,
      -stepSize,
      s.gradSign,
    );
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
    if (!inKernelMemory(param, [squareAvg])) {
      return referenceKernels.rmspropSparse(param, squareAvg, rows, values, rowSize, s);
    }
    const [r, v, k] = bindRows('rmspropSparse', param, [squareAvg], rows, values, rowSize);
    const sq = squareAvg.byteOffset;
    x.rmspropSparse(
      param.byteOffset,
      sq,
      r,
      v,
      k,
      rowSize,
      -f(s.lr),
      s.alpha,
      1 - s.alpha,
      s.eps,
      s.weightDecay,
      s.gradSign,
    );
  }

  function sgd(param: FloatArray, grad: ArrayLike<number>, buf: FloatArray | null, s: SgdScalars): void {
    if (!(param instanceof Float32Array)) return referenceKernels.sgd(param, grad, buf, s);
    const n = param.length;
    checkLength('sgd', 'grad', grad, n);
    checkLength('sgd', 'momentumBuffer', buf, n);
    frame.need(param);
    frame.need(grad);
    frame.need(buf);
    frame.reserve();
    const p = frame.bind(param, true);
    const g = frame.bind(grad, false);
    const b = frame.bind(buf, true);
    const args = [
      p,
      g,
      b,
      n,
      -f(s.lr),
      s.weightDecay,
      s.momentum,
      1 - s.dampening,
      s.gradSign,
      s.nesterov ? 1 : 0,
      s.firstStep ? 1 : 0,
    ] as const;
    if (split(n)) parallel?.run('sgd', 3, [...args]);
    else x.sgd(...args);
    frame.writeBack();
  }

  function rmsprop(
    param: FloatArray,
    grad: ArrayLike<number>,
    squareAvg: FloatArray,
    gradAvg: FloatArray | null,
    buf: FloatArray | null,
    s: RmspropScalars,
  ): void {
    if (!(param instanceof Float32Array))
      return referenceKernels.rmsprop(param, grad, squareAvg, gradAvg, buf, s);
    const n = param.length;
    checkLength('rmsprop', 'grad', grad, n);
    checkLength('rmsprop', 'squareAvg', squareAvg, n);
    checkLength('rmsprop', 'gradAvg', gradAvg, n);
    checkLength('rmsprop', 'momentumBuffer', buf, n);
    frame.need(param);
    frame.need(grad);
    frame.need(squareAvg);
    frame.need(gradAvg);
    frame.need(buf);
    frame.reserve();
    const p = frame.bind(param, true);
    const g = frame.bind(grad, false);
    const v = frame.bind(squareAvg, true);
    const ga = frame.bind(gradAvg, true);
    const b = frame.bind(buf, true);
    const args = [
      p,
      g,
      v,
      ga,
      b,
      n,
      -f(s.lr),
      s.alpha,
      1 - s.alpha,
      s.eps,
      s.weightDecay,
      s.momentum,
      s.gradSign,
    ] as const;
    if (split(n)) parallel?.run('rmsprop', 5, [...args]);
    else x.rmsprop(...args);
    frame.writeBack();
  }

  function adam(
    param: FloatArray,
    grad: ArrayLike<number>,
    expAvg: FloatArray,
    expAvgSq: FloatArray,
    maxExpAvgSq: FloatArray | null,
    s: AdamScalars,
  ): void {
    if (!(param instanceof Float32Array))
      return referenceKernels.adam(param, grad, expAvg, expAvgSq, maxExpAvgSq, s);
    const n = param.length;
    checkLength('adam', 'grad', grad, n);
    checkLength('adam', 'expAvg', expAvg, n);
    checkLength('adam', 'expAvgSq', expAvgSq, n);
    checkLength('adam', 'maxExpAvgSq', maxExpAvgSq, n);
    frame.need(param);
    frame.need(grad);
    frame.need(expAvg);
    frame.need(expAvgSq);
    frame.need(maxExpAvgSq);
    frame.reserve();
    const p = frame.bind(param, true);
    const g = frame.bind(grad, false);
    const m = frame.bind(expAvg, true);
    const v = frame.bind(expAvgSq, true);
    const vMax = frame.bind(maxExpAvgSq, true);
    // Bias corrections in double, as PyTorch's Python floats; rounded once when they enter the kernel.
    const stepSize = s.lr / (1 - s.beta1 ** s.step);
    const bc2Sqrt = Math.sqrt(1 - s.beta2 ** s.step);
    const args = [
      p,
      g,
      m,
      v,
      vMax,
      n,
      s.beta1,
      s.beta2,
      1 - s.beta1,
      1 - s.beta2,
      s.eps,
      s.weightDecay,
      s.decoupledWeightDecay !== 0 ? 1 : 0,
      1 - s.lr * s.decoupledWeightDecay,
      -f(stepSize),
      bc2Sqrt,
      s.gradSign,
    ] as const;
    if (split(n)) parallel?.run('adam', 5, [...args]);
    else x.adam(...args);
    frame.writeBack();
  }

  function adadelta(
    param: FloatArray,
    grad: ArrayLike<number>,
    squareAvg: FloatArray,
    accDelta: FloatArray,
    s: AdadeltaScalars,
  ): void {
    if (!(param instanceof Float32Array))
      return referenceKernels.adadelta(param, grad, squareAvg, accDelta, s);
    const n = param.length;
    checkLength('adadelta', 'grad', grad, n);
    checkLength('adadelta', 'squareAvg', squareAvg, n);
    checkLength('adadelta', 'accDelta', accDelta, n);
    frame.need(param);
    frame.need(grad);
    frame.need(squareAvg);
    frame.need(accDelta);
    frame.reserve();
    const p = frame.bind(param, true);
    const g = frame.bind(grad, false);
    const v = frame.bind(squareAvg, true);
    const u = frame.bind(accDelta, true);
    const args = [p, g, v, u, n, -f(s.lr), s.rho, 1 - s.rho, s.eps, s.weightDecay, s.gradSign] as const;
    if (split(n)) parallel?.run('adadelta', 4, [...args]);
    else x.adadelta(...args);
    frame.writeBack();
  }

  return {
    name: 'wasm',
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
}

/**
 * The optimizers' finiteness check on the WebAssembly kernels: the index of the first NaN or ±Infinity
 * in a Float32Array, or -1. Arrays outside the kernels' memory are copied into the scratch region first
 * (a memcpy, still faster than a JavaScript loop over the values).
 */
export function createFiniteCheck(runtime: WasmRuntime): (values: Float32Array) => number {
  const frame = new CallFrame(runtime.memory);
  return (values) => {
    frame.need(values);
    frame.reserve();
    const at = frame.bind(values, false);
    return runtime.exports.firstNonFinite(at, values.length) as unknown as number;
  };
}
