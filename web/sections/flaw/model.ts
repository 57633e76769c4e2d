// Layer 3's model (the fatal flaw), no DOM: its URL state and figure data, from the library's trace(): AdaGrad's effective learning rate shrinking
// step after step on the long valley, and the distance to the minimum it never closes.
import { longValley, trace, type Landscape, type Trace } from '../../../src/index.js';
import { formatValue } from '../../figures/format.js';
import { gridParam, roundGrid, steppedIntParam } from '../../lib/hash-state.js';
import { distanceToNearest, OPTIMIZERS } from '../optimizers.js';

export const FLAW_LR_GRID = roundGrid(0.01, 10);
export const FLAW_STEPS = { min: 50, max: 3000, step: 50 };

export const FLAW_PARAMS = {
  lr: gridParam('f.lr', 0.5, FLAW_LR_GRID),
  steps: steppedIntParam('f.steps', 400, FLAW_STEPS),
} as const;

export interface FlawFigure {
  landscape: Landscape;
  adagrad: Trace;
  /** The same start and learning rate with RMSprop (leaky accumulator), for contrast. */
  rmsprop: Trace;
  /** AdaGrad's effective rate per step: lr / (√G + ε), for x and for y. */
  lrX: number[];
  lrY: number[];
  /** Distance to the minimum at the start and after every step (length steps + 1). */
  distance: number[];
  rmspropDistance: number[];
  facts: FlawFacts;
}

export interface FlawFacts {
  steps: number;
  firstLrX: number;
  lastLrX: number;
  /** firstLrX / lastLrX: how many times smaller the x step size has become. */
  shrink: number;
  startDistance: number;
  finalDistance: number;
  /** How far the iterate moved over the last tenth of the steps. */
  lastTenthMove: number;
  lastTenthSteps: number;
  /** RMSprop's distance at the end, from the same start with the same η. */
  rmspropFinalDistance: number;
  rmspropDiverged: boolean;
  /** The first step at which RMSprop was within 1% of the starting distance (undefined: never). */
  rmspropCloseStep: number | undefined;
  /** After that step, the farthest RMSprop was knocked back out again. */
  rmspropWorstAfterClose: number;
}

export function flawFigure(lr: number, steps: number, landscape: Landscape = longValley): FlawFigure {
  const start = landscape.defaultStart;
  const adagrad = trace(OPTIMIZERS.adagrad.factory(lr), landscape, start, steps);
  const rmsprop = trace(OPTIMIZERS.rmsprop.factory(lr), landscape, start, steps);
  const lrX = adagrad.steps.map((s) => s.effectiveLr[0]);
  const lrY = adagrad.steps.map((s) => s.effectiveLr[1]);
  const distance = adagrad.path.map((p) => distanceToNearest(p, landscape.minima));
  const rmspropDistance = rmsprop.path.map((p) => distanceToNearest(p, landscape.minima));
  const n = adagrad.path.length - 1;
  const lastTenthSteps = Math.max(1, Math.round(n / 10));
  const from = adagrad.path[Math.max(0, n - lastTenthSteps)];
  const to = adagrad.path[n];
  return {
    landscape,
    adagrad,
    rmsprop,
    lrX,
    lrY,
    distance,
    rmspropDistance,
    facts: {
      steps: n,
      firstLrX: lrX[0] ?? lr,
      lastLrX: lrX[lrX.length - 1] ?? lr,
      shrink: (lrX[0] ?? lr) / (lrX[lrX.length - 1] ?? lr),
      startDistance: distance[0],
      finalDistance: distance[n],
      lastTenthMove: Math.hypot(to[0] - from[0], to[1] - from[1]),
      lastTenthSteps,
      rmspropFinalDistance: rmspropDistance[rmspropDistance.length - 1],
      rmspropDiverged: rmsprop.diverged,
      ...closeness(rmspropDistance, distance[0]),
    },
  };
}

/** When a distance curve first came within 1% of its start, and how far it strayed after that. */
function closeness(
  distance: readonly number[],
  start: number,
): { rmspropCloseStep: number | undefined; rmspropWorstAfterClose: number } {
  const k = distance.findIndex((d) => d < 0.01 * start);
  if (k < 0) return { rmspropCloseStep: undefined, rmspropWorstAfterClose: Number.NaN };
  return { rmspropCloseStep: k, rmspropWorstAfterClose: Math.max(...distance.slice(k)) };
}

/** What RMSprop's distance curve shows, in words and numbers from the run. */
function rmspropSentence(f: FlawFacts): string {
  if (f.rmspropDiverged) return 'RMSprop diverged at this η.';
  if (f.rmspropCloseStep === undefined) {
    return `RMSprop with the same η, whose average forgets, ended ${formatValue(f.rmspropFinalDistance)} away.`;
  }
  const strays =
    f.rmspropWorstAfterClose > 0.01 * f.startDistance
      ? ` It does not settle there: near the minimum its average of squared gradients shrinks, its steps grow again, and it is knocked back out, as far as ${formatValue(f.rmspropWorstAfterClose)}, before it returns; it ended ${formatValue(f.rmspropFinalDistance)} away.`
      : ` It stays there, and ended ${formatValue(f.rmspropFinalDistance)} away.`;
  return `RMSprop with the same η, whose average forgets, was within 1% of the starting distance by step ${f.rmspropCloseStep}.${strays}`;
}

/** The caption under the figure, generated from the run so it can never disagree with it. */
export function flawCaption(f: FlawFacts): string {
  const left = (100 * f.finalDistance) / f.startDistance;
  const fell =
    `After ${f.steps} steps AdaGrad's effective learning rate along the valley floor has fallen from ` +
    `${formatValue(f.firstLrX)} to ${formatValue(f.lastLrX)} (${formatValue(f.shrink)} times smaller).`;
  if (left < 1) {
    // Honest about the other case: with a base rate large enough for the distance, AdaGrad arrives.
    return (
      `${fell} At this base rate the steps stayed long enough: AdaGrad reached the minimum ` +
      `(${formatValue(f.finalDistance)} away). The flaw bites when η is small for the distance to travel: lower η to see it stall.`
    );
  }
  return (
    `${fell.slice(0, -1)}, and it only falls further: G never forgets. AdaGrad crawls: in the last ` +
    `${f.lastTenthSteps} steps it moved ${formatValue(f.lastTenthMove)}, while ${formatValue(f.finalDistance)} ` +
    `remain (${left.toFixed(0)}% of the starting distance). ` +
    rmspropSentence(f)
  );
}
