import { describe, expect, it } from 'vitest';
import { Adagrad, longValley, rotated, trace, valley } from '../src/index.js';
import { flawCaption, flawFigure } from '../web/sections/b-flaw-model.js';
import { raceCaption, raceFigure, RACERS, toValleyCoordinates } from '../web/sections/b-fixing-model.js';
import { distanceToNearest, formatValue } from '../web/sections/b-optimizers.js';
import { pathExit } from '../web/sections/b-panel-model.js';
import type { SectionHost } from '../web/lib/section.js';
import { gridParam, onParamsChange, roundGrid, steppedIntParam } from '../web/sections/b-params.js';
import { sparseCaption, sparseFigure } from '../web/sections/b-sparse-model.js';

describe('flawFigure (the fatal flaw)', () => {
  const lr = 0.5;
  const fig = flawFigure(lr, 400);

  it("plots AdaGrad's effective rate as lr / (√G + ε) of the trace's accumulator, step by step", () => {
    expect(fig.lrX).toHaveLength(400);
    fig.adagrad.steps.forEach((s, t) => {
      expect(fig.lrX[t]).toBeCloseTo(lr / (Math.sqrt(s.accumulator[0]) + 1e-10), 12);
      expect(fig.lrY[t]).toBeCloseTo(lr / (Math.sqrt(s.accumulator[1]) + 1e-10), 12);
    });
  });

  it('shows the rate only ever shrinking and the iterate stalling far from the minimum of the long valley', () => {
    for (let t = 1; t < fig.lrX.length; t++) expect(fig.lrX[t]).toBeLessThanOrEqual(fig.lrX[t - 1]);
    expect(fig.facts.shrink).toBeGreaterThan(1.5);
    // Starting ~50 from the minimum, after 400 steps AdaGrad is still more than half way out...
    expect(fig.facts.finalDistance).toBeGreaterThan(0.5 * fig.facts.startDistance);
    // ...while RMSprop at the same lr, whose average forgets, gets there.
    expect(fig.rmspropDistance[fig.rmspropDistance.length - 1]).toBeLessThan(0.05 * fig.facts.startDistance);
    expect(fig.distance[0]).toBeCloseTo(Math.hypot(...longValley.defaultStart), 12);
  });

  it('says so honestly when a large base rate does reach the minimum', () => {
    const big = flawFigure(5, 3000);
    expect(big.facts.finalDistance).toBeLessThan(0.01 * big.facts.startDistance);
    expect(flawCaption(big.facts)).toMatch(/AdaGrad reached the minimum/);
    expect(flawCaption(fig.facts)).not.toMatch(/reached the minimum/);
  });

  it('captions from the numbers of the run', () => {
    const text = flawCaption(fig.facts);
    expect(text).toContain('After 400 steps');
    expect(text).toContain(formatValue(fig.facts.lastLrX));
    expect(text).toContain(formatValue(fig.facts.finalDistance));
    expect(text).toContain(`ended ${formatValue(fig.rmspropDistance[400])} away`);
  });
});

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
    expect(sparseCaption(fig)).toContain('The rare coordinate keeps a larger step');
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
    expect(sparseCaption(fig)).toContain(`only ${200 - fig.dropped} of 200 steps`);
    expect(sparseCaption(sparseFigure({ ...base, p: 0 }))).toContain('dense run');
    const end = fig.sgd.path[fig.sgd.path.length - 1];
    expect(sparseCaption(fig)).toContain(
      `SGD ended ${formatValue(Math.hypot(end[0], end[1]))} from the minimum`,
    );
    expect(sparseCaption(sparseFigure({ ...base, p: 0.5, sgdLr: 5 }))).toContain('SGD diverged');
  });
});

describe('raceFigure (fixing the accumulator)', () => {
  it('races only the ticked optimizers, in a fixed order, from the landscape start', () => {
    const fig = raceFigure('valley', ['adam', 'adagrad'], 1, 100);
    expect(fig.runs.map((r) => r.id)).toEqual(['adagrad', 'adam']);
    for (const r of fig.runs) expect(r.trace.path[0]).toEqual(valley.defaultStart);
    expect(raceFigure('valley', [], 1, 100).runs).toEqual([]);
    expect(raceCaption(raceFigure('valley', [], 1, 100))).toMatch(/Tick at least one/);
  });

  it('scales every learning rate by the multiplier', () => {
    const fig = raceFigure('beale', RACERS, 0.5, 10);
    expect(fig.runs.map((r) => r.lr)).toEqual([0.5, 0.05, 0.5, 0.15]);
  });

  it('the rotated valley is the valley in coordinates turned 45°', () => {
    for (const [x, y] of [
      [1, 2],
      [-3.5, 0.25],
      [7, -7],
    ] as const) {
      const [u, v] = toValleyCoordinates([x, y]);
      expect(rotated.f(x, y)).toBeCloseTo(valley.f(u, v), 10);
    }
  });

  it('shows honestly that the rotation costs diagonal AdaGrad, and says so in the caption', () => {
    const fig = raceFigure('rotated', RACERS, 1, 300);
    const rot = fig.rotation;
    expect(rot).toBeDefined();
    if (rot === undefined) return;
    // Same valley, same distance from its minimum, same lr and steps: only the axes differ.
    expect(distanceToNearest(rot.aligned.path[0], valley.minima)).toBeCloseTo(
      distanceToNearest(rotated.defaultStart, rotated.minima),
      10,
    );
    expect(rot.rotatedGap).toBeGreaterThan(10 * rot.alignedGap);
    const adam = fig.runs.find((r) => r.id === 'adam');
    const adagrad = fig.runs.find((r) => r.id === 'adagrad');
    expect(adam!.finalDistance).toBeLessThan(adagrad!.finalDistance);
    const caption = raceCaption(fig);
    expect(caption).toContain('Where diagonal AdaGrad struggles');
    expect(caption).toContain(formatValue(rot.rotatedGap));
    expect(raceFigure('valley', RACERS, 1, 50).rotation).toBeUndefined();
    // A perfect aligned run (f − f* = 0) must not print "Infinity times".
    expect(raceCaption(raceFigure('rotated', RACERS, 10, 300))).not.toMatch(/Infinity|NaN/);
  });
});

