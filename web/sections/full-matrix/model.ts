// "Beyond the diagonal", the model (no DOM): diagonal and full-matrix AdaGrad from one start on the
// rotated valley, each run by the library's own optimizer through trace(), and the step ellipse each
// one uses at every step. The ellipse is the unit ball of gradients mapped by the step's
// preconditioner: diag(η/(√G + ε)) for the diagonal method, η(εI + G^½)⁻¹ for the full matrix. The
// diagonal one can only stretch along x and y; the full one turns with the valley.
import {
  Adagrad,
  DEFAULT_FULL_MATRIX_EPS,
  FullMatrixAdagrad,
  rotated,
  trace,
  type Landscape,
  type Trace,
  type TraceParams,
  type Vec2,
} from '../../../src/index.js';
import type { StepEllipse } from '../../figures/geometry.js';
import { displayTex } from '../../lib/formula.js';
import { pointParam } from '../../lib/hash-state.js';

export const FULL_MATRIX_LANDSCAPE: Landscape = rotated;

/** Steps of each run: diagonal AdaGrad is still far from the minimum after them, full-matrix is not. */
export const FULL_MATRIX_STEPS = 60;

/** One learning rate for both, the race's AdaGrad rate: the only difference is the shape of G. */
export const FULL_MATRIX_LR = 1;

/** ε (the paper's δ) of the full-matrix run: the library's default, which keeps the first, rank-one steps defined. */
export const FULL_MATRIX_EPS = DEFAULT_FULL_MATRIX_EPS;

/** The section's URL state: the start both runs share. */
export const FULL_MATRIX_PARAMS = {
  start: pointParam('fm.start', rotated.defaultStart, { x: rotated.view.x, y: rotated.view.y, precision: 3 }),
} as const;

/** The paper's full-matrix rule, and the diagonal one the reader already knows, in the same notation. */
export const FULL_MATRIX_RULE = displayTex`\begin{aligned} G_t &= G_{t-1} + g_t\,g_t^{\top} \\ \theta_{t+1} &= \theta_t - \eta\,(\varepsilon I + G_t^{1/2})^{-1} g_t \end{aligned}`;
export const DIAGONAL_RULE = displayTex`\begin{aligned} G_t &= G_{t-1} + g_t \odot g_t \\ \theta_{t+1} &= \theta_t - \frac{\eta}{\sqrt{G_t} + \varepsilon} \odot g_t \end{aligned}`;

/** Eigen-decomposition of the symmetric 2×2 matrix [[a, b], [b, d]], larger eigenvalue first. */
export function symmetricEigen2(
  a: number,
  b: number,
  d: number,
): { values: [number, number]; angle: number } {
  const mean = (a + d) / 2;
  const radius = Math.hypot((a - d) / 2, b);
  // The eigenvector of the larger eigenvalue makes angle θ with x, tan 2θ = 2b / (a − d).
  const angle = 0.5 * Math.atan2(2 * b, a - d);
  return { values: [mean + radius, mean - radius], angle };
}

/** The diagonal method's ellipse: semi-axes η/(√G_i + ε), the rates the library reports, on x and y. */
export function diagonalEllipse(center: Vec2, effectiveLr: Vec2): StepEllipse {
  return { center, rx: effectiveLr[0], ry: effectiveLr[1], angle: 0 };
}

/**
 * The full-matrix ellipse: η(εI + G^½)⁻¹ shares G's eigenvectors and has the eigenvalues
 * η/(ε + √λ_i), so its long axis lies along G's smallest eigenvalue: where gradients have been small.
 */
export function fullMatrixEllipse(center: Vec2, G: readonly number[], lr: number, eps: number): StepEllipse {
  const { values, angle } = symmetricEigen2(G[0], G[1], G[3]);
  const rate = (lambda: number): number => lr / (eps + Math.sqrt(Math.max(lambda, 0)));
  // values[0] ≥ values[1]: its direction gets the short axis.
  return { center, rx: rate(values[1]), ry: rate(values[0]), angle: angle + Math.PI / 2 };
}

/** The angle of an ellipse's long axis in degrees, folded into [0°, 180°). */
export function longAxisDegrees(e: StepEllipse): number {
  const angle = (e.angle ?? 0) + (e.rx >= e.ry ? 0 : Math.PI / 2);
  const degrees = (angle * 180) / Math.PI;
  return ((degrees % 180) + 180) % 180;
}

export interface FullMatrixRuns {
  start: Vec2;
  steps: number;
  diagonal: Trace;
  full: Trace;
  /** The ellipse each step used, centred where the step began: ellipses[t] belongs to steps[t]. */
  diagonalEllipses: StepEllipse[];
  fullEllipses: StepEllipse[];
}

/**
 * Both runs from `start`. The full-matrix accumulator G (2×2, row-major) is read from the optimizer
 * after every step, from its own state dict; nothing here re-computes an update.
 */
