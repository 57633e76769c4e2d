// The sparse-gradients section's model, no DOM: its URL state and figure data: the y gradient dropped with probability p from a seeded stream (trace's
// sparsity option), SGD beside AdaGrad, and AdaGrad's effective rates with and without the drops.
import {
  LANDSCAPE_IDS,
  trace,
  valley,
  type Landscape,
  type LandscapeId,
  type Trace,
  type Vec2,
} from '../../../src/index.js';
import { formatValue } from '../../figures/format.js';
import { enumParam, gridParam, intParam, roundGrid, steppedIntParam } from '../../lib/hash-state.js';
import { distanceToNearest, OPTIMIZERS } from '../optimizers.js';

export const MAX_SEED = 2 ** 31 - 1;
export const SPARSE_STEPS = 200;
export const SPARSE_LR_GRID = roundGrid(0.01, 10);
export const P_PERCENT = { min: 0, max: 95, step: 5 };

export const SPARSE_PARAMS = {
  /** p in percent, on the slider's 5% grid. */
  pPercent: steppedIntParam('s.p', 80, P_PERCENT),
  seed: intParam('s.seed', 1, { min: 0, max: MAX_SEED }),
  sgdLr: gridParam('s.sgd', 0.3, SPARSE_LR_GRID),
  adagradLr: gridParam('s.ada', 1, SPARSE_LR_GRID),
  landscape: enumParam<LandscapeId>('s.land', 'rotated', LANDSCAPE_IDS),
} as const;

export interface SparseSettings {
  /** Probability of zeroing the y gradient in a step. */
  p: number;
  seed: number;
  sgdLr: number;
  adagradLr: number;
  steps: number;
  start?: Vec2;
}

export interface SparseFigure {
  landscape: Landscape;
  sgd: Trace;
  adagrad: Trace;
  /** AdaGrad with every gradient kept (p = 0), the dashed reference. */
  adagradDense: Trace;
  lrX: number[];
  lrY: number[];
  denseLrX: number[];
  denseLrY: number[];
  /** Steps whose y gradient was zeroed. */
  dropped: number;
}

export function sparseFigure(s: SparseSettings, landscape: Landscape = valley): SparseFigure {
  const start = s.start ?? landscape.defaultStart;
  const options = { sparsity: s.p, seed: s.seed };
  const sgd = trace(OPTIMIZERS.sgd.factory(s.sgdLr), landscape, start, s.steps, options);
  const adagrad = trace(OPTIMIZERS.adagrad.factory(s.adagradLr), landscape, start, s.steps, options);
  const adagradDense = trace(OPTIMIZERS.adagrad.factory(s.adagradLr), landscape, start, s.steps, {
    sparsity: 0,
    seed: s.seed,
  });
  return {
    landscape,
    sgd,
    adagrad,
    adagradDense,
    lrX: ratesOf(adagrad, 0),
    lrY: ratesOf(adagrad, 1),
    denseLrX: ratesOf(adagradDense, 0),
    denseLrY: ratesOf(adagradDense, 1),
    dropped: adagrad.steps.filter((t) => t.droppedY).length,
  };
}

/**
 * The effective rate per step, NaN (not drawn) while the coordinate has had no gradient: G = 0 gives
 * lr / ε = 10^10, a rate no step has used.
 */
function ratesOf(t: Trace, axis: 0 | 1): number[] {
  return t.steps.map((s) => (s.accumulator[axis] === 0 ? Number.NaN : s.effectiveLr[axis]));
}

/** Where each ended, SGD against AdaGrad (or that it diverged). */
function raceLine(f: SparseFigure): string {
  const where = (t: Trace): string =>
    t.diverged
      ? 'diverged'
      : `ended ${formatValue(distanceToNearest(t.path[t.path.length - 1], f.landscape.minima))} from the minimum`;
  return `After ${f.adagrad.steps.length} steps SGD ${where(f.sgd)}; AdaGrad ${where(f.adagrad)}.`;
}

/** The caption, generated from the run: how often y got a gradient, and what that did to its rate. */
export function sparseCaption(f: SparseFigure): string {
  const n = f.adagrad.steps.length;
  if (n === 0) return 'No steps taken.';
  const last = n - 1;
  const kept = n - f.dropped;
  if (f.dropped === 0)
    return `Every one of the ${n} steps has a y gradient: this is the dense run. ${raceLine(f)}`;
  const dense = f.adagradDense.steps;
  const ratio = f.lrY[last] / f.denseLrY[Math.min(last, f.denseLrY.length - 1)];
  const gSparse = f.adagrad.steps[last].accumulator[1];
  const gDense = dense[Math.min(last, dense.length - 1)].accumulator[1];
  const head = `y got a gradient in only ${kept} of ${n} steps, so G_y summed ${kept} squares instead of ${n}: ${formatValue(gSparse)} against ${formatValue(gDense)} with every gradient kept.`;
  const tail =
    ratio >= 1.2
      ? ` The rare coordinate keeps a larger step: its effective learning rate ends ${formatValue(ratio)} times the dense run's. SGD's one rate cannot tell rare from frequent.`
      : ratio > 1 / 1.2
        ? ` Here its first large gradients dominate G_y either way, so the rate ends about the same (${ratio.toFixed(2)} times the dense run's).`
        : ` Here the fewer y gradients were larger ones (the path went elsewhere), so its rate ends lower (${formatValue(ratio)} times the dense run's).`;
  return `${head}${tail} ${raceLine(f)}`;
}
