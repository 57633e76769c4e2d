import { mulberry32 } from '../data/random.js';
import type { FloatArray } from '../optim/types.js';
import type { Landscape, Vec2 } from './types.js';

/**
 * The parameters trace() hands to the optimizer factory: one 2-vector, updated in place. A type alias
 * rather than an interface, so that it is assignable to the optimizers' Params record.
 */
export type TraceParams = { xy: Float64Array };

/**
 * What trace() needs from an optimizer (every optimizer of the library has it). step() gets the same
 * gradient buffer every step, refilled: it reads the gradient and keeps nothing of it.
 */
export interface TraceOptimizer {
  step(grads: { xy: Float64Array }): void;
  accumulator(name: 'xy'): FloatArray;
  effectiveLearningRate(name: 'xy'): Float64Array;
}

export type OptimizerFactory = (params: TraceParams) => TraceOptimizer;

export interface TraceOptions {
  /** Probability of zeroing the y gradient in a step (simulated sparse feature); default 0. */
  sparsity?: number;
  /** Seed of the mulberry32 stream that decides which steps lose their y gradient; default 1. */
  seed?: number;
  /** A step landing outside [-bound, bound]² counts as diverged; default 1e6. */
  bound?: number;
}

/** One optimizer step on the landscape. */
export interface TraceStep {
  /** Position before the step. */
  from: Vec2;
  /** Position after the step. */
  to: Vec2;
  /** The gradient fed to the optimizer (after any sparsity drop). */
  grad: Vec2;
  /** True when this step's y gradient was zeroed by the sparsity draw. */
  droppedY: boolean;
  /** The optimizer's accumulator after the step (AdaGrad's G; second moments of the others; zeros for SGD). */
  accumulator: Vec2;
  /**
   * The effective per-coordinate learning rate read after the step: for AdaGrad without lrDecay,
   * exactly the rate this step used, lr / (√G + ε).
   */
  effectiveLr: Vec2;
  lossBefore: number;
  loss: number;
}

export interface Trace {
  landscape: Landscape;
  start: Vec2;
  steps: TraceStep[];
  /** start, then the position after every step: steps.length + 1 finite points. */
  path: Vec2[];
  /** True when the run stopped early because the position became non-finite or left the bound. */
  diverged: boolean;
}

function checkTraceInput(landscape: Landscape, start: Vec2, steps: number, options: TraceOptions): void {
  if (!Number.isFinite(start[0]) || !Number.isFinite(start[1])) {
    throw new RangeError(`trace: start must be two finite numbers, got [${start[0]}, ${start[1]}]`);
  }
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`trace: steps must be a non-negative integer, got ${steps}`);
  }
  const sparsity = options.sparsity ?? 0;
  if (!(sparsity >= 0 && sparsity <= 1)) {
    throw new RangeError(`trace: options.sparsity must be in [0, 1], got ${sparsity}`);
  }
  const bound = options.bound ?? 1e6;
  if (!(bound > 0 && Number.isFinite(bound))) {
    throw new RangeError(`trace: options.bound must be a positive finite number, got ${bound}`);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new RangeError(`trace: options.seed must be an integer, got ${options.seed}`);
  }
  if (typeof landscape?.grad !== 'function') throw new TypeError('trace: landscape has no grad(x, y)');
}

/**
 * Runs an optimizer from `start` on a landscape for `steps` steps, feeding the analytic gradient and
 * recording everything the explainer draws. The update itself is the optimizer's: trace never
 * re-implements a rule. The sparsity draw is taken every step whatever p is, so runs with the same
 * seed share one random stream and a larger p drops a superset of the steps a smaller p drops.
 */
export function trace(
  optimizerFactory: OptimizerFactory,
  landscape: Landscape,
  start: Vec2,
  steps: number,
  options: TraceOptions = {},
): Trace {
  checkTraceInput(landscape, start, steps, options);
  const sparsity = options.sparsity ?? 0;
  const bound = options.bound ?? 1e6;
  const random = mulberry32(options.seed ?? 1);
  const params: TraceParams = { xy: new Float64Array([start[0], start[1]]) };
  const optimizer = optimizerFactory(params);
  const xy = params.xy;
  const result: Trace = {
    landscape,
    start: [start[0], start[1]],
    steps: [],
    path: [[start[0], start[1]]],
    diverged: false,
  };

  // One gradient record, refilled every step: a page of figures takes thousands of steps while it
  // loads, most before V8 has optimized this loop, and each allocation there costs (and later collects).
  const gradient = new Float64Array(2);
  const grads = { xy: gradient };
  // f at the current point: the loss after one step is the loss before the next.
  let loss = landscape.f(start[0], start[1]);
  for (let t = 0; t < steps; t++) {
    const from: Vec2 = [xy[0], xy[1]];
    const lossBefore = loss;
    const g = landscape.grad(from[0], from[1]);
    const gx = g[0];
    const droppedY = random() < sparsity;
    const gy = droppedY ? 0 : g[1];
    if (!Number.isFinite(gx) || !Number.isFinite(gy)) {
      result.diverged = true;
      break;
    }
    gradient[0] = gx;
    gradient[1] = gy;
    optimizer.step(grads);
    const to: Vec2 = [xy[0], xy[1]];
    if (!Number.isFinite(to[0]) || !Number.isFinite(to[1])) {
      // Keep the path finite: the non-finite point is not recorded.
      result.diverged = true;
      break;
    }
    const G = optimizer.accumulator('xy');
    const rate = optimizer.effectiveLearningRate('xy');
    loss = landscape.f(to[0], to[1]);
    result.steps.push({
      from,
      to,
      grad: [gx, gy],
      droppedY,
      accumulator: [G[0], G[1]],
      effectiveLr: [rate[0], rate[1]],
      lossBefore,
      loss,
    });
    result.path.push(to);
    if (Math.abs(to[0]) > bound || Math.abs(to[1]) > bound) {
      result.diverged = true;
      break;
    }
  }
  return result;
}
