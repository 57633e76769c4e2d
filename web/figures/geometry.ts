// The landscape panel's pure geometry (no DOM), unit-tested: which box a panel shows, clipping a path
// to it (a diverging path reaches 1e6 and must never reach SVG as such), where a path escapes for its
// label, and the step ellipse of per-coordinate rates.
import type { Trace, Vec2 } from '../../src/index.js';

/** The box of data coordinates a panel shows. */
export interface PanelView {
  x: readonly [number, number];
  y: readonly [number, number];
}

/** A box of data coordinates (the clipping functions' name for a view). */
export type Box = PanelView;

export interface PanelPath {
  /** Stable key: the path gets data-series=key, so tests and styles can find it. */
  key: string;
  label: string;
  /** A CSS colour, e.g. 'var(--adagrad)'. */
  color: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** The trace stopped because the iterate blew up. */
  diverged?: boolean;
  dashed?: boolean;
  /** Dots on the visited points (the zig-zag of one path made readable). */
  dots?: boolean;
}

/**
 * A trace drawn up to step t: its first t + 1 points, marked diverged only once the run has reached
 * the step where it stopped.
 */
export function tracePath(
  trace: Pick<Trace, 'path' | 'steps' | 'diverged'>,
  t: number,
  style: Omit<PanelPath, 'points' | 'diverged'>,
): PanelPath {
  const upTo = Math.max(0, Math.min(t, trace.path.length - 1));
  return {
    ...style,
    points: trace.path.slice(0, upTo + 1),
    diverged: trace.diverged && upTo >= trace.steps.length,
  };
}

export interface PathExit {
  /** Where the label goes: the last point inside the view, pushed to the edge it crossed. */
  at: readonly [number, number];
  reason: 'diverged' | 'left the view';
}

/**
 * Where a path escapes the view, if it does: divergence is shown, not hidden. A path that leaves
 * and comes back still gets the label, at the first exit.
 */
export function pathExit(path: PanelPath, view: PanelView): PathExit | undefined {
  const [x0, x1] = view.x;
  const [y0, y1] = view.y;
  const inside = ([x, y]: readonly [number, number]): boolean => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  const k = path.points.findIndex((p) => !inside(p));
  if (k < 0)
    return path.diverged === true
      ? { at: path.points[path.points.length - 1] ?? [x0, y0], reason: 'diverged' }
      : undefined;
  const [px, py] = path.points[k];
  const clampTo = (v: number, lo: number, hi: number): number =>
    Number.isFinite(v) ? Math.min(Math.max(v, lo), hi) : v > 0 ? hi : lo;
  const at = [clampTo(px, x0, x1), clampTo(py, y0, y1)] as const;
  const blewUp =
    path.diverged === true ||
    path.points
      .slice(k)
      .some(
        ([x, y]) =>
          !Number.isFinite(x) || !Number.isFinite(y) || Math.hypot(x, y) > 1e3 * (x1 - x0 + y1 - y0),
      );
  return { at, reason: blewUp ? 'diverged' : 'left the view' };
}

/**
 * Clips a segment to a box (Liang–Barsky): the parameter range [t0, t1] of p + t(q - p) inside the box,
 * or null when the segment misses it.
 */
export function clipSegment(
  p: readonly [number, number],
  q: readonly [number, number],
  box: Box,
): [number, number] | null {
  let t0 = 0;
  let t1 = 1;
  const d: Vec2 = [q[0] - p[0], q[1] - p[1]];
  const edges: Array<[number, number]> = [
    [-d[0], p[0] - box.x[0]],
    [d[0], box.x[1] - p[0]],
    [-d[1], p[1] - box.y[0]],
    [d[1], box.y[1] - p[1]],
  ];
  for (const [denominator, numerator] of edges) {
    if (denominator === 0) {
      if (numerator < 0) return null;
      continue;
    }
    const t = numerator / denominator;
    if (denominator < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return null;
  }
  return [t0, t1];
}

export interface ClippedPath {
  /** The pieces of the path inside the box: each a polyline of at least two points (or the lone start). */
  runs: Vec2[][];
  /** Where the path first crosses out of the box, if it does. */
  firstExit: Vec2 | null;
}

/**
 * Cuts a polyline to the view box so that a diverging path (coordinates up to 1e6) is drawn only where
 * it is visible, with the point where it left for a label. Never hands huge numbers to SVG.
 */
export function clipPolyline(points: ReadonlyArray<readonly [number, number]>, box: Box): ClippedPath {
  const runs: Vec2[][] = [];
  let firstExit: Vec2 | null = null;
  let current: Vec2[] | null = null;
  const inside = (p: readonly [number, number]) =>
    p[0] >= box.x[0] && p[0] <= box.x[1] && p[1] >= box.y[0] && p[1] <= box.y[1];
  if (points.length === 1 && inside(points[0]))
    return { runs: [[[points[0][0], points[0][1]]]], firstExit: null };
  for (let k = 1; k < points.length; k++) {
    const p = points[k - 1];
    const q = points[k];
    const range = clipSegment(p, q, box);
    if (range === null) {
      current = null;
      continue;
    }
    const at = (t: number): Vec2 => [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
    const entry = at(range[0]);
    const exit = at(range[1]);
    if (current === null || range[0] > 0) {
      current = [entry];
      runs.push(current);
    }
    current.push(exit);
    if (range[1] < 1) {
      if (firstExit === null) firstExit = exit;
      current = null;
    }
  }
  return { runs, firstExit };
}

/** The step ellipse: the unit ball of gradients mapped by diag(effective rates), centred on a point. */
export interface StepEllipse {
  center: Vec2;
  /** Semi-axes in data units: the effective learning rate along x and along y. */
  rx: number;
  ry: number;
  /**
   * A full-matrix preconditioner's ellipse is turned: rx lies along this direction (radians from +x,
   * in data coordinates) and ry across it. Absent for the diagonal methods' axis-aligned ellipses.
   */
  angle?: number;
  /** The optimizer's colour, where one panel shows the ellipses of several. */
  color?: string;
  /** Drawn as the current step's ellipse (filled); by default only the last one is. */
  current?: boolean;
}

export function stepEllipse(center: Vec2, effectiveLr: Vec2): StepEllipse {
  return { center, rx: effectiveLr[0], ry: effectiveLr[1] };
}

export function polylinePath(
  points: ReadonlyArray<readonly [number, number]>,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  if (points.length === 0) return '';
  return `M${points.map(([a, b]) => `${x(a).toFixed(2)},${y(b).toFixed(2)}`).join('L')}`;
}

/**
 * Filled dots of radius r at the points, as the data of one SVG path (two arcs a dot): one element for
 * a whole run's visited points instead of one circle each, for the browser to create, style and lay out.
 */
export function dotsPath(
  points: ReadonlyArray<readonly [number, number]>,
  x: (v: number) => number,
  y: (v: number) => number,
  r: number,
): string {
  let d = '';
  for (const [a, b] of points) {
    d += `M${(x(a) - r).toFixed(2)},${y(b).toFixed(2)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
  }
  return d;
}
