// Pure helpers behind the landscape panel (no DOM), unit-tested.

/** The box of data coordinates a panel shows. */
export interface PanelView {
  x: readonly [number, number];
  y: readonly [number, number];
}

export interface PanelPath {
  key: string;
  label: string;
  color: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** The trace stopped because the iterate blew up. */
  diverged?: boolean;
  dashed?: boolean;
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
