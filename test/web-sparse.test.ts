// The sparse-gradients section's model (web/sections/sparse/model.ts): seeded drops of the y gradient.
import { describe, expect, it } from 'vitest';
import { Adagrad, rotated, trace, valley } from '../src/index.js';
import { formatValue } from '../web/figures/format.js';
import {
  SPARSE_PARAMS,
  SPARSE_STEPS,
  sideValley,
  sparseCaption,
  sparseFigure,
  sparseLandscape,
} from '../web/sections/sparse/model.js';

describe('sparseFigure (simulated sparse gradients)', () => {
  const base = { seed: 7, sgdLr: 0.3, adagradLr: 1, steps: 200 };

  it('p = 0 gives exactly the dense run: same gradients, same path', () => {
    const fig = sparseFigure({ ...base, p: 0 });
    expect(fig.dropped).toBe(0);
    expect(fig.adagrad.path).toEqual(fig.adagradDense.path);
    expect(fig.adagrad.steps.map((s) => s.grad)).toEqual(fig.adagradDense.steps.map((s) => s.grad));
    const direct = trace((p) => new Adagrad({ xy: p.xy }, { lr: 1 }), valley, valley.defaultStart, 200);
    expect(fig.adagrad.path).toEqual(direct.path);
  });

  it('the same seed gives the same data; another seed drops other steps', () => {
    const a = sparseFigure({ ...base, p: 0.6 });
    const b = sparseFigure({ ...base, p: 0.6 });
    const c = sparseFigure({ ...base, p: 0.6, seed: 8 });
    expect(a.adagrad.steps.map((s) => s.droppedY)).toEqual(b.adagrad.steps.map((s) => s.droppedY));
    expect(a.sgd.path).toEqual(b.sgd.path);
    expect(a.adagrad.steps.map((s) => s.droppedY)).not.toEqual(c.adagrad.steps.map((s) => s.droppedY));
  });

  it('zeroes the y gradient in about a fraction p of the steps, and only y', () => {
    const fig = sparseFigure({ ...base, p: 0.75, steps: 400 });
    expect(fig.dropped / 400).toBeGreaterThan(0.65);
    expect(fig.dropped / 400).toBeLessThan(0.85);
    for (const s of fig.adagrad.steps) if (s.droppedY) expect(s.grad[1]).toBe(0);
  });

  it('a higher p leaves the rare y coordinate a higher effective learning rate', () => {
    const rates = [0, 0.5, 0.9].map((p) => {
      const fig = sparseFigure({ ...base, p });
      // Compare at a step where all runs are still moving in y (early, before y has converged).
      return fig.lrY[29];
    });
    expect(rates[1]).toBeGreaterThan(rates[0]);
    expect(rates[2]).toBeGreaterThan(rates[1]);
    // and the rate is lr / (√G + ε) of the accumulator the trace reports
    const fig = sparseFigure({ ...base, p: 0.9 });
    expect(fig.lrY[29]).toBeCloseTo(1 / (Math.sqrt(fig.adagrad.steps[29].accumulator[1]) + 1e-10), 12);
  });

  it('on the rotated valley, where y keeps getting gradient, the rare y keeps a clearly larger rate', () => {
    const fig = sparseFigure({ ...base, seed: 1, p: 0.8 }, rotated);
    expect(fig.lrY[199] / fig.denseLrY[199]).toBeGreaterThan(1.5);
    expect(fig.adagrad.steps[199].accumulator[1]).toBeLessThan(
      0.5 * fig.adagradDense.steps[199].accumulator[1],
    );
    // The caption says what G_y summed, as a share of the dense run's.
    const share = fig.adagrad.steps[199].accumulator[1] / fig.adagradDense.steps[199].accumulator[1];
    expect(sparseCaption(fig, 0.3)).toContain(`${formatValue(100 * share, 2)}% of the`);
  });

  it('draws no rate while a coordinate has had no gradient (G = 0 would read lr / ε = 1e10)', () => {
    const fig = sparseFigure({ ...base, p: 0.95 });
    const first = fig.adagrad.steps.findIndex((s) => !s.droppedY);
    expect(first).toBeGreaterThan(0);
    expect(fig.lrY.slice(0, first).every(Number.isNaN)).toBe(true);
    expect(Number.isFinite(fig.lrY[first])).toBe(true);
  });

  it('captions how many steps kept their y gradient', () => {
    const fig = sparseFigure({ ...base, p: 0.5 });
    expect(sparseCaption(fig, 0.3)).toContain(`only ${200 - fig.dropped} of 200 steps`);
    expect(sparseCaption(sparseFigure({ ...base, p: 0 }), 0.3)).toContain('dense run');
    const end = fig.sgd.path[fig.sgd.path.length - 1];
    expect(sparseCaption(fig, 0.3)).toContain(
      `SGD ended ${formatValue(Math.hypot(end[0], end[1]))} from the minimum`,
    );
    expect(sparseCaption(sparseFigure({ ...base, p: 0.5, sgdLr: 5 }), 5)).toContain('SGD diverged');
  });

  it("at the section's defaults (the valley on its side, p = 0.8) shows the claim: AdaGrad's rare y keeps a step over twice SGD's and ends far closer", () => {
    const defaults = SPARSE_PARAMS;
    expect(defaults.landscape.defaultValue).toBe('side');
    // The side valley is the library's stretched valley with its axes swapped.
    for (const [x, y] of [
      [1, 2],
      [-3, 0.5],
    ] as const) {
      expect(sideValley.f(x, y)).toBeCloseTo(valley.f(y, x), 12);
    }
    const fig = sparseFigure(
      {
        p: defaults.pPercent.defaultValue / 100,
        seed: defaults.seed.defaultValue,
        sgdLr: defaults.sgdLr.defaultValue,
        adagradLr: defaults.adagradLr.defaultValue,
        steps: SPARSE_STEPS,
      },
      sparseLandscape(defaults.landscape.defaultValue),
    );
    const distance = (t: typeof fig.sgd) => Math.hypot(...t.path[t.path.length - 1]);
    expect(distance(fig.adagrad)).toBeLessThan(0.5 * distance(fig.sgd));
    const rateY = fig.lrY[fig.lrY.length - 1];
    expect(rateY).toBeGreaterThan(2 * defaults.sgdLr.defaultValue);
    const caption = sparseCaption(fig, defaults.sgdLr.defaultValue);
    expect(caption).toContain(
      `ended at ${formatValue(rateY)}, ${formatValue(rateY / 0.3)} times SGD's one rate`,
    );
    expect(caption).not.toMatch(/NaN|Infinity/);
  });
});
