// The figure data sections 1-3 derive from the library: checked against the optimizers themselves
// and against hand-computed geometry.
import { describe, expect, it } from 'vitest';
import { Adagrad, rosenbrock, trace, valley, type Vec2 } from '../src/index.js';
import { contourBands } from '../web/lib/contours.js';
import { clipPolyline, clipSegment, formatValue, stepEllipse } from '../web/lib/plot.js';
import { STAGES, accumulatorView, advance, stageCaption } from '../web/sections/accumulator.js';
import {
  ADAGRAD_EPS,
  VALLEY_STEPS,
  adagradLegend,
  effectiveAdagradLr,
  roundLr,
  sgdLegend,
  valleyRuns,
  type ValleyState,
} from '../web/sections/valley.js';

const box = { x: [0, 10] as Vec2, y: [0, 10] as Vec2 };

describe('clipping a path to the view', () => {
  it('keeps a path that stays inside untouched', () => {
    const points: Vec2[] = [
      [1, 1],
      [2, 3],
      [5, 5],
    ];
    expect(clipPolyline(points, box)).toEqual({ runs: [points], firstExit: null });
  });

  it('cuts a diverging path where it crosses the edge (by hand: (5,5)→(5,20) leaves at (5,10))', () => {
    const clipped = clipPolyline(
      [
        [5, 5],
        [5, 20],
        [5, 1e6],
      ],
      box,
    );
    expect(clipped.runs).toEqual([
      [
        [5, 5],
        [5, 10],
      ],
    ]);
    expect(clipped.firstExit).toEqual([5, 10]);
  });

  it('splits a path that leaves and comes back into two runs', () => {
    const clipped = clipPolyline(
      [
        [2, 8],
        [2, 12],
        [4, 8],
      ],
      box,
    );
    expect(clipped.runs).toHaveLength(2);
    expect(clipped.runs[0]).toEqual([
      [2, 8],
      [2, 10],
    ]);
    expect(clipped.runs[1][0][1]).toBeCloseTo(10, 12);
    expect(clipped.runs[1][0][0]).toBeCloseTo(3, 12);
    expect(clipped.runs[1][1]).toEqual([4, 8]);
  });

  it('clips a segment crossing the whole box on both sides', () => {
    const range = clipSegment([-10, 5], [20, 5], box);
    expect(range?.[0]).toBeCloseTo(1 / 3, 12);
    expect(range?.[1]).toBeCloseTo(2 / 3, 12);
    expect(clipSegment([-5, -5], [-1, 20], box)).toBeNull();
  });

  it('never hands a huge coordinate to SVG for a diverged SGD run', () => {
    const run = valleyRuns({ start: [-10, 2], sgdLr: 1, adagradLr: 1, share: false }).sgd;
    expect(run.diverged).toBe(true);
    const clipped = clipPolyline(run.path, valley.view);
    const all = clipped.runs.flat();
    expect(all.every(([x, y]) => x >= -12 && x <= 4 && y >= -3 && y <= 3)).toBe(true);
    expect(clipped.firstExit).not.toBeNull();
  });
});

describe('contour bands', () => {
  it('cover the view with nested bands whose levels increase, in data coordinates', () => {
    const bands = contourBands(valley, valley.view, 40, 30, 10);
    expect(bands).toHaveLength(10);
    for (let i = 1; i < bands.length; i++) expect(bands[i].level).toBeGreaterThan(bands[i - 1].level);
    // The lowest band is the whole grid: its outer ring spans the view exactly.
    const ring = bands[0].polygons[0][0];
    expect(Math.min(...ring.map((p) => p[0]))).toBeCloseTo(valley.view.x[0], 12);
    expect(Math.max(...ring.map((p) => p[0]))).toBeCloseTo(valley.view.x[1], 12);
    expect(Math.max(...ring.map((p) => p[1]))).toBeCloseTo(valley.view.y[1], 12);
    // The highest band of the valley lies at its steep walls, far from the minimum (0, 0).
    const top = bands.at(-1)?.polygons.flat(2) ?? [];
    expect(top.length).toBeGreaterThan(0);
    expect(Math.min(...top.map(([x, y]) => valley.f(x, y)))).toBeGreaterThan(5);
  });

  it('spread Rosenbrock’s levels with the log so the flat banana floor gets bands too', () => {
    const bands = contourBands(rosenbrock, rosenbrock.view, 60, 60, 12);
    const lowest = Math.exp(bands[1].level) - 1;
    expect(lowest).toBeLessThan(10);
  });
});

