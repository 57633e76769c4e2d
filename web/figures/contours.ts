// Filled contours of a landscape, as SVG path data per band. The page's first view gets them from the
// build (web/contours-prerender.ts, through landscape-contours.ts); this module is what computes them,
// there and for any landscape the reader picks later. A landscape's bands are computed once, however
// many panels show it, and their SVG path data once per panel size.
import { contours } from 'd3-contour';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { Landscape, Vec2 } from '../../src/index.js';
import { ringPathData } from './rings.js';

export interface Box {
  x: Vec2;
  y: Vec2;
}

/** A filled contour band: the region where the landscape's height is at least `level`, as rings. */
export interface ContourBand {
  level: number;
  /** Each polygon is a list of rings (outer, then holes) in data coordinates. */
  polygons: Vec2[][][];
}

/**
 * The page's grid and level count: fine enough for smooth bands, coarse enough to draw at load. The
 * grid keeps the panel's aspect; at 56 × 36 the narrowest band (the rotated valley's floor) looks the
 * same as at 64 × 42 on a 2x screen, for a quarter less contouring while the page loads (40 × 26
 * showed corners along it).
 */
const GRID_X = 56;
const GRID_Y = 36;
const LEVELS = 12;

/**
 * Filled contours of log(1 + f - min) on an nx × ny grid over the view: the log spreads the levels so
 * that both the steep walls and the flat floor of a valley get contours.
 */
export function contourBands(
  landscape: Landscape,
  view: Box,
  nx = GRID_X,
  ny = GRID_Y,
  count = LEVELS,
): ContourBand[] {
  // d3 places value (i, j) at the centre (i + ½, j + ½) of its cell on a [0, nx] × [0, ny] grid, so
  // sampling f at cell centres makes grid coordinate g map to data x₀ + g·dx, filling the view exactly.
  const values = new Array<number>(nx * ny);
  const dx = (view.x[1] - view.x[0]) / nx;
  const dy = (view.y[1] - view.y[0]) / ny;
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const f = landscape.f(view.x[0] + (i + 0.5) * dx, view.y[0] + (j + 0.5) * dy);
      const h = Math.log1p(Math.max(0, f - landscape.minValue));
      values[j * nx + i] = h;
      if (h < lo) lo = h;
      if (h > hi) hi = h;
    }
  }
  const thresholds = Array.from({ length: count }, (_, k) => lo + ((hi - lo) * k) / count);
  const toData = ([gx, gy]: number[]): Vec2 => [view.x[0] + gx * dx, view.y[0] + gy * dy];
  return contours()
    .size([nx, ny])
    .thresholds(thresholds)(values)
    .map((multi) => ({
      level: multi.value,
      polygons: multi.coordinates.map((polygon) => polygon.map((ring) => ring.map(toData))),
    }));
}

const bandsOf = new WeakMap<Landscape, ContourBand[]>();
const transposes = new WeakMap<Landscape, Landscape>();

/**
 * Declares `mirror` to be `original` with x and y swapped (f and view alike): its bands are then the
 * original's with each point's coordinates swapped, not computed a second time while the page loads.
 */
export function declareTranspose(mirror: Landscape, original: Landscape): void {
  transposes.set(mirror, original);
}

/** The bands of a landscape over its own view, computed on first use. */
export function landscapeBands(landscape: Landscape): ContourBand[] {
  let bands = bandsOf.get(landscape);
  if (bands === undefined) {
    const original = transposes.get(landscape);
    bands =
      original === undefined
        ? contourBands(landscape, landscape.view)
        : landscapeBands(original).map((band) => ({
            level: band.level,
            polygons: band.polygons.map((polygon) =>
              polygon.map((ring) => ring.map(([x, y]): Vec2 => [y, x])),
            ),
          }));
    bandsOf.set(landscape, bands);
  }
  return bands;
}

const pathDataOf = new WeakMap<Landscape, Map<string, string[]>>();

/**
 * SVG path data of each of the landscape's bands (in the order of landscapeBands) drawn through the
 * linear scales x and y, to a tenth of a unit: computed once per landscape and pair of scales.
 */
export function bandPathData(
  landscape: Landscape,
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number>,
): string[] {
  const key = scalesKey(x, y);
  let byScales = pathDataOf.get(landscape);
  if (byScales === undefined) {
    byScales = new Map();
    pathDataOf.set(landscape, byScales);
  }
  let paths = byScales.get(key);
  if (paths === undefined) {
    const px = affine(x);
    const py = affine(y);
    paths = landscapeBands(landscape).map((band) => {
      let d = '';
      for (const polygon of band.polygons) {
        for (const ring of polygon)
          d += ringPathData(
            ring.map(([a, b]) => [px(a), py(b)] as const),
            1,
          );
      }
      return d;
    });
    byScales.set(key, paths);
  }
  return paths;
}

/** The scales' domains and ranges as one string: equal strings, equal maps. */
export function scalesKey(x: ScaleLinear<number, number>, y: ScaleLinear<number, number>): string {
  return [...x.domain(), ...x.range(), ...y.domain(), ...y.range()].join(' ');
}

/** Each band's fill by its level: `lowest` at the lowest band (the minimum), `highest` at the highest, linearly between. */
export function levelFill(
  levels: readonly number[],
  lowest: string,
  highest: string,
): (level: number) => string {
  const colour = scaleLinear<string>()
    .domain([levels[0] ?? 0, levels.at(-1) ?? 1])
    .range([lowest, highest]);
  return (level) => colour(level);
}

/** The scale as one multiply-add: the same map as a d3 linear scale, without its per-call overhead. */
function affine(scale: ScaleLinear<number, number>): (v: number) => number {
  const [d0, d1] = scale.domain();
  const [r0, r1] = scale.range();
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** A landscape's filled contour bands through a panel's scales, lowest level first. */
export interface LandscapeContours {
  /** Each band's level (of log(1 + f − min)), for its fill. */
  levels: number[];
  /** Each band's SVG path data. */
  paths: string[];
}

/** The key of a landscape drawn through a pair of scales in the build's table. */
export function contoursKey(
  landscape: Landscape,
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number>,
): string {
  return `${landscape.name}|${scalesKey(x, y)}`;
}

/** Contours computed in the page (not from the build): the same functions the build runs. */
export function computeContours(
  landscape: Landscape,
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number>,
): LandscapeContours {
  return {
    levels: landscapeBands(landscape).map((band) => band.level),
    paths: bandPathData(landscape, x, y),
  };
}
