// Layer 1's model, no DOM: the valley's URL state, SGD's and AdaGrad's runs from one start by the
// library's own optimizers, and every number the section's legends and captions print.
import { ADAGRAD_PRESETS, Adagrad, SGD, trace, valley, type Trace, type Vec2 } from '../../../src/index.js';
import { formatPoint, formatValue } from '../../figures/format.js';
import type { LegendEntry } from '../../figures/layout.js';
import { displayTex, tex } from '../../lib/formula.js';
import {
  boolParam,
  gridParam,
  pointParam,
  readParams,
  roundGrid,
  type StateOf,
} from '../../lib/hash-state.js';
import type { SectionHost } from '../../lib/section.js';

/** Steps shown in each run: enough for AdaGrad to reach the floor, short enough to watch. */
export const VALLEY_STEPS = 100;

export const SGD_LR_GRID = roundGrid(0.001, 2);
export const ADAGRAD_LR_GRID = roundGrid(0.001, 10);

/** The valley's URL state; Layer 2 (the accumulator) follows the same run, so it reads these too. */
export const VALLEY_PARAMS = {
  start: pointParam('v.start', valley.defaultStart, { x: valley.view.x, y: valley.view.y, precision: 3 }),
  sgdLr: gridParam('v.lrs', 0.3, SGD_LR_GRID),
  adagradLr: gridParam('v.lra', 1, ADAGRAD_LR_GRID),
  share: boolParam('v.share', false),
} as const;

export type ValleyState = StateOf<typeof VALLEY_PARAMS>;

export function readValleyState(host: Pick<SectionHost, 'get'>): ValleyState {
  return readParams(host, VALLEY_PARAMS);
}

/** With "share" on, AdaGrad runs at SGD's rate: the fair comparison at one η. */
export function effectiveAdagradLr(state: ValleyState): number {
  return state.share ? state.sgdLr : state.adagradLr;
}

/** The valley's formula as the page shows it (a unit test checks it is the landscape's own). */
export const VALLEY_FORMULA = displayTex`f(x, y) = \tfrac12\,(0.05\,x^2 + 5\,y^2)`;

/** The curvature across the valley, b = ∂²f/∂y², read from the landscape's gradient. */
export const STEEP_CURVATURE = valley.grad(0, 1)[1] - valley.grad(0, 0)[1];
export const FLAT_CURVATURE = valley.grad(1, 0)[0] - valley.grad(0, 0)[0];

/**
 * SGD multiplies y by 1 − ηb each step: it shrinks only while |1 − ηb| < 1, i.e. η < 2/b. At η = 2/b
 * it bounces between the walls for ever, and above it the bounces grow.
 */
export const SGD_STABLE_LIMIT = 2 / STEEP_CURVATURE;

export interface ValleyRuns {
  sgd: Trace;
  adagrad: Trace;
}

let lastRuns: { key: string; runs: ValleyRuns } | undefined;

/**
 * Both runs, by the library's own optimizers (PyTorch defaults besides lr). Each has one step more
 * than is shown: at the last shown point the figure still draws the step that would come next, so the
 * arrows, the legend and the caption all describe the same point. The accumulator section follows the
 * same runs: the last pair is kept, so that it does not compute them a second time at load and on
 * every drag step. (Read-only: nobody changes a Trace.)
 */
export function valleyRuns(state: ValleyState, steps = VALLEY_STEPS): ValleyRuns {
  const key = JSON.stringify([state.start, state.sgdLr, effectiveAdagradLr(state), steps]);
  if (lastRuns?.key === key) return lastRuns.runs;
  const start: Vec2 = [state.start[0], state.start[1]];
  const runs = {
    sgd: trace((p) => new SGD(p, { lr: state.sgdLr }), valley, start, steps + 1),
    adagrad: trace((p) => new Adagrad(p, { lr: effectiveAdagradLr(state) }), valley, start, steps + 1),
  };
  lastRuns = { key, runs };
  return runs;
}

/** AdaGrad's ε as the library uses it (PyTorch's default, added outside the root). */
export const ADAGRAD_EPS = ADAGRAD_PRESETS.pytorch.eps;

/** The step leaving the point shown at animation step t (undefined when the run stopped before it). */
export function stepAt(run: Trace, t: number) {
  return run.steps[Math.max(0, t)];
}

/** The point shown at step t: where the run is (its last point, if it stopped early). */
export function pointAt(run: Trace, t: number): Vec2 {
  return run.path[Math.max(0, Math.min(t, run.path.length - 1))];
}

export function sgdLegend(run: Trace, t: number, lr: number): LegendEntry[] {
  const step = stepAt(run, t);
  const none = '—';
  return [
    { symbol: tex`\theta_{t+1}`, meaning: 'next position (x, y)', value: step ? formatPoint(step.to) : none },
    { symbol: tex`\theta_t`, meaning: 'current position (x, y)', value: formatPoint(pointAt(run, t)) },
    { symbol: tex`\eta`, meaning: 'learning rate (the same for x and y)', value: formatValue(lr) },
    {
      symbol: tex`g_t = \nabla f(\theta_t)`,
      meaning: 'gradient at the current position',
      value: step ? formatPoint(step.grad) : none,
    },
  ];
}

export function adagradLegend(run: Trace, t: number, lr: number, eps = ADAGRAD_EPS): LegendEntry[] {
  const step = stepAt(run, t);
  const none = '—';
  return [
    { symbol: tex`\theta_{t+1}`, meaning: 'next position (x, y)', value: step ? formatPoint(step.to) : none },
    { symbol: tex`\theta_t`, meaning: 'current position (x, y)', value: formatPoint(pointAt(run, t)) },
    { symbol: tex`\eta`, meaning: 'base learning rate: the length of a first step', value: formatValue(lr) },
    { symbol: tex`g_t`, meaning: 'gradient', value: step ? formatPoint(step.grad) : none },
    {
      symbol: tex`G_t`,
      meaning: 'sum of squared gradients so far, per coordinate',
      value: step ? formatPoint(step.accumulator) : none,
    },
    {
      symbol: tex`\varepsilon`,
      meaning:
        'keeps the division finite (PyTorch adds it outside the root; Keras and TensorFlow put it inside, η/√(G + ε), a different number for the same purpose)',
      value: formatValue(eps),
    },
    {
      symbol: tex`\odot`,
      meaning: 'element-wise product: each coordinate gets its own rate',
      value: step ? `rates ${formatPoint(step.effectiveLr)}` : none,
    },
  ];
}

export const SGD_RULE = displayTex`\theta_{t+1} = \theta_t - \eta\, g_t`;
export const ADAGRAD_RULE = displayTex`\begin{aligned} G_t &= G_{t-1} + g_t \odot g_t \\ \theta_{t+1} &= \theta_t - \frac{\eta}{\sqrt{G_t} + \varepsilon} \odot g_t \end{aligned}`;

/** The caption under a panel at step t: the same point as the legend's θ_t. */
export function statusText(run: Trace, t: number): string {
  const shown = Math.min(t, run.path.length - 1);
  const point = pointAt(run, t);
  const loss = valley.f(point[0], point[1]);
  const tail = run.diverged && shown >= run.path.length - 1 ? ' · diverged' : '';
  return `Step ${shown} of ${VALLEY_STEPS} · at ${formatPoint(point)} · f = ${formatValue(loss)}${tail}`;
}