describe('pathExit (panel helper)', () => {
  const view = { x: [-1, 1] as const, y: [-1, 1] as const };
  const path = (points: Array<[number, number]>, diverged = false) => ({
    key: 'k',
    label: 'SGD',
    color: 'red',
    points,
    diverged,
  });

  it('labels nothing for a path that stays in view', () => {
    expect(
      pathExit(
        path([
          [0, 0],
          [0.5, 0.5],
        ]),
        view,
      ),
    ).toBeUndefined();
  });

  it('labels a path that leaves the view at the edge it crossed', () => {
    expect(
      pathExit(
        path([
          [0, 0],
          [0.5, 3],
          [0.4, 0],
        ]),
        view,
      ),
    ).toEqual({ at: [0.5, 1], reason: 'left the view' });
  });

  it('labels a blown-up or diverged path as diverged', () => {
    expect(
      pathExit(
        path([
          [0, 0],
          [1e9, -1e9],
        ]),
        view,
      )?.reason,
    ).toBe('diverged');
    expect(
      pathExit(
        path(
          [
            [0, 0],
            [2, 0],
          ],
          true,
        ),
        view,
      ),
    ).toEqual({ at: [1, 0], reason: 'diverged' });
  });
});

describe('grid parameters (slider, label and URL agree)', () => {
  it('lists round numbers six per decade', () => {
    expect(roundGrid(0.1, 1)).toEqual([0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1]);
    expect(roundGrid(0.01, 30)[0]).toBe(0.01);
    expect(roundGrid(0.01, 30).at(-1)).toBe(30);
  });

  it('snaps a URL value to the nearest grid point and rejects junk', () => {
    const p = gridParam('f.lr', 0.5, roundGrid(0.01, 10));
    expect(p.parse('0.5')).toBe(0.5);
    expect(p.parse('0.45')).toBe(0.5);
    expect(p.parse('0.26')).toBe(0.3);
    expect(p.parse('1e-1')).toBe(0.1);
    for (const bad of ['', 'abc', '0x10', '-1', '0', '1e9', 'Infinity', 'NaN', '<script>']) {
      expect(p.parse(bad)).toBeUndefined();
    }
    expect(() => gridParam('f.lr', 0.45, roundGrid(0.01, 10))).toThrow(/not on its grid/);
  });
});

describe('steppedIntParam', () => {
  it('snaps to the slider step and rejects out-of-range or non-integer text', () => {
    const p = steppedIntParam('x.steps', 300, { min: 50, max: 3000, step: 50 });
    expect(p.parse('300')).toBe(300);
    expect(p.parse('437')).toBe(450);
    for (const bad of ['10', '3001', '1.5', '-50', 'abc', '']) expect(p.parse(bad)).toBeUndefined();
  });
});

describe('onParamsChange', () => {
  it("re-renders a section only when one of its own parameters changed, not on other sections' changes", () => {
    const values = new Map<string, string>();
    const listeners: Array<() => void> = [];
    const host: SectionHost = {
      get: (p) =>
        values.has(p.key) ? (p.parse(values.get(p.key) as string) ?? p.defaultValue) : p.defaultValue,
      set: (p, v) => {
        values.set(p.key, p.format(v));
        for (const l of listeners) l();
      },
      onChange: (l) => void listeners.push(l),
      reducedMotion: true,
    };
    const mine = steppedIntParam('x.steps', 300, { min: 50, max: 3000, step: 50 });
    const theirs = steppedIntParam('v.steps', 100, { min: 50, max: 3000, step: 50 });
    let renders = 0;
    onParamsChange(host, [mine], () => renders++);
    host.set(theirs, 200);
    expect(renders).toBe(0);
    host.set(mine, 500);
    expect(renders).toBe(1);
    host.set(theirs, 250);
    expect(renders).toBe(1);
  });
});
