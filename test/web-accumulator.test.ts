// Layer 2's model (web/sections/accumulator/model.ts): the step-by-step view of the library's AdaGrad
// run, checked against the optimizer itself and against hand-computed numbers.
import { describe, expect, it } from 'vitest';
import { Adagrad, trace, valley } from '../src/index.js';
import { stepEllipse } from '../web/figures/geometry.js';
import { STAGES, accumulatorView, advance, stageCaption } from '../web/sections/accumulator/model.js';

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
