// Shared figure pieces for the landscape panels: the pure geometry (contour bands, clipping a path to
// the view, step ellipses) and an SVG panel that draws them with d3. The geometry functions take and
// return plain numbers so that unit tests can check them against the library's own values.
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import type { Landscape, Trace, Vec2 } from '../../src/index.js';
import { bandFill, bandPathData, landscapeBands, type Box } from './contours.js';

export type { Box } from './contours.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

// ---------------------------------------------------------------------------------------------------
// Pure geometry

/**
 * Clips a segment to a box (Liang–Barsky): the parameter range [t0, t1] of p + t(q - p) inside the box,
 * or null when the segment misses it.
 */
export function clipSegment(p: Vec2, q: Vec2, box: Box): [number, number] | null {
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
export function clipPolyline(points: readonly Vec2[], box: Box): ClippedPath {
  const runs: Vec2[][] = [];
  let firstExit: Vec2 | null = null;
  let current: Vec2[] | null = null;
  const inside = (p: Vec2) => p[0] >= box.x[0] && p[0] <= box.x[1] && p[1] >= box.y[0] && p[1] <= box.y[1];
  if (points.length === 1 && inside(points[0])) return { runs: [[points[0]]], firstExit: null };
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
}

export function stepEllipse(center: Vec2, effectiveLr: Vec2): StepEllipse {
  return { center, rx: effectiveLr[0], ry: effectiveLr[1] };
}

/** A number for labels: few significant digits, exponent form for the very large and very small. */
export function formatValue(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${String(Number(mantissa))}×10${superscript(Number(exponent))}`;
  }
  return String(Number(value.toPrecision(digits)));
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
function superscript(n: number): string {
  const digits = String(Math.abs(n))
    .split('')
    .map((d) => SUPERSCRIPT_DIGITS[Number(d)])
    .join('');
  return (n < 0 ? '⁻' : '') + digits;
}

export function formatPoint(p: Vec2, digits = 3): string {
  return `(${formatValue(p[0], digits)}, ${formatValue(p[1], digits)})`;
}

// ---------------------------------------------------------------------------------------------------
// The SVG landscape panel

const WIDTH = 480;
const HEIGHT = 300;
const MARGIN = { top: 10, right: 10, bottom: 26, left: 36 };

export interface LandscapePanelOptions {
  /** Accessible name of the figure. */
  label: string;
  /** CSS colour of this panel's path, e.g. 'var(--sgd)'. */
  color: string;
  /** Called with a new start point while the reader drags it or moves it with the arrow keys. */
  onStartMove?: (start: Vec2) => void;
}

export interface PathDrawing {
  trace: Trace;
  /** How many steps of the trace to show (0 shows only the start). */
  upTo: number;
  /** Draw the −∇f direction and the actual step at the current point. */
  arrows?: boolean;
}

export interface LandscapePanel {
  root: HTMLElement;
  svg: SVGSVGElement;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  setLandscape(landscape: Landscape): void;
  setStart(start: Vec2): void;
  drawPath(drawing: PathDrawing): void;
  drawEllipses(ellipses: readonly StepEllipse[]): void;
}

type Group = Selection<SVGGElement, unknown, null, undefined>;

/** The arrowhead markers, once per document (ids are global). */
function ensureMarkers(): void {
  if (document.getElementById('plot-arrow-defs') !== null) return;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('id', 'plot-arrow-defs');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('width', '0');
  svg.setAttribute('height', '0');
  svg.style.position = 'absolute';
  const defs = select(svg).append('defs');
  for (const kind of ['gradient', 'step']) {
    defs
      .append('marker')
      .attr('id', `arrow-${kind}`)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 8)
      .attr('refY', 5)
      .attr('markerWidth', 6)
      .attr('markerHeight', 6)
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', 'M0,0 L10,5 L0,10 z')
      .attr('class', `arrowhead arrowhead-${kind}`);
  }
  document.body.append(svg);
}

export function polylinePath(
  points: readonly Vec2[],
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  if (points.length === 0) return '';
  return `M${points.map(([a, b]) => `${x(a).toFixed(2)},${y(b).toFixed(2)}`).join('L')}`;
}

/** An SVG panel of a landscape: filled contours, axes, minima, a path and a draggable start point. */
export function createLandscapePanel(parent: HTMLElement, options: LandscapePanelOptions): LandscapePanel {
  ensureMarkers();
  const root = document.createElement('figure');
  root.className = 'landscape-panel';
  parent.append(root);
  const svgSel = select(root)
    .append('svg')
    .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`)
    .attr('role', 'group')
    .attr('aria-label', options.label)
    .attr('class', 'landscape-svg');
  const svg = svgSel.node() as SVGSVGElement;
  const x = scaleLinear().range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear().range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const contourLayer: Group = svgSel.append('g').attr('class', 'contours').attr('aria-hidden', 'true');
  const hitArea = svgSel.append('rect').attr('class', 'hit-area').attr('fill', 'transparent');
  const xAxis: Group = svgSel.append('g').attr('class', 'axis axis-x').attr('aria-hidden', 'true');
  const yAxis: Group = svgSel.append('g').attr('class', 'axis axis-y').attr('aria-hidden', 'true');
  svgSel
    .append('text')
    .attr('class', 'axis-title')
    .attr('aria-hidden', 'true')
    .attr('x', WIDTH - MARGIN.right - 2)
    .attr('y', HEIGHT - MARGIN.bottom - 5)
    .attr('text-anchor', 'end')
    .text('x');
  svgSel
    .append('text')
    .attr('class', 'axis-title')
    .attr('aria-hidden', 'true')
    .attr('x', MARGIN.left + 5)
    .attr('y', MARGIN.top + 11)
    .text('y');
  const minimaLayer: Group = svgSel.append('g').attr('class', 'minima').attr('aria-hidden', 'true');
  const ellipseLayer: Group = svgSel.append('g').attr('class', 'ellipses').attr('aria-hidden', 'true');
  const pathLayer: Group = svgSel.append('g').attr('class', 'path-layer').attr('aria-hidden', 'true');
  const path = pathLayer.append('path').attr('class', 'trajectory').attr('stroke', options.color);
  const points = pathLayer.append('g').attr('class', 'step-points').attr('fill', options.color);
  const gradientArrow = pathLayer
    .append('line')
    .attr('class', 'arrow arrow-gradient')
    .attr('marker-end', 'url(#arrow-gradient)');
  const stepArrow = pathLayer
    .append('line')
    .attr('class', 'arrow arrow-step')
    .attr('stroke', options.color)
    .attr('marker-end', 'url(#arrow-step)');
  const nextPoint = pathLayer
    .append('circle')
    .attr('class', 'next-point')
    .attr('r', 4)
    .attr('stroke', options.color);
  const currentPoint = pathLayer
    .append('circle')
    .attr('class', 'current-point')
    .attr('r', 4.5)
    .attr('fill', options.color);
  const exitLabel = pathLayer.append('text').attr('class', 'exit-label');
  const handle = svgSel
    .append('circle')
    .attr('class', 'start-handle')
    .attr('r', 8)
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-roledescription', 'draggable start point');

  let landscape: Landscape | null = null;
  let start: Vec2 = [0, 0];

  const viewBox = (): Box => (landscape === null ? { x: [0, 1], y: [0, 1] } : landscape.view);
  const clampToView = (p: Vec2): Vec2 => {
    const v = viewBox();
    return [Math.min(v.x[1], Math.max(v.x[0], p[0])), Math.min(v.y[1], Math.max(v.y[0], p[1]))];
  };
  const toData = (event: PointerEvent): Vec2 => {
    const matrix = svg.getScreenCTM();
    if (matrix === null) return start;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return clampToView([x.invert(point.x), y.invert(point.y)]);
  };

  if (options.onStartMove !== undefined) {
    const move = options.onStartMove;
    let dragging = false;
    const begin = (event: PointerEvent): void => {
      if (event.button !== 0) return;
      dragging = true;
      (event.currentTarget as Element).setPointerCapture(event.pointerId);
      move(toData(event));
      event.preventDefault();
    };
    for (const target of [handle.node(), hitArea.node()] as Element[]) {
      target.addEventListener('pointerdown', begin as EventListener);
      target.addEventListener('pointermove', ((event: PointerEvent) => {
        if (dragging) move(toData(event));
      }) as EventListener);
      target.addEventListener('pointerup', () => (dragging = false));
      target.addEventListener('pointercancel', () => (dragging = false));
    }
    handle.on('keydown', (event: KeyboardEvent) => {
      const v = viewBox();
      const fraction = event.shiftKey ? 0.1 : 0.02;
      const stepX = (v.x[1] - v.x[0]) * fraction;
      const stepY = (v.y[1] - v.y[0]) * fraction;
      const moves: Record<string, Vec2> = {
        ArrowLeft: [-stepX, 0],
        ArrowRight: [stepX, 0],
        ArrowUp: [0, stepY],
        ArrowDown: [0, -stepY],
      };
      const delta = moves[event.key];
      if (delta === undefined) return;
      event.preventDefault();
      move(clampToView([start[0] + delta[0], start[1] + delta[1]]));
    });
  } else {
    handle
      .attr('tabindex', null)
      .attr('role', null)
      .attr('aria-roledescription', null)
      .attr('aria-hidden', 'true');
  }

  return {
    root,
    svg,
    x,
    y,
    setLandscape(next) {
      if (next === landscape) return;
      landscape = next;
      x.domain(next.view.x);
      y.domain(next.view.y);
      hitArea
        .attr('x', MARGIN.left)
        .attr('y', MARGIN.top)
        .attr('width', WIDTH - MARGIN.left - MARGIN.right)
        .attr('height', HEIGHT - MARGIN.top - MARGIN.bottom);
      const bands = landscapeBands(next);
      const paths = bandPathData(next, x, y);
      const shade = bandFill(bands, '#2f5d8a', '#eef3f8');
      contourLayer
        .selectAll('path')
        .data(bands)
        .join('path')
        .attr('class', 'contour')
        .attr('fill', shade)
        .attr('d', (_band, i) => paths[i]);
      xAxis.attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`).call(axisBottom(x).ticks(6));
      yAxis.attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(5));
      minimaLayer
        .selectAll('path')
        .data(next.minima)
        .join('path')
        .attr('class', 'minimum')
        .attr('d', ([a, b]) => `M${x(a) - 5},${y(b)}h10M${x(a)},${y(b) - 5}v10`);
    },
    setStart(next) {
      start = next;
      handle
        .attr('cx', x(next[0]))
        .attr('cy', y(next[1]))
        .attr(
          'aria-label',
          `Start point ${formatPoint(next)}: drag it, or use the arrow keys (Shift for bigger moves)`,
        );
    },
    drawPath({ trace, upTo, arrows = true }) {
      const shown = Math.max(0, Math.min(upTo, trace.steps.length));
      const clipped = clipPolyline(trace.path.slice(0, shown + 1), viewBox());
      path.attr('d', clipped.runs.map((run) => polylinePath(run, x, y)).join(''));
      const inView = (p: Vec2) => {
        const v = viewBox();
        return p[0] >= v.x[0] && p[0] <= v.x[1] && p[1] >= v.y[0] && p[1] <= v.y[1];
      };
      // Dots on the visited points make the zig-zag readable; at most a few hundred.
      points
        .selectAll('circle')
        .data(trace.path.slice(1, shown + 1).filter(inView))
        .join('circle')
        .attr('r', 1.6)
        .attr('cx', (p) => x(p[0]))
        .attr('cy', (p) => y(p[1]));
      const current = trace.path[shown];
      const step = trace.steps[shown];
      const showCurrent = inView(current);
      currentPoint
        .attr('display', showCurrent ? null : 'none')
        .attr('cx', x(current[0]))
        .attr('cy', y(current[1]));
      const showNext = arrows && step !== undefined && showCurrent;
      if (showNext) {
        const nextClipped = clipPolyline([step.from, step.to], viewBox()).runs[0] ?? [step.from, step.from];
        const end = nextClipped[nextClipped.length - 1];
        stepArrow
          .attr('display', null)
          .attr('x1', x(step.from[0]))
          .attr('y1', y(step.from[1]))
          .attr('x2', x(end[0]))
          .attr('y2', y(end[1]));
        nextPoint
          .attr('display', inView(step.to) ? null : 'none')
          .attr('cx', x(step.to[0]))
          .attr('cy', y(step.to[1]));
        // The −∇f direction at a fixed on-screen length: where plain descent points, whatever its scale.
        const gx = -step.grad[0] * (x(1) - x(0));
        const gy = -step.grad[1] * (y(1) - y(0));
        const norm = Math.hypot(gx, gy);
        const length = 36;
        gradientArrow
          .attr('display', norm > 0 ? null : 'none')
          .attr('x1', x(step.from[0]))
          .attr('y1', y(step.from[1]))
          .attr('x2', x(step.from[0]) + (norm > 0 ? (gx / norm) * length : 0))
          .attr('y2', y(step.from[1]) + (norm > 0 ? (gy / norm) * length : 0));
      } else {
        stepArrow.attr('display', 'none');
        nextPoint.attr('display', 'none');
        gradientArrow.attr('display', 'none');
      }
      const diverged = trace.diverged && shown >= trace.steps.length;
      const exit = clipped.firstExit;
      if (exit !== null || diverged) {
        const anchor = exit ?? clampToView(trace.path[shown]);
        const px = Math.min(WIDTH - MARGIN.right - 4, Math.max(MARGIN.left + 4, x(anchor[0])));
        const py = Math.min(HEIGHT - MARGIN.bottom - 6, Math.max(MARGIN.top + 14, y(anchor[1])));
        exitLabel
          .attr('display', null)
          .attr('x', px)
          .attr('y', py)
          .attr('text-anchor', px > WIDTH / 2 ? 'end' : 'start')
          .text(diverged ? 'diverged' : 'left the view');
      } else {
        exitLabel.attr('display', 'none').text('');
      }
      root.dataset.steps = String(shown);
      root.dataset.diverged = String(trace.diverged);
    },
    drawEllipses(ellipses) {
      const sx = x(1) - x(0);
      const sy = y(0) - y(1);
      ellipseLayer
        .selectAll('ellipse')
        .data(ellipses)
        .join('ellipse')
        .attr('class', (_, i) => (i === ellipses.length - 1 ? 'step-ellipse current' : 'step-ellipse'))
        .attr('cx', (e) => x(e.center[0]))
        .attr('cy', (e) => y(e.center[1]))
        .attr('rx', (e) => Math.min(e.rx * sx, 4 * WIDTH))
        .attr('ry', (e) => Math.min(e.ry * sy, 4 * HEIGHT));
    },
  };
}
