// SVG path data for the closed rings of a filled contour, shared by both kinds of landscape panel.
// A contour band of the whole view runs along the border of the grid, one vertex per grid cell: half
// of all the path data on the page was such straight runs. Dropping their inner vertices (and points
// that round to the same pixel) leaves the same shape with a fraction of the text for the browser to
// parse, lay out and paint.

/**
 * "M…L…Z" for one closed ring of points already in SVG units, each coordinate rounded to `digits`
 * decimals. Repeated points and the inner points of horizontal and vertical runs are left out.
 */
export function ringPathData(ring: ReadonlyArray<readonly [number, number]>, digits: number): string {
  const scale = 10 ** digits;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [px, py] of ring) {
    const x = Math.round(px * scale) / scale;
    const y = Math.round(py * scale) / scale;
    const n = xs.length;
    if (n > 0 && xs[n - 1] === x && ys[n - 1] === y) continue;
    if (n > 1 && ((xs[n - 2] === x && xs[n - 1] === x) || (ys[n - 2] === y && ys[n - 1] === y))) {
      // The last point lies inside a straight horizontal or vertical run: move the run's end instead.
      xs[n - 1] = x;
      ys[n - 1] = y;
      continue;
    }
    xs.push(x);
    ys.push(y);
  }
  if (xs.length === 0) return '';
  let d = `M${xs[0]},${ys[0]}`;
  for (let k = 1; k < xs.length; k++) d += `L${xs[k]},${ys[k]}`;
  return `${d}Z`;
}
