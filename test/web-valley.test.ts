// Layer 1's model (web/sections/valley/model.ts): the runs, legends and captions it derives from the
// library, checked against the optimizers themselves.
import { describe, expect, it } from 'vitest';
import { Adagrad, trace, valley } from '../src/index.js';
import { formatValue } from '../web/figures/format.js';
import {
  ADAGRAD_EPS,
  VALLEY_STEPS,
  adagradLegend,
  effectiveAdagradLr,
  ADAGRAD_LR_GRID,
  SGD_LR_GRID,
  VALLEY_PARAMS,
  sgdLegend,
  statusText,
  valleyRuns,
  type ValleyState,
} from '../web/sections/valley/model.js';

describe('the valley section', () => {
  const state: ValleyState = { start: [-10, 2], sgdLr: 0.35, adagradLr: 1, share: false };

  it('runs the library optimizers at the chosen rates (shared rate when asked)', () => {
    const runs = valleyRuns(state);
    // One step past the last shown point: its arrows are drawn at the finished state too.
    expect(runs.sgd.steps).toHaveLength(VALLEY_STEPS + 1);
    expect(runs.sgd.steps[0].effectiveLr).toEqual([0.35, 0.35]);
    const direct = trace((p) => new Adagrad(p, { lr: 1 }), valley, [-10, 2], VALLEY_STEPS + 1);
    expect(runs.adagrad.path).toEqual(direct.path);
    const shared = { ...state, share: true };
    expect(effectiveAdagradLr(shared)).toBe(0.35);
    expect(valleyRuns(shared).adagrad.steps[0].effectiveLr[1]).toBeCloseTo(0.35 / (10 + 1e-10), 12);
  });

  it('generates every legend value from the trace step being taken', () => {
    const runs = valleyRuns(state);
    const t = 7;
    const step = runs.adagrad.steps[t];
    const legend = adagradLegend(runs.adagrad, t, 1);
    const byTex = Object.fromEntries(legend.map((e) => [e.symbol.tex, e.value]));
    expect(byTex['\\theta_{t+1}']).toBe(`(${formatValue(step.to[0])}, ${formatValue(step.to[1])})`);
    expect(byTex['\\theta_t']).toBe(`(${formatValue(step.from[0])}, ${formatValue(step.from[1])})`);
    expect(byTex['g_t']).toBe(`(${formatValue(step.grad[0])}, ${formatValue(step.grad[1])})`);
    expect(byTex['G_t']).toBe(`(${formatValue(step.accumulator[0])}, ${formatValue(step.accumulator[1])})`);
    expect(byTex['\\varepsilon']).toBe(formatValue(ADAGRAD_EPS));
    expect(ADAGRAD_EPS).toBe(1e-10);
    expect(legend.map((e) => e.meaning).join(' ')).toMatch(/element-wise product/);
    // At the finished state the legend's current position is the caption's point, and the next
    // position is the step that would come next.
    const end = runs.sgd.path[VALLEY_STEPS];
    const endText = `(${formatValue(end[0])}, ${formatValue(end[1])})`;
    expect(sgdLegend(runs.sgd, VALLEY_STEPS, 0.35)[1].value).toBe(endText);
    expect(statusText(runs.sgd, VALLEY_STEPS)).toContain(
      `Step ${VALLEY_STEPS} of ${VALLEY_STEPS} · at ${endText}`,
    );
    expect(sgdLegend(runs.sgd, VALLEY_STEPS, 0.35)[0].value).toBe(
      `(${formatValue(runs.sgd.path[VALLEY_STEPS + 1][0])}, ${formatValue(runs.sgd.path[VALLEY_STEPS + 1][1])})`,
    );
  });

  it('keeps the learning rates on the round grid of the sliders, so label, URL and figure agree', () => {
    expect(SGD_LR_GRID).toContain(VALLEY_PARAMS.sgdLr.defaultValue);
    expect(ADAGRAD_LR_GRID).toContain(VALLEY_PARAMS.adagradLr.defaultValue);
    // A link written before the grid (η = 0.35) snaps to the nearest round rate.
    expect(VALLEY_PARAMS.sgdLr.parse('0.35')).toBe(0.3);
  });
});
