import { describe, expect, it } from 'vitest';
import {
  LANDSCAPES,
  LANDSCAPE_IDS,
  beale,
  getLandscape,
  himmelblau,
  rosenbrock,
  saddle,
} from '../src/landscapes/index.js';
import { mulberry32 } from '../src/data/random.js';
import type { Landscape, LandscapeId } from '../src/landscapes/index.js';

/** Central differences: error O(h²), so h = 1e-5 gives ~1e-10 relative accuracy on smooth functions. */
function numericGradient(l: Landscape, x: number, y: number): [number, number] {
  const h = 1e-5;
  return [(l.f(x + h, y) - l.f(x - h, y)) / (2 * h), (l.f(x, y + h) - l.f(x, y - h)) / (2 * h)];
}

describe.each(LANDSCAPES.map((l) => [l.id, l] as const))('%s', (_id, landscape) => {
  it('has an analytic gradient matching central finite differences across its view', () => {
    const random = mulberry32(7);
    const { x, y } = landscape.view;
    for (let i = 0; i < 200; i++) {
      const px = x[0] + random() * (x[1] - x[0]);
      const py = y[0] + random() * (y[1] - y[0]);
      const analytic = landscape.grad(px, py);
      const numeric = numericGradient(landscape, px, py);
      const scale = Math.max(1, Math.abs(landscape.f(px, py)));
      for (let k = 0; k < 2; k++) {
        expect(Math.abs(analytic[k] - numeric[k])).toBeLessThan(1e-6 * scale);
      }
    }
  });

  it('has zero gradient and the lowest value at each listed minimum', () => {
    expect(landscape.minima.length).toBeGreaterThan(0);
    for (const [mx, my] of landscape.minima) {
      const [gx, gy] = landscape.grad(mx, my);
      expect(Math.hypot(gx, gy)).toBeLessThan(1e-9);
      expect(landscape.f(mx, my)).toBeCloseTo(landscape.minValue, 12);
      // A local minimum: every nearby point is higher.
      for (let k = 0; k < 8; k++) {
        const a = (k * Math.PI) / 4;
        expect(landscape.f(mx + 1e-3 * Math.cos(a), my + 1e-3 * Math.sin(a))).toBeGreaterThan(
          landscape.f(mx, my),
        );
      }
    }
  });

  it('frames its minima and default start in its view', () => {
    const inside = ([px, py]: [number, number]) =>
      px >= landscape.view.x[0] &&
      px <= landscape.view.x[1] &&
      py >= landscape.view.y[0] &&
      py <= landscape.view.y[1];
    expect(landscape.minima.every(inside)).toBe(true);
    expect(inside(landscape.defaultStart)).toBe(true);
    expect(getLandscape(landscape.id)).toBe(landscape);
  });
});

describe('published minimum values', () => {
  it('Rosenbrock is 0 at (1, 1) and positive elsewhere on a grid', () => {
    expect(rosenbrock.f(1, 1)).toBe(0);
    expect(rosenbrock.f(0, 0)).toBe(1);
    expect(rosenbrock.f(-1, 1)).toBe(4);
  });

  it('Beale is 0 at (3, 0.5) and 14.203125 at the origin', () => {
    expect(beale.f(3, 0.5)).toBe(0);
    // 1.5² + 2.25² + 2.625² by hand.
    expect(beale.f(0, 0)).toBeCloseTo(14.203125, 12);
  });

  it("Himmelblau's four minima are 0 and (0, 0) is 170", () => {
    for (const [x, y] of himmelblau.minima) expect(himmelblau.f(x, y)).toBeLessThan(1e-20);
    expect(himmelblau.f(0, 0)).toBe(170);
  });

  it('the saddle has a stationary point at the origin that is not a minimum', () => {
    expect(saddle.grad(0, 0)).toEqual([0, 0]);
    expect(saddle.f(0, 0.1)).toBeLessThan(saddle.f(0, 0));
    expect(saddle.f(0.1, 0)).toBeGreaterThan(saddle.f(0, 0));
  });

  it('the valley is steep in y and flat in x; the rotated one is not axis-aligned', () => {
    const valley = getLandscape('valley');
    const [gx, gy] = valley.grad(1, 1);
    expect(gy / gx).toBeGreaterThanOrEqual(100);
    const rotated = getLandscape('rotated');
    // Along the diagonal direction (1, -1)/√2 the curvature is the steep one, along x it is mixed.
    expect(rotated.f(1, -1)).toBeCloseTo(0.5 * 5 * 2, 12);
    expect(rotated.f(1, 1)).toBeCloseTo(0.5 * 0.05 * 2, 12);
  });
});

it('getLandscape names the unknown id', () => {
  expect(LANDSCAPE_IDS).toContain('valley');
  expect(() => getLandscape('nope' as LandscapeId)).toThrow(/unknown landscape id 'nope'/);
});
