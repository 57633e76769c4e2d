// The sparse-gradients section's model, no DOM: its URL state and figure data. The y gradient is
// dropped with probability p from a seeded stream (trace's sparsity option); SGD runs beside AdaGrad,
// and AdaGrad's effective rates are computed with and without the drops.
import {
  LANDSCAPES,
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
import { sideValley } from './side-valley.js';

export { sideValley } from './side-valley.js';

export const MAX_SEED = 2 ** 31 - 1;
export const SPARSE_STEPS = 200;
export const SPARSE_LR_GRID = roundGrid(0.01, 10);
export const P_PERCENT = { min: 0, max: 95, step: 5 };

export type SparseLandscapeId = 'side' | LandscapeId;

/** The landscapes the section offers: the valley on its side first, then the library's. */
export const SPARSE_LANDSCAPES: ReadonlyArray<{ id: SparseLandscapeId; landscape: Landscape }> = [
  { id: 'side', landscape: sideValley },
  ...LANDSCAPES.map((l) => ({ id: l.id, landscape: l })),
];

export function sparseLandscape(id: SparseLandscapeId): Landscape {
  return (SPARSE_LANDSCAPES.find((l) => l.id === id) ?? SPARSE_LANDSCAPES[0]).landscape;
}

export const SPARSE_PARAMS = {
  /** p in percent, on the slider's 5% grid. */
  pPercent: steppedIntParam('s.p', 80, P_PERCENT),
  seed: intParam('s.seed', 1, { min: 0, max: MAX_SEED }),
  sgdLr: gridParam('s.sgd', 0.3, SPARSE_LR_GRID),
  adagradLr: gridParam('s.ada', 1, SPARSE_LR_GRID),
  landscape: enumParam<SparseLandscapeId>('s.land', 'side', ['side', ...LANDSCAPE_IDS]),
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

/** The last finite value of a series (a rate is NaN until the coordinate's first gradient). */
function lastFinite(values: readonly number[]): number {
  for (let k = values.length - 1; k >= 0; k--) if (Number.isFinite(values[k])) return values[k];
  return Number.NaN;
}

/**
 * The caption, generated from the run: how often y got a gradient, what G_y summed, y's step size
 * against SGD's one rate, and where both ended. Each sentence is true of the figure shown.
 */
export function sparseCaption(f: SparseFigure, sgdLr: number): string {
  const n = f.adagrad.steps.length;
  if (n === 0) return 'No steps taken.';
  const last = n - 1;
  const kept = n - f.dropped;
  const rateY = lastFinite(f.lrY);
  const versusSgd = Number.isFinite(rateY)
    ? ` AdaGrad's step size for y ended at ${formatValue(rateY)}, ${formatValue(rateY / sgdLr)} times SGD's one rate η = ${formatValue(sgdLr)}, which the steep direction caps for both coordinates.`
    : ' y never got a gradient, so AdaGrad never moved it.';
  if (f.dropped === 0)
    return `Every one of the ${n} steps has a y gradient: this is the dense run.${versusSgd} ${raceLine(f)}`;
  const dense = f.adagradDense.steps;
  const gSparse = f.adagrad.steps[last].accumulator[1];
  const gDense = dense[Math.min(last, dense.length - 1)].accumulator[1];
  const share = gDense > 0 ? gSparse / gDense : Number.NaN;
  const head = `y got a gradient in only ${kept} of ${n} steps, so G_y summed ${kept} squares instead of ${n}: ${formatValue(gSparse)}, ${Number.isFinite(share) ? `${formatValue(100 * share, 2)}%` : 'none'} of the ${formatValue(gDense)} it reaches with every gradient kept${share > (1.5 * kept) / n ? ' (its first, largest gradients weigh most in either sum)' : ''}.`;
  return `${head}${versusSgd} ${raceLine(f)}`;
}
