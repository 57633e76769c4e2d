// Small SVG line charts (effective learning rate, distance, loss over steps; a quantity against λ on a
// log axis): d3 scales and axes in a viewBox, so a chart scales with its container, a legend, and an
// optional marked x (the value a slider has now). Text only through .text().
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { line } from 'd3-shape';

export interface ChartSeries {
  /** Stable key: the path gets data-series=key, so tests and styles can find it. */
  key: string;
  label: string;
  /** A CSS colour, e.g. 'var(--adagrad)'. */
  color: string;
  values: ArrayLike<number>;
  /** The x of each value; without it values[i] is at i + xOffset. NaN values are not drawn. */
  xs?: ArrayLike<number>;
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  /** x on a log scale (series with positive xs), labelled at powers of ten. */
  logX?: boolean;
  /** Fixed y domain; otherwise the data's extent. */
  yDomain?: [number, number];
  /** x of values[i] is i + xOffset (1 for "step 1"). */
  xOffset?: number;
  /** Fixed x extent, so a curve that is still growing draws into its final axis. */
  xMax?: number;
}

export interface LineChart {
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  /**
   * Redraws the series. `full`, when given, fixes the axes to the finished data, so a curve drawn
   * part by part (an animation) grows into its final axes instead of rescaling every frame.
   */
  update(series: readonly ChartSeries[], full?: readonly ChartSeries[]): void;
  /** Sets the fixed x extent (options.xMax) when it is known only later; the next update uses it. */
  setXMax(xMax: number): void;
  /** Marks x with a vertical line and a label (null: no mark); kept in place by later updates. */
  mark(x: number | null, label: string): void;
}

const WIDTH = 420;
const HEIGHT = 260;
const MARGIN = { top: 14, right: 96, bottom: 40, left: 62 };

