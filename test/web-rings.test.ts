// The contour rings' path data: fewer points, the same shape; computed once per landscape and panel,
// and for the page's first view once, at build time.
import { describe, expect, it } from 'vitest';
import { scaleLinear } from 'd3-scale';
import contoursAtBuild from 'virtual:landscape-contours';
import { longValley, rosenbrock, rotated, valley } from '../src/index.js';
import { LANDSCAPES_AT_LOAD } from '../web/contours-prerender.js';
import {
  bandPathData,
  computeContours,
  contourBands,
  contoursKey,
  landscapeBands,
} from '../web/figures/contours.js';
import { landscapeContours } from '../web/figures/landscape-contours.js';
import { panelScales } from '../web/figures/panel-frame.js';
import { sideValley } from '../web/sections/sparse/side-valley.js';
import { ringPathData } from '../web/figures/rings.js';

/** The points of "M…L…Z" path data. */
function points(d: string): Array<[number, number]> {
  return d
    .replace(/Z$/, '')
    .slice(1)
    .split('L')
    .map((pair) => pair.split(',').map(Number) as [number, number]);
}

/** Twice the signed area of a closed polygon (shoelace). */
function area(ring: ReadonlyArray<readonly [number, number]>): number {
  let sum = 0;
  for (let k = 0; k < ring.length; k++) {
    const [x0, y0] = ring[k];
    const [x1, y1] = ring[(k + 1) % ring.length];
    sum += x0 * y1 - x1 * y0;
  }
  return sum;
}

describe('ringPathData', () => {
  it('keeps the corners of a straight-edged ring and drops the points along its edges', () => {
    const ring: Array<[number, number]> = [];
    for (let x = 0; x <= 10; x++) ring.push([x, 0]);
    for (let y = 1; y <= 5; y++) ring.push([10, y]);
    for (let x = 9; x >= 0; x--) ring.push([x, 5]);
    for (let y = 4; y >= 0; y--) ring.push([0, y]);
    expect(ringPathData(ring, 1)).toBe('M0,0L10,0L10,5L0,5L0,0Z');
  });

  it('rounds to the given decimals and skips points that round to the same place', () => {
    expect(
      ringPathData(
        [
          [0.04, 0],
          [1.234, 0.5],
          [1.2341, 0.5001],
          [0, 2],
        ],
        2,
      ),
    ).toBe('M0.04,0L1.23,0.5L0,2Z');
  });

  it('leaves the area of every contour ring of a real landscape unchanged', () => {
    const bands = contourBands(valley, valley.view, 48, 32, 8);
    let before = 0;
    let kept = 0;
    for (const band of bands) {
      for (const ring of band.polygons.flat()) {
        // Scaled so that two decimals are exact enough for the comparison.
        const scaled = ring.map(([x, y]) => [x * 10, y * 10] as const);
        const d = ringPathData(scaled, 2);
        before += scaled.length;
        kept += points(d).length;
        const rounded = scaled.map(
          ([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100] as const,
        );
        expect(area(points(d))).toBeCloseTo(area(rounded), 6);
      }
    }
    expect(kept).toBeLessThan(0.8 * before);
  });
});

describe("the build's contours (web/contours-prerender.ts)", () => {
  it('are what the page would compute for each landscape of its first view, through the panel scales', () => {
    expect(LANDSCAPES_AT_LOAD.map((l) => l.name)).toEqual([
      valley.name,
      longValley.name,
      rotated.name,
      sideValley.name,
    ]);
    for (const landscape of LANDSCAPES_AT_LOAD) {
      const { x, y } = panelScales(landscape.view);
      const built = contoursAtBuild[contoursKey(landscape, x, y)];
      expect(built).toEqual(computeContours(landscape, x, y));
      expect(built?.levels).toHaveLength(12);
      const drawn = landscapeContours(landscape, x, y);
      expect(drawn.source).toBe('build');
      expect(drawn.paths).toBe(built?.paths);
    }
  });

  it('leave any other landscape, or another panel size, to the page', () => {
    const { x, y } = panelScales(rosenbrock.view);
    expect(contoursAtBuild[contoursKey(rosenbrock, x, y)]).toBeUndefined();
    const drawn = landscapeContours(rosenbrock, x, y);
    expect(drawn.source).toBe('page');
    expect(drawn).toEqual({ ...computeContours(rosenbrock, x, y), source: 'page' });
    const half = landscapeContours(
      valley,
      x.copy().domain(valley.view.x).range([0, 240]),
      y.copy().domain(valley.view.y),
    );
    expect(half.source).toBe('page');
  });

  it('key a landscape by its name and both scales', () => {
    const { x, y } = panelScales(valley.view);
    expect(contoursKey(valley, x, y)).toBe('Stretched valley|-12 4 36 470 -3 3 274 10');
  });
});

describe('the page-wide contour cache', () => {
  it("computes a landscape's bands once, over its own view", () => {
    const bands = landscapeBands(valley);
    expect(landscapeBands(valley)).toBe(bands);
    expect(bands).toEqual(contourBands(valley, valley.view));
    expect(landscapeBands(longValley)).not.toBe(bands);
  });

  it('draws every band through the panel scales, once per pair of scales', () => {
    const x = scaleLinear().domain(valley.view.x).range([40, 440]);
    const y = scaleLinear().domain(valley.view.y).range([300, 20]);
    const paths = bandPathData(valley, x, y);
    expect(paths).toHaveLength(landscapeBands(valley).length);
    expect(bandPathData(valley, x.copy(), y.copy())).toBe(paths);
    // The lowest band covers the whole view, so its outline is the plot rectangle in pixels.
    const corners = points(paths[0]);
    expect(Math.min(...corners.map((p) => p[0]))).toBe(40);
    expect(Math.max(...corners.map((p) => p[0]))).toBe(440);
    expect(Math.min(...corners.map((p) => p[1]))).toBe(20);
    expect(Math.max(...corners.map((p) => p[1]))).toBe(300);
    // Another panel size gets its own path data, scaled by the same factor.
    const half = bandPathData(valley, x.copy().range([20, 220]), y.copy().range([150, 10]));
    expect(half).not.toBe(paths);
    expect(Math.max(...points(half[0]).map((p) => p[0]))).toBe(220);
  });
});
