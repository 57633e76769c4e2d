// The contour rings' path data: fewer points, the same shape.
import { describe, expect, it } from 'vitest';
import { valley } from '../src/index.js';
import { contourBands } from '../web/lib/plot.js';
import { ringPathData } from '../web/lib/rings.js';

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
