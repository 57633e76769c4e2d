// The figure kit's pure geometry (web/figures): clipping a path to the view, contour bands, and where
// a path escapes, checked against hand-computed values and the library's landscapes.
import { describe, expect, it } from 'vitest';
import { SGD, rosenbrock, trace, valley, type Vec2 } from '../src/index.js';
import { contourBands, landscapeBands } from '../web/figures/contours.js';
import { sparseLandscape } from '../web/sections/sparse/model.js';
import { formatCount, formatPoint, formatValue } from '../web/figures/format.js';
import { clipPolyline, clipSegment, dotsPath, pathExit, tracePath } from '../web/figures/geometry.js';

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
    const run = trace((p) => new SGD(p, { lr: 1 }), valley, [-10, 2], 100);
    expect(run.diverged).toBe(true);
    const clipped = clipPolyline(run.path, valley.view);
    const all = clipped.runs.flat();
    expect(all.every(([x, y]) => x >= -12 && x <= 4 && y >= -3 && y <= 3)).toBe(true);
    expect(clipped.firstExit).not.toBeNull();
  });
});

describe('dotsPath', () => {
  it('draws a dot of radius r at each point as two arcs of one path, through the scales', () => {
    const double = (v: number): number => 2 * v;
    expect(
      dotsPath(
        [
          [1, 2],
          [3, -1],
        ],
        double,
        (v) => -v,
        1.5,
      ),
    ).toBe('M0.50,-2.00a1.5,1.5 0 1,0 3,0a1.5,1.5 0 1,0 -3,0M4.50,1.00a1.5,1.5 0 1,0 3,0a1.5,1.5 0 1,0 -3,0');
    expect(dotsPath([], double, double, 1)).toBe('');
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

describe('tracePath (a run drawn up to step t)', () => {
  const run = {
    path: [
      [0, 0],
      [1, 1],
      [2, 4],
    ] as Array<[number, number]>,
    steps: [{}, {}] as never[],
    diverged: true,
  };
  const style = { key: 'k', label: 'K', color: 'red' };

  it('keeps the first t + 1 points, and says diverged only once the run has reached its end', () => {
    expect(tracePath(run, 1, style)).toEqual({
      ...style,
      points: [
        [0, 0],
        [1, 1],
      ],
      diverged: false,
    });
    expect(tracePath(run, 2, style).diverged).toBe(true);
    expect(tracePath(run, 99, style).points).toHaveLength(3);
    expect(tracePath({ ...run, diverged: false }, 99, style).diverged).toBe(false);
    expect(tracePath(run, -1, style).points).toEqual([[0, 0]]);
  });
});

describe('number format', () => {
  it('writes counts whole, in groups of three', () => {
    expect([0, 7, 999, 1000, 4510, 16384, 1234567].map(formatCount)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '4,510',
      '16,384',
      '1,234,567',
    ]);
  });

  it('writes three significant digits, and exponents for the very large and very small', () => {
    expect(formatValue(0.35)).toBe('0.35');
    expect(formatValue(1234.5)).toBe('1230');
    expect(formatValue(1e-10)).toBe('1×10⁻¹⁰');
    expect(formatValue(-2.5e6)).toBe('-2.5×10⁶');
    expect(formatPoint([-10, 2])).toBe('(-10, 2)');
  });
});

describe('the bands of a transposed landscape', () => {
  it('are the original’s with x and y swapped, inside the transposed view (the sparse section’s side valley)', () => {
    const side = sparseLandscape('side');
    const bands = landscapeBands(side);
    const original = landscapeBands(valley);
    expect(bands.map((b) => b.level)).toEqual(original.map((b) => b.level));
    expect(bands[3].polygons[0][0][5]).toEqual([
      original[3].polygons[0][0][5][1],
      original[3].polygons[0][0][5][0],
    ]);
    for (const band of bands) {
      for (const [x, y] of band.polygons.flat(2)) {
        expect(x).toBeGreaterThanOrEqual(side.view.x[0] - 1e-9);
        expect(x).toBeLessThanOrEqual(side.view.x[1] + 1e-9);
        expect(y).toBeGreaterThanOrEqual(side.view.y[0] - 1e-9);
        expect(y).toBeLessThanOrEqual(side.view.y[1] + 1e-9);
      }
    }
    // A band's level is log(1 + f): the side valley's own f agrees on a swapped interior point.
    expect(side.f(1, -5)).toBeCloseTo(valley.f(-5, 1), 12);
  });
});
