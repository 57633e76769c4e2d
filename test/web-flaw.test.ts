// Layer 3's model (web/sections/flaw/model.ts): AdaGrad's shrinking rate and stalled iterate.
import { describe, expect, it } from 'vitest';
import { longValley } from '../src/index.js';
import { formatValue } from '../web/figures/format.js';
import { flawCaption, flawFigure } from '../web/sections/flaw/model.js';

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
    // What RMSprop's distance curve shows: it comes close, then is knocked back out and returns.
    const close = fig.rmspropDistance.findIndex((d) => d < 0.01 * fig.rmspropDistance[0]);
    const worst = Math.max(...fig.rmspropDistance.slice(close));
    expect(worst).toBeGreaterThan(0.5);
    expect(text).toContain(`within 1% of the starting distance by step ${close}`);
    expect(text).toContain(`as far as ${formatValue(worst)}`);
    expect(text).not.toMatch(/freez|does not stall/);
  });
});