export function fullMatrixRuns(start: Vec2, steps = FULL_MATRIX_STEPS): FullMatrixRuns {
  const diagonal = trace(
    ({ xy }: TraceParams) => new Adagrad({ xy }, { lr: FULL_MATRIX_LR }),
    FULL_MATRIX_LANDSCAPE,
    start,
    steps,
  );
  const matrices: number[][] = [];
  const full = trace(
    ({ xy }: TraceParams) => {
      const optimizer = new FullMatrixAdagrad({ xy }, { lr: FULL_MATRIX_LR, eps: FULL_MATRIX_EPS });
      return {
        step(grads: { xy: Float64Array }) {
          optimizer.step(grads);
          // G over both coordinates, row-major, as the optimizer saves it.
          matrices.push(optimizer.stateDict().matrix);
        },
        accumulator: (name: 'xy') => optimizer.accumulator(name),
        effectiveLearningRate: (name: 'xy') => optimizer.effectiveLearningRate(name),
      };
    },
    FULL_MATRIX_LANDSCAPE,
    start,
    steps,
  );
  return {
    start,
    steps,
    diagonal,
    full,
    diagonalEllipses: diagonal.steps.map((s) => diagonalEllipse(s.from, s.effectiveLr)),
    fullEllipses: full.steps.map((s, t) =>
      fullMatrixEllipse(s.from, matrices[t], FULL_MATRIX_LR, FULL_MATRIX_EPS),
    ),
  };
}

/** f − f* after the run: 0 at the minimum. */
export function finalGap(t: Trace): number {
  const end = t.path[t.path.length - 1];
  return t.landscape.f(end[0], end[1]) - t.landscape.minValue;
}

/** The step whose ellipse frame t shows: the one leaving point t, or the last step at the end. */
export function ellipseIndexAt(runs: FullMatrixRuns, t: number): number {
  return Math.max(0, Math.min(t, runs.full.steps.length - 1, runs.diagonal.steps.length - 1));
}

/**
 * An ellipse scaled so that its long semi-axis is `longest` data units: the figure draws every ellipse
 * at one size, so that its shape and direction can be compared (the first full-matrix ellipses are
 * thousands of units long across the one gradient seen so far). The caption gives the real semi-axes.
 */
export function shapeOf(e: StepEllipse, longest: number): StepEllipse {
  const scale = longest / Math.max(e.rx, e.ry);
  return { center: e.center, rx: e.rx * scale, ry: e.ry * scale, angle: e.angle };
}

/** The caption of frame t, from the runs' own numbers. */
export function fullMatrixCaption(runs: FullMatrixRuns, t: number, format: (v: number) => string): string {
  const k = ellipseIndexAt(runs, t);
  const diagonal = runs.diagonalEllipses[k];
  const full = runs.fullEllipses[k];
  const gapAt = (trace: Trace): number => {
    const p = trace.path[Math.min(t, trace.path.length - 1)];
    return trace.landscape.f(p[0], p[1]) - trace.landscape.minValue;
  };
  const long = Math.max(full.rx, full.ry);
  const short = Math.min(full.rx, full.ry);
  return (
    `After ${t} of ${runs.steps} steps: f − f* is ${format(gapAt(runs.diagonal))} for diagonal AdaGrad and ` +
    `${format(gapAt(runs.full))} for full-matrix AdaGrad. Step ${k + 1}'s ellipses: the diagonal one has ` +
    `semi-axes ${format(diagonal.rx)} along x and ${format(diagonal.ry)} along y; the full-matrix one ` +
    `${format(long)} at ${format(longAxisDegrees(full))}° and ${format(short)} across it ` +
    `(the valley's floor runs at 45°).`
  );
}

// ---------------------------------------------------------------------------------------------------
// What the full matrix costs

/** Memory and work per step of an accumulator over d coordinates, in float64. */
export interface PreconditionerCost {
  /** Numbers stored for the accumulator. */
  entries: number;
  bytes: number;
  /** Arithmetic per step, to the order of magnitude: d for the diagonal, d³ for an eigendecomposition. */
  operations: number;
}

export function diagonalCost(d: number): PreconditionerCost {
  return { entries: d, bytes: 8 * d, operations: d };
}

export function fullMatrixCost(d: number): PreconditionerCost {
  return { entries: d * d, bytes: 8 * d * d, operations: d ** 3 };
}

/**
 * Shampoo (Gupta, Koren & Singer 2018) for an m×n weight matrix: one m×m and one n×n factor,
 * L ← L + GGᵀ, R ← R + GᵀG, step L^(−1/4) G R^(−1/4): the full matrix's (mn)² entries become
 * m² + n², and the eigendecompositions m³ + n³ instead of (mn)³.
 */
export function shampooCost(m: number, n: number): PreconditionerCost {
  return { entries: m * m + n * n, bytes: 8 * (m * m + n * n), operations: m ** 3 + n ** 3 };
}
