import { describe, expect, it } from 'vitest';
import { Adagrad, rotated, trace, type Vec2 } from '../src/index.js';
import {
  diagonalCost,
  ellipseIndexAt,
  finalGap,
  fullMatrixCaption,
  fullMatrixCost,
  fullMatrixRuns,
  FULL_MATRIX_LR,
  FULL_MATRIX_STEPS,
  longAxisDegrees,
  shampooCost,
  shapeOf,
  symmetricEigen2,
} from '../web/sections/full-matrix/model.js';
import type { StepEllipse } from '../web/figures/geometry.js';

/** The symmetric matrix whose unit-ball image is the ellipse: R diag(rx, ry) Rᵀ, applied to g. */
function applyEllipse(e: StepEllipse, g: Vec2): Vec2 {
  const c = Math.cos(e.angle ?? 0);
  const s = Math.sin(e.angle ?? 0);
  const along = c * g[0] + s * g[1];
  const across = -s * g[0] + c * g[1];
  return [e.rx * along * c - e.ry * across * s, e.rx * along * s + e.ry * across * c];
}

describe('symmetricEigen2', () => {
  it('returns eigenpairs: A v = λ v for the larger eigenvalue, λ₁ + λ₂ = trace, λ₁λ₂ = det', () => {
    for (const [a, b, d] of [
      [2, 1, 3],
      [5, -2, 0.5],
      [1, 0, 4],
      [3, 3, 3],
      [1e-6, 2e-6, 7],
    ]) {
      const { values, angle } = symmetricEigen2(a, b, d);
      expect(values[0]).toBeGreaterThanOrEqual(values[1]);
      expect(values[0] + values[1]).toBeCloseTo(a + d, 10);
      expect(values[0] * values[1]).toBeCloseTo(a * d - b * b, 10);
      const v: Vec2 = [Math.cos(angle), Math.sin(angle)];
      expect(a * v[0] + b * v[1]).toBeCloseTo(values[0] * v[0], 10);
      expect(b * v[0] + d * v[1]).toBeCloseTo(values[0] * v[1], 10);
    }
  });
});

describe('fullMatrixRuns (beyond the diagonal)', () => {
  const runs = fullMatrixRuns(rotated.defaultStart);

  it('runs diagonal AdaGrad exactly as the library does, from the same start as the full matrix', () => {
    const direct = trace(
      ({ xy }) => new Adagrad({ xy }, { lr: FULL_MATRIX_LR }),
      rotated,
      rotated.defaultStart,
      FULL_MATRIX_STEPS,
    );
    expect(runs.diagonal.path).toEqual(direct.path);
    expect(runs.full.path[0]).toEqual(runs.diagonal.path[0]);
    expect(runs.full.steps).toHaveLength(FULL_MATRIX_STEPS);
  });

  it("draws each ellipse as the step's own preconditioner: it maps the gradient to the library's step", () => {
    for (const [traceOf, ellipses] of [
      [runs.diagonal, runs.diagonalEllipses],
      [runs.full, runs.fullEllipses],
    ] as const) {
      traceOf.steps.forEach((s, t) => {
        const mapped = applyEllipse(ellipses[t], s.grad);
        const step: Vec2 = [s.to[0] - s.from[0], s.to[1] - s.from[1]];
        const scale = Math.hypot(...step) + 1e-12;
        expect(Math.abs(mapped[0] + step[0]) / scale).toBeLessThan(1e-7);
        expect(Math.abs(mapped[1] + step[1]) / scale).toBeLessThan(1e-7);
        expect(ellipses[t].center).toEqual(s.from);
      });
    }
  });

  it("keeps the diagonal ellipse on the axes while the full one turns to the valley's floor (45°)", () => {
    for (const e of runs.diagonalEllipses) expect([0, 90]).toContain(Math.round(longAxisDegrees(e)));
    // From the default start, every full-matrix ellipse lies along the floor to within about 5°.
    for (const e of runs.fullEllipses) expect(Math.abs(longAxisDegrees(e) - 45)).toBeLessThan(6);
    const last = runs.fullEllipses[runs.fullEllipses.length - 1];
    // Long along the floor, short across the steep walls: the 100:1 curvature shows in the axes.
    expect(Math.max(last.rx, last.ry) / Math.min(last.rx, last.ry)).toBeGreaterThan(5);
  });

  it('gets the full matrix to the minimum while the diagonal method is still on its way', () => {
    const diagonal = finalGap(runs.diagonal);
    const full = finalGap(runs.full);
    expect(full).toBeLessThan(diagonal / 100);
    expect(runs.full.diverged).toBe(false);
  });
});

describe('what the figure shows of the runs', () => {
  const runs = fullMatrixRuns(rotated.defaultStart);

  it('draws every ellipse at one size, keeping its shape and direction', () => {
    const e = runs.fullEllipses[10];
    const shown = shapeOf(e, 1.1);
    expect(Math.max(shown.rx, shown.ry)).toBeCloseTo(1.1, 12);
    expect(shown.rx / shown.ry).toBeCloseTo(e.rx / e.ry, 10);
    expect(shown.angle).toBe(e.angle);
    expect(shown.center).toEqual(e.center);
  });

  it('shows the step leaving point t, and the last step at the end', () => {
    expect(ellipseIndexAt(runs, 0)).toBe(0);
    expect(ellipseIndexAt(runs, 7)).toBe(7);
    expect(ellipseIndexAt(runs, FULL_MATRIX_STEPS)).toBe(FULL_MATRIX_STEPS - 1);
  });

  it("captions from the runs' own numbers", () => {
    const format = (v: number): string => v.toPrecision(3);
    const text = fullMatrixCaption(runs, FULL_MATRIX_STEPS, format);
    expect(text).toContain(`After ${FULL_MATRIX_STEPS} of ${FULL_MATRIX_STEPS} steps`);
    expect(text).toContain(format(finalGap(runs.diagonal)));
    expect(text).toContain(format(finalGap(runs.full)));
    const last = runs.fullEllipses[FULL_MATRIX_STEPS - 1];
    expect(text).toContain(`${format(longAxisDegrees(last))}°`);
    expect(text).toContain(`${format(runs.diagonalEllipses[FULL_MATRIX_STEPS - 1].rx)} along x`);
  });
});

describe('what the preconditioners cost', () => {
  it('counts d entries for the diagonal and d² (with d³ work) for the full matrix', () => {
    expect(diagonalCost(2 ** 14)).toEqual({ entries: 16384, bytes: 131072, operations: 16384 });
    // The spam model's 2^14 weights: a full G is 2^28 float64 numbers, 2 GiB.
    expect(fullMatrixCost(2 ** 14).bytes).toBe(2 * 1024 ** 3);
    expect(fullMatrixCost(2 ** 14).operations).toBe(2 ** 42);
  });

  it("gives Shampoo m² + n² entries for an m×n layer instead of the full matrix's (mn)²", () => {
    const m = 1000;
    const n = 500;
    expect(shampooCost(m, n).entries).toBe(1_250_000);
    expect(fullMatrixCost(m * n).entries).toBe(2.5e11);
    expect(shampooCost(m, n).operations).toBe(1e9 + 1.25e8);
  });
});