/** Creates an empty chart in `container`; `update` redraws its series (and axes) from scratch. */
export function lineChart(container: HTMLElement, options: LineChartOptions): LineChart {
  let fixedXMax = options.xMax ?? 0;
  const svg = select(container)
    .append('svg')
    .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`)
    .attr('class', 'line-chart')
    .attr('role', 'img')
    .attr('aria-label', options.title)
    .style('width', '100%')
    .style('height', 'auto');
  const plot = svg.append('g');
  const xAxis = svg.append('g').attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`);
  const yAxis = svg.append('g').attr('transform', `translate(${MARGIN.left},0)`);
  svg
    .append('text')
    .attr('x', (MARGIN.left + WIDTH - MARGIN.right) / 2)
    .attr('y', HEIGHT - 6)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .attr('fill', 'currentColor')
    .text(options.xLabel);
  svg
    .append('text')
    .attr('transform', `translate(14,${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .attr('fill', 'currentColor')
    .text(options.yLabel);
  const legend = svg.append('g');
  const marker = svg.append('g').attr('class', 'chart-marker').attr('display', 'none');
  const markerLine = marker
    .append('line')
    .attr('y1', MARGIN.top)
    .attr('y2', HEIGHT - MARGIN.bottom)
    .attr('stroke', 'currentColor')
    .attr('stroke-dasharray', '3 3');
  const markerLabel = marker
    .append('text')
    .attr('y', MARGIN.top + 10)
    .attr('font-size', 11)
    .attr('fill', 'currentColor');
  let marked: { x: number; label: string } | null = null;
  let placeX: ((v: number) => number) | undefined;

  const drawMark = (): void => {
    if (marked === null || placeX === undefined) {
      marker.attr('display', 'none');
      return;
    }
    const at = placeX(marked.x);
    const middle = (MARGIN.left + WIDTH - MARGIN.right) / 2;
    marker.attr('display', null).attr('data-x', marked.x);
    markerLine.attr('x1', at).attr('x2', at);
    markerLabel
      .attr('x', at + (at > middle ? -4 : 4))
      .attr('text-anchor', at > middle ? 'end' : 'start')
      .text(marked.label);
  };

  const update = (series: readonly ChartSeries[], full: readonly ChartSeries[] = series): void => {
    const offset = options.xOffset ?? 1;
    const logX = options.logX === true;
    const xAt = (s: ChartSeries, i: number): number => (s.xs === undefined ? i + offset : s.xs[i]);
    const x = xScale(full, options, fixedXMax, xAt);
    const y = yScale(full, options);
    xAxis.call(logX ? logAxis(x, axisBottom) : axisBottom(x).ticks(5));
    yAxis.call(options.logY === true ? logAxis(y, axisLeft) : axisLeft(y).ticks(5));
    // The curves have hundreds of points each: they are placed by plain arithmetic, the same maps as
    // the d3 scales above without a d3 call (and a copy of the domain) per point.
    const px = logX ? logMap(x.domain(), x.range()) : linearMap(x.domain(), x.range());
    placeX = px;
    const [lo, hi] = y.domain();
    const py = options.logY === true ? logMap([lo, hi], y.range()) : linearMap([lo, hi], y.range());
    const drawn = (v: number, xv: number): boolean =>
      Number.isFinite(v) && (options.logY !== true || v > 0) && Number.isFinite(xv) && (!logX || xv > 0);
    const pathOf = (s: ChartSeries): string =>
      line<number>()
        .defined((v, i) => drawn(v, xAt(s, i)))
        .x((_, i) => px(xAt(s, i)))
        .y((v) => py(Math.min(Math.max(v, lo), hi)))(Array.from(s.values)) ?? '';
    plot
      .selectAll<SVGPathElement, ChartSeries>('path')
      .data(series, (s) => s.key)
      .join('path')
      .attr('data-series', (s) => s.key)
      .attr('fill', 'none')
      .attr('stroke-width', 2)
      .attr('stroke-dasharray', (s) => (s.dashed === true ? '5 4' : null))
      .style('stroke', (s) => s.color)
      .attr('d', pathOf);
    drawMark();
    const items = legend
      .selectAll<SVGGElement, ChartSeries>('g')
      .data(series, (s) => s.key)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('x1', 0).attr('x2', 16).attr('stroke-width', 2);
        g.append('text')
          .attr('x', 20)
          .attr('dy', '0.32em')
          .attr('font-size', 11)
          .attr('fill', 'currentColor');
        return g;
      })
      .attr('transform', (_, i) => `translate(${WIDTH - MARGIN.right + 8},${MARGIN.top + 8 + i * 18})`);
    items
      .select('line')
      .style('stroke', (s) => s.color)
      .attr('stroke-dasharray', (s) => (s.dashed === true ? '5 4' : null));
    items.select('text').text((s) => s.label);
    // A long legend label widens the figure instead of being cut off at its edge. The width is
    // estimated from the label's length (11 px text, at most ~6.6 px a character): measuring it would
    // force a layout of the whole page on every update while the page loads.
    const longestLabel = Math.max(0, ...series.map((s) => s.label.length));
    const right = WIDTH - MARGIN.right + 8 + 20 + longestLabel * 6.6;
    svg.attr('viewBox', `0 0 ${Math.max(WIDTH, Math.ceil(right))} ${HEIGHT}`);
  };
  return {
    svg,
    update,
    setXMax: (xMax) => void (fixedXMax = xMax),
    mark(x, label) {
      marked = x === null ? null : { x, label };
      drawMark();
    },
  };
}

/** The x scale: steps from xOffset to the longest series (or xMax), or the extent of the series' xs. */
function xScale(
  series: readonly ChartSeries[],
  options: LineChartOptions,
  fixedXMax: number,
  xAt: (s: ChartSeries, i: number) => number,
): ScaleContinuousNumeric<number, number> {
  const range = [MARGIN.left, WIDTH - MARGIN.right];
  const offset = options.xOffset ?? 1;
  if (series.every((s) => s.xs === undefined)) {
    const longest = Math.max(1, ...series.map((s) => s.values.length));
    const xMax = Math.max(fixedXMax, longest - 1 + offset);
    return scaleLinear()
      .domain([offset, Math.max(xMax, offset + 1)])
      .range(range);
  }
  const log = options.logX === true;
  let [lo, hi] = [Infinity, -Infinity];
  for (const s of series) {
    for (let i = 0; i < s.values.length; i++) {
      const v = xAt(s, i);
      if (!Number.isFinite(v) || (log && v <= 0)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(lo < hi)) [lo, hi] = log ? [1, 10] : [0, 1];
  return log ? scaleLog().domain([lo, hi]).range(range) : scaleLinear().domain([lo, hi]).range(range);
}

/** v ↦ its place on [r0, r1] as v runs over [d0, d1]: a d3 linear scale without clamping. */
function linearMap([d0, d1]: number[], [r0, r1]: number[]): (v: number) => number {
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** The same for a log scale of a positive domain: linear in log v. */
function logMap([d0, d1]: number[], range: number[]): (v: number) => number {
  const linear = linearMap([Math.log(d0), Math.log(d1)], range);
  return (v) => linear(Math.log(v));
}

/** A log axis labelled at powers of ten ("0.01", "1e-5"), thinned to at most six labels. */
function logAxis(scale: ScaleContinuousNumeric<number, number>, axis: typeof axisLeft | typeof axisBottom) {
  const [lo, hi] = scale.domain();
  const first = Math.ceil(Math.log10(Math.min(lo, hi)) - 1e-9);
  const last = Math.floor(Math.log10(Math.max(lo, hi)) + 1e-9);
  if (last - first < 1) return axis(scale).ticks(4, '~g');
  const stride = Math.ceil((last - first + 1) / 6);
  const values: number[] = [];
  for (let e = first; e <= last; e += stride) values.push(10 ** e);
  return axis(scale)
    .tickValues(values)
    .tickFormat((v) => {
      const n = Number(v);
      return n >= 1e-3 && n < 1e5 ? String(Number(n.toPrecision(1))) : `1e${Math.round(Math.log10(n))}`;
    });
}

function yScale(
  series: readonly ChartSeries[],
  options: LineChartOptions,
): ScaleContinuousNumeric<number, number> {
  const log = options.logY === true;
  let [lo, hi] = options.yDomain ?? [Infinity, -Infinity];
  if (options.yDomain === undefined) {
    for (const s of series) {
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i];
        if (!Number.isFinite(v) || (log && v <= 0)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!(lo <= hi)) [lo, hi] = log ? [1e-3, 1] : [0, 1];
    if (lo === hi) [lo, hi] = log ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
  }
  const range = [HEIGHT - MARGIN.bottom, MARGIN.top];
  return log
    ? scaleLog().domain([lo, hi]).range(range).nice()
    : scaleLinear().domain([lo, hi]).range(range).nice();
}