describe('the valley section', () => {
  const state: ValleyState = { start: [-10, 2], sgdLr: 0.35, adagradLr: 1, share: false };

  it('runs the library optimizers at the chosen rates (shared rate when asked)', () => {
    const runs = valleyRuns(state);
    expect(runs.sgd.steps).toHaveLength(VALLEY_STEPS);
    expect(runs.sgd.steps[0].effectiveLr).toEqual([0.35, 0.35]);
    const direct = trace((p) => new Adagrad(p, { lr: 1 }), valley, [-10, 2], VALLEY_STEPS);
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
    expect(byTex['x_{t+1}']).toBe(`(${formatValue(step.to[0])}, ${formatValue(step.to[1])})`);
    expect(byTex['x_t']).toBe(`(${formatValue(step.from[0])}, ${formatValue(step.from[1])})`);
    expect(byTex['g_t']).toBe(`(${formatValue(step.grad[0])}, ${formatValue(step.grad[1])})`);
    expect(byTex['G_t']).toBe(`(${formatValue(step.accumulator[0])}, ${formatValue(step.accumulator[1])})`);
    expect(byTex['\\varepsilon']).toBe(formatValue(ADAGRAD_EPS));
    expect(ADAGRAD_EPS).toBe(1e-10);
    expect(legend.map((e) => e.meaning).join(' ')).toMatch(/element-wise product/);
    // Past the end the legend describes the last step taken.
    expect(sgdLegend(runs.sgd, VALLEY_STEPS, 0.35)[0].value).toBe(
      `(${formatValue(runs.sgd.path[VALLEY_STEPS][0])}, ${formatValue(runs.sgd.path[VALLEY_STEPS][1])})`,
    );
  });

  it('keeps slider labels and URL state in agreement (three significant digits)', () => {
    expect(roundLr(10 ** Math.log10(0.35))).toBe(0.35);
    expect(roundLr(10 ** -0.46)).toBe(0.347);
  });
});

describe('the accumulator section', () => {
  const run = trace((p) => new Adagrad(p, { lr: 1 }), valley, [-10, 2], 30);

  it('draws step ellipses whose radii are the effective rates the library reports', () => {
    const view = accumulatorView(run, 12, 2);
    if (view === null) throw new Error('no view');
    expect(view.ellipses).toHaveLength(13);
    view.ellipses.forEach((ellipse, k) => {
      expect(ellipse.center).toEqual(run.steps[k].from);
      expect([ellipse.rx, ellipse.ry]).toEqual(run.steps[k].effectiveLr);
    });
    // Independently: a fresh optimizer run by hand for 13 steps reports the same rates.
    const params = { xy: new Float64Array([-10, 2]) };
    const opt = new Adagrad(params, { lr: 1 });
    for (let k = 0; k <= 12; k++) opt.step({ xy: new Float64Array(valley.grad(params.xy[0], params.xy[1])) });
    const rates = opt.effectiveLearningRate('xy');
    expect(view.ellipses[12].rx).toBe(rates[0]);
    expect(view.ellipses[12].ry).toBe(rates[1]);
    // Squashed in the steep direction, stretched in the flat one.
    expect(view.ellipses[12].rx).toBeGreaterThan(5 * view.ellipses[12].ry);
    expect(stepEllipse([1, 2], [3, 4])).toEqual({ center: [1, 2], rx: 3, ry: 4 });
  });

  it('shows G_t = G_{t-1} + g², side √G, rate η/(√G+ε), and the step rate ⊙ g', () => {
    const view = accumulatorView(run, 5, 0);
    if (view === null) throw new Error('no view');
    for (let i = 0; i < 2; i++) {
      expect(view.accumulator[i]).toBeCloseTo(view.previous[i] + view.gradSquared[i], 10);
      expect(view.side[i]).toBeCloseTo(Math.sqrt(view.accumulator[i]), 12);
      expect(view.rate[i]).toBeCloseTo(1 / (view.side[i] + 1e-10), 12);
      expect(view.move[i]).toBeCloseTo(-view.rate[i] * view.step.grad[i], 12);
    }
    expect(accumulatorView(run, 0, 0)?.previous).toEqual([0, 0]);
  });

  it('clamps the step to the run and captions each stage with its numbers', () => {
    expect(accumulatorView(run, 500, 9)?.t).toBe(29);
    expect(accumulatorView(run, 500, 9)?.stage).toBe('step');
    const captions = STAGES.map((_, s) => stageCaption(accumulatorView(run, 0, s) ?? (null as never)));
    expect(captions.map((c) => c.title)).toEqual([
      'Step 1, 1 of 4: square the gradient',
      'Step 1, 2 of 4: add it on',
      'Step 1, 3 of 4: divide by the side',
      'Step 1, 4 of 4: take the step',
    ]);
    // Step 1 from (-10, 2): g = (-0.5, 10), g² = (0.25, 100).
    expect(captions[0].text).toContain('(0.25, 100)');
    const empty = trace((p) => new Adagrad(p, { lr: 1 }), valley, [-10, 2], 0);
    expect(accumulatorView(empty, 0, 0)).toBeNull();
  });

  it('advances through stages and into the next step, and stops at the ends', () => {
    expect(advance(0, 0, 1, 29)).toEqual([0, 1]);
    expect(advance(0, 3, 1, 29)).toEqual([1, 0]);
    expect(advance(1, 0, -1, 29)).toEqual([0, 3]);
    expect(advance(0, 0, -1, 29)).toEqual([0, 0]);
    expect(advance(29, 3, 1, 29)).toEqual([29, 3]);
  });
});
