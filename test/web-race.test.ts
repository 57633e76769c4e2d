// The race's model (web/sections/fixing/model.ts): AdaGrad and its successors from one start.
import { describe, expect, it } from 'vitest';
import { rotated, valley } from '../src/index.js';
import { formatValue } from '../web/figures/format.js';
import { RACERS, raceCaption, raceFigure, toValleyCoordinates } from '../web/sections/fixing/model.js';
import { distanceToNearest } from '../web/sections/optimizers.js';

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
