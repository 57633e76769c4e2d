// The race's model (web/sections/fixing/model.ts): AdaGrad and its successors from one start.
import { describe, expect, it } from 'vitest';
import { FullMatrixAdagrad, rotated, trace, valley } from '../src/index.js';
import { formatValue } from '../web/figures/format.js';
import {
  FIXING_PARAMS,
  RACERS,
  raceCaption,
  raceFigure,
  toValleyCoordinates,
} from '../web/sections/fixing/model.js';
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

describe('full-matrix AdaGrad in the race (the toggle from "Beyond the diagonal")', () => {
  it("is off at load and, ticked, runs the library optimizer at AdaGrad's rate", () => {
    expect(FIXING_PARAMS.shown.defaultValue).toEqual(RACERS);
    expect(FIXING_PARAMS.shown.parse('adagrad,fullMatrix')).toEqual(['adagrad', 'fullMatrix']);
    const fig = raceFigure('rotated', ['adagrad', 'fullMatrix'], 1, 300);
    expect(fig.runs.map((r) => [r.id, r.lr])).toEqual([
      ['adagrad', 1],
      ['fullMatrix', 1],
    ]);
    const direct = trace(
      ({ xy }) => new FullMatrixAdagrad({ xy }, { lr: 1 }),
      rotated,
      rotated.defaultStart,
      300,
    );
    expect(fig.runs[1].trace.path).toEqual(direct.path);
  });

  it('on the rotated valley, ends far closer than diagonal AdaGrad, and the caption says so', () => {
    const fig = raceFigure('rotated', ['adagrad', 'fullMatrix'], 1, 300);
    const [diagonal, full] = fig.runs;
    expect(full.finalGap).toBeLessThan(diagonal.finalGap / 1000);
    expect(raceCaption(fig)).toContain(
      `Full-matrix AdaGrad, whose steps turn with the valley, ends at f − f* = ${formatValue(full.finalGap)}.`,
    );
    expect(raceCaption(raceFigure('valley', ['fullMatrix'], 1, 50))).not.toMatch(/turn with the valley/);
  });
});
