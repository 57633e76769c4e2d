// The race's model (fixing the accumulator), no DOM: its URL state and figure data: AdaGrad and its successors racing from one start on a chosen landscape,
// and, on the rotated valley, the same valley run axis-aligned, to show what the rotation costs
// AdaGrad's diagonal scaling.
import {
  getLandscape,
  trace,
  valley,
  type Landscape,
  type LandscapeId,
  type Trace,
  type Vec2,
  LANDSCAPE_IDS,
} from '../../../src/index.js';
import { formatValue } from '../../figures/format.js';
import { enumParam, gridParam, listParam, roundGrid, steppedIntParam } from '../../lib/hash-state.js';
import { distanceToNearest, OPTIMIZERS, type RaceOptimizer } from '../optimizers.js';

/** The race at load: AdaGrad and its successors. */
export const RACERS = ['adagrad', 'rmsprop', 'adadelta', 'adam'] as const satisfies readonly RaceOptimizer[];
/** Everything the reader can tick: the race, and full-matrix AdaGrad (section "Beyond the diagonal"). */
export const RACE_CHOICES = [
  'adagrad',
  'fullMatrix',
  'rmsprop',
  'adadelta',
  'adam',
] as const satisfies readonly RaceOptimizer[];
export type Racer = (typeof RACE_CHOICES)[number];

// 1500 steps of four optimizers recompute in about 20 ms on this machine: still smooth while dragging.
export const RACE_STEPS = { min: 50, max: 1500, step: 50 };
export const SCALE_GRID = roundGrid(0.1, 10);

export const FIXING_PARAMS = {
  landscape: enumParam<LandscapeId>('x.land', 'valley', LANDSCAPE_IDS),
  shown: listParam<Racer>('x.show', RACERS, RACE_CHOICES),
  steps: steppedIntParam('x.steps', 300, RACE_STEPS),
  /** Multiplies every optimizer's default learning rate. */
  lrScale: gridParam('x.scale', 1, SCALE_GRID),
} as const;

/**
 * One learning rate per optimizer for every landscape (no per-landscape tuning to flatter anyone):
 * AdaGrad 1, RMSprop 0.1, Adam 0.3 reach the valley's minimum in 300 steps; Adadelta runs with
 * lr = 1, its paper's form, which has no learning rate at all. Full-matrix AdaGrad runs at AdaGrad's 1.
 */
export const DEFAULT_RACE_LR: Readonly<Record<Racer, number>> = {
  adagrad: 1,
  fullMatrix: 1,
  rmsprop: 0.1,
  adadelta: 1,
  adam: 0.3,
};

export interface RaceRun {
  id: Racer;
  lr: number;
  trace: Trace;
  finalDistance: number;
  /** f at the end minus the landscape's lowest value: 0 at a global minimum. */
  finalGap: number;
}

export interface RotationCheck {
  /** AdaGrad on the rotated valley. */
  rotatedGap: number;
  /** AdaGrad on the same valley with its axes on x and y, from the same point in valley coordinates. */
  alignedGap: number;
  aligned: Trace;
}

export interface RaceFigure {
  landscape: Landscape;
  steps: number;
  runs: RaceRun[];
  rotation?: RotationCheck;
}

/**
 * The rotated valley's coordinates (u, v) = ((x + y)/√2, (y − x)/√2): in them it is exactly the
 * axis-aligned valley (a unit test checks f agrees), so a start maps to the aligned twin's start.
 */
export function toValleyCoordinates([x, y]: readonly [number, number]): Vec2 {
  return [(x + y) / Math.SQRT2, (y - x) / Math.SQRT2];
}

export function raceFigure(
  id: LandscapeId,
  shown: readonly Racer[],
  lrScale: number,
  steps: number,
): RaceFigure {
  const landscape = getLandscape(id);
  const start = landscape.defaultStart;
  const runs = RACE_CHOICES.filter((r) => shown.includes(r)).map((r): RaceRun => {
    const lr = DEFAULT_RACE_LR[r] * lrScale;
    const t = trace(OPTIMIZERS[r].factory(lr), landscape, start, steps);
    const end = t.path[t.path.length - 1];
    return {
      id: r,
      lr,
      trace: t,
      finalDistance: distanceToNearest(end, landscape.minima),
      finalGap: landscape.f(end[0], end[1]) - landscape.minValue,
    };
  });
  const figure: RaceFigure = { landscape, steps, runs };
  const adagrad = runs.find((r) => r.id === 'adagrad');
  if (id === 'rotated' && adagrad !== undefined) {
    const aligned = trace(OPTIMIZERS.adagrad.factory(adagrad.lr), valley, toValleyCoordinates(start), steps);
    const end = aligned.path[aligned.path.length - 1];
    figure.rotation = {
      rotatedGap: adagrad.finalGap,
      alignedGap: valley.f(end[0], end[1]) - valley.minValue,
      aligned,
    };
  }
  return figure;
}

/** The caption, generated from the race: who got closest, who diverged, and the rotation's cost. */
export function raceCaption(fig: RaceFigure): string {
  if (fig.runs.length === 0) return 'Tick at least one optimizer to race it.';
  const ranked = [...fig.runs].sort((a, b) => a.finalDistance - b.finalDistance);
  const parts = ranked.map((r) =>
    r.trace.diverged
      ? `${OPTIMIZERS[r.id].label} diverged`
      : `${OPTIMIZERS[r.id].label} ${formatValue(r.finalDistance)}`,
  );
  let text = `Distance to the nearest minimum after ${fig.steps} steps: ${parts.join(', ')}.`;
  const rot = fig.rotation;
  if (rot !== undefined) {
    const factor = rot.alignedGap > 0 ? rot.rotatedGap / rot.alignedGap : Infinity;
    const worse = factor >= 1000 ? 'over a thousand times' : `${formatValue(factor)} times`;
    text +=
      factor > 2
        ? ` Where diagonal AdaGrad struggles: turned 45°, the same valley leaves AdaGrad at f − f* = ${formatValue(rot.rotatedGap)}, ${worse} worse than the ${formatValue(rot.alignedGap)} it reaches when the valley's axes are x and y. Its step sizes are per coordinate, and here the steep and flat directions are not coordinates.`
        : ` Turned 45°, the valley leaves AdaGrad at f − f* = ${formatValue(rot.rotatedGap)}, against ${formatValue(rot.alignedGap)} with the valley's axes on x and y: at these settings the rotation costs it little.`;
  }
  const full = fig.runs.find((r) => r.id === 'fullMatrix');
  if (full !== undefined && !full.trace.diverged && fig.landscape.id === 'rotated') {
    text += ` Full-matrix AdaGrad, whose steps turn with the valley, ends at f − f* = ${formatValue(full.finalGap)}.`;
  }
  return text;
}
