// The landscape panel, the page's one figure of a 2-D landscape: filled contours, axes, the minima,
// any number of optimizer paths (clipped to the view, with a "diverged" / "left the view" label where
// one escapes), the step at the current point as labelled arrows, step ellipses, and the start point
// (draggable and keyboard-operable when the section lets the reader move it). SVG in a viewBox.
import { axisBottom, axisLeft } from 'd3-axis';
import type { ScaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import type { Landscape, Vec2 } from '../../src/index.js';
import { levelFill } from './contours.js';
import { formatPoint } from './format.js';
import {
  clipPolyline,
  dotsPath,
  pathExit,
  polylinePath,
  type Box,
  type PanelPath,
  type StepEllipse,
} from './geometry.js';
import { landscapeContours } from './landscape-contours.js';
import {
  PANEL_HEIGHT as HEIGHT,
  PANEL_MARGIN as MARGIN,
  PANEL_WIDTH as WIDTH,
  panelScales,
} from './panel-frame.js';

export type { PanelPath } from './geometry.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The page's one colour ramp for heights: light on the floor, darker up the walls, so that coloured
 * paths stay readable where they end (near a minimum) and the shape of the walls still shows.
 */
export const RAMP = { lowest: '#f5f7fa', highest: '#6f8db3' } as const;

export interface LandscapePanelOptions {
  /** Accessible name of the figure. */
  label: string;
  /** Called with a new start point while the reader drags it or moves it with the arrow keys. */
  onStartMove?: (start: Vec2) => void;
}

/** The step leaving the current point: drawn as the −∇f direction and the step actually taken. */
export interface StepArrows {
  from: Vec2;
  to: Vec2;
  grad: Vec2;
  /** The colour of the optimizer taking the step. */
  color: string;
}

export interface LandscapePanel {
  root: HTMLElement;
  svg: SVGSVGElement;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  setLandscape(landscape: Landscape): void;
  setStart(start: readonly [number, number]): void;
  /** Draws these paths (and only these): the first is drawn widest, so overlapping paths all show. */
  drawPaths(paths: readonly PanelPath[]): void;
  /** The arrows of the step leaving the current point, or none. */
  drawStep(step: StepArrows | null): void;
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

/** Line widths from the top path down: each path below shows as a rim around the ones above it. */
function strokeWidths(count: number): number[] {
  return Array.from({ length: count }, (_, i) => 2 + 2.4 * (count - 1 - i));
}

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
  const { x, y } = panelScales({ x: [0, 1], y: [0, 1] });
  const contourLayer: Group = svgSel.append('g').attr('class', 'contours').attr('aria-hidden', 'true');
  const hitArea = svgSel.append('rect').attr('class', 'hit-area').attr('fill', 'transparent');
  const xAxis: Group = svgSel.append('g').attr('class', 'axis axis-x').attr('aria-hidden', 'true');
  const yAxis: Group = svgSel.append('g').attr('class', 'axis axis-y').attr('aria-hidden', 'true');
  for (const [name, px, py, anchor] of [
    ['x', WIDTH - MARGIN.right - 2, HEIGHT - MARGIN.bottom - 5, 'end'],
    ['y', MARGIN.left + 5, MARGIN.top + 11, 'start'],
  ] as const) {
    svgSel
      .append('text')
      .attr('class', 'axis-title')
      .attr('aria-hidden', 'true')
      .attr('x', px)
      .attr('y', py)
      .attr('text-anchor', anchor)
      .text(name);
  }
  const minimaLayer: Group = svgSel.append('g').attr('class', 'minima').attr('aria-hidden', 'true');
  const ellipseLayer: Group = svgSel.append('g').attr('class', 'ellipses').attr('aria-hidden', 'true');
  const pathLayer: Group = svgSel.append('g').attr('class', 'path-layer').attr('aria-hidden', 'true');
  const stepLayer: Group = svgSel.append('g').attr('class', 'step-layer').attr('aria-hidden', 'true');
  const gradientArrow = stepLayer
    .append('line')
    .attr('class', 'arrow arrow-gradient')
    .attr('marker-end', 'url(#arrow-gradient)');
  const gradientLabel = stepLayer.append('text').attr('class', 'arrow-label arrow-label-gradient');
  const stepArrow = stepLayer
    .append('line')
    .attr('class', 'arrow arrow-step')
    .attr('marker-end', 'url(#arrow-step)');
  const stepLabel = stepLayer.append('text').attr('class', 'arrow-label arrow-label-step');
  const nextPoint = stepLayer.append('circle').attr('class', 'next-point').attr('r', 4);
  const labelLayer: Group = svgSel.append('g').attr('class', 'exit-labels').attr('aria-hidden', 'true');
  const handle = svgSel.append('circle').attr('class', 'start-handle').attr('r', 7);

  let landscape: Landscape | null = null;
  let start: Vec2 = [0, 0];

  const viewBox = (): Box => (landscape === null ? { x: [0, 1], y: [0, 1] } : landscape.view);
  const inView = (p: readonly [number, number]): boolean => {
    const v = viewBox();
    return p[0] >= v.x[0] && p[0] <= v.x[1] && p[1] >= v.y[0] && p[1] <= v.y[1];
  };
  const clampToView = (p: readonly [number, number]): Vec2 => {
    const v = viewBox();
    const clamp = (a: number, lo: number, hi: number) =>
      Number.isFinite(a) ? Math.min(hi, Math.max(lo, a)) : a > 0 ? hi : lo;
    return [clamp(p[0], v.x[0], v.x[1]), clamp(p[1], v.y[0], v.y[1])];
  };
  const toData = (event: PointerEvent): Vec2 => {
    const matrix = svg.getScreenCTM();
    if (matrix === null) return start;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return clampToView([x.invert(point.x), y.invert(point.y)]);
  };

  if (options.onStartMove !== undefined) {
    const move = options.onStartMove;
    handle
      .attr('tabindex', 0)
      .attr('role', 'button')
      .attr('aria-roledescription', 'draggable start point')
      .attr('r', 8);
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
    handle.attr('aria-hidden', 'true').classed('fixed', true);
    hitArea.attr('display', 'none');
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
      const contours = landscapeContours(next, x, y);
      const shade = levelFill(contours.levels, RAMP.lowest, RAMP.highest);
      contourLayer
        .selectAll('path')
        .data(contours.paths)
        .join('path')
        .attr('class', 'contour')
        .attr('fill', (_d, i) => shade(contours.levels[i]))
        .attr('d', (d) => d);
      // Read by the browser tests: every panel of the page's first view draws the build's contours.
      root.dataset.contours = contours.source;
      xAxis.attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`).call(axisBottom(x).ticks(6));
      yAxis.attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(5));
      minimaLayer
        .selectAll('path')
        .data(next.minima.filter(inView))
        .join('path')
        .attr('class', 'minimum')
        .attr('d', ([a, b]) => `M${x(a) - 5},${y(b)}h10M${x(a)},${y(b) - 5}v10`);
    },
    setStart(next) {
      start = [next[0], next[1]];
      handle.attr('cx', x(next[0])).attr('cy', y(next[1]));
      if (options.onStartMove !== undefined) {
        handle.attr(
          'aria-label',
          `Start point ${formatPoint(next)}: drag it, or use the arrow keys (Shift for bigger moves)`,
        );
      }
    },
    drawPaths(paths) {
      const view = viewBox();
      const widths = strokeWidths(paths.length);
      const groups = pathLayer
        .selectAll<SVGGElement, PanelPath>('g.path-group')
        .data(paths, (p) => p.key)
        .join((enter) => {
          const g = enter.append('g').attr('class', 'path-group');
          g.append('path').attr('class', 'trajectory');
          g.append('path').attr('class', 'step-points');
          g.append('circle').attr('class', 'current-point').attr('r', 4.5);
          return g;
        })
        .attr('data-series', (p) => p.key);
      groups.order();
      groups.each(function (p, i) {
        const g = select(this);
        const clipped = clipPolyline(p.points, view);
        g.select('path.trajectory')
          .attr('data-series', p.key)
          .attr('stroke', p.color)
          .attr('stroke-width', widths[i])
          .attr('stroke-dasharray', p.dashed === true ? '6 4' : null)
          .attr('d', clipped.runs.map((run) => polylinePath(run, x, y)).join(''));
        // Dots on the visited points make one zig-zag readable; at most a few hundred, in one path.
        g.select('path.step-points')
          .attr('fill', p.color)
          .attr('d', (p.dots === true && dotsPath(p.points.slice(1).filter(inView), x, y, 1.6)) || null);
        const end = p.points[p.points.length - 1];
        const showEnd = end !== undefined && inView(end);
        g.select('circle.current-point')
          .attr('display', showEnd ? null : 'none')
          .attr('fill', p.color)
          .attr('cx', showEnd ? x(end[0]) : 0)
          .attr('cy', showEnd ? y(end[1]) : 0);
      });
      const escapes = paths.flatMap((p) => {
        const exit = pathExit(p, view);
        return exit === undefined ? [] : [{ path: p, ...exit }];
      });
      labelLayer
        .selectAll<SVGTextElement, (typeof escapes)[number]>('text')
        .data(escapes, (e) => e.path.key)
        .join('text')
        .attr('class', 'exit-label')
        .attr('data-series', (e) => e.path.key)
        .attr('x', (e) => Math.min(WIDTH - MARGIN.right - 4, Math.max(MARGIN.left + 4, x(e.at[0]))))
        .attr(
          'y',
          (e, i) => Math.min(HEIGHT - MARGIN.bottom - 6, Math.max(MARGIN.top + 14, y(e.at[1]))) + 16 * i,
        )
        .attr('text-anchor', (e) => (x(e.at[0]) > WIDTH / 2 ? 'end' : 'start'))
        .style('fill', (e) => e.path.color)
        .text((e) => (paths.length > 1 ? `${e.path.label}: ${e.reason}` : e.reason));
      const longest = Math.max(0, ...paths.map((p) => p.points.length - 1));
      root.dataset.steps = String(longest);
      root.dataset.diverged = String(paths.some((p) => p.diverged === true));
    },
    drawStep(step) {
      if (step === null || !inView(step.from)) {
        for (const node of [stepArrow, nextPoint, gradientArrow, gradientLabel, stepLabel]) {
          node.attr('display', 'none');
        }
        return;
      }
      const clipped = clipPolyline([step.from, step.to], viewBox()).runs[0] ?? [step.from, step.from];
      const end = clipped[clipped.length - 1];
      const [fx, fy] = [x(step.from[0]), y(step.from[1])];
      stepArrow
        .attr('display', null)
        .attr('stroke', step.color)
        .attr('x1', fx)
        .attr('y1', fy)
        .attr('x2', x(end[0]))
        .attr('y2', y(end[1]));
      const stepLength = Math.hypot(x(end[0]) - fx, y(end[1]) - fy);
      stepLabel
        .attr('display', stepLength > 14 ? null : 'none')
        .attr('x', (fx + x(end[0])) / 2 + 6)
        .attr('y', (fy + y(end[1])) / 2 - 6)
        .style('fill', step.color)
        .text('step');
      nextPoint
        .attr('display', inView(step.to) ? null : 'none')
        .attr('stroke', step.color)
        .attr('cx', x(step.to[0]))
        .attr('cy', y(step.to[1]));
      // The −∇f direction at a fixed on-screen length: where plain descent points, whatever its scale.
      const gx = -step.grad[0] * (x(1) - x(0));
      const gy = -step.grad[1] * (y(1) - y(0));
      const norm = Math.hypot(gx, gy);
      const length = 36;
      const [tx, ty] = norm > 0 ? [fx + (gx / norm) * length, fy + (gy / norm) * length] : [fx, fy];
      gradientArrow
        .attr('display', norm > 0 ? null : 'none')
        .attr('x1', fx)
        .attr('y1', fy)
        .attr('x2', tx)
        .attr('y2', ty);
      gradientLabel
        .attr('display', norm > 0 ? null : 'none')
        .attr('x', tx + (tx >= fx ? 4 : -4))
        .attr('y', ty + (ty >= fy ? 12 : -4))
        .attr('text-anchor', tx >= fx ? 'start' : 'end')
        .text('−∇f');
    },
    drawEllipses(ellipses) {
      const sx = x(1) - x(0);
      const sy = y(0) - y(1);
      const isCurrent = (e: StepEllipse, i: number): boolean => e.current ?? i === ellipses.length - 1;
      ellipseLayer
        .selectAll('ellipse')
        .data(ellipses)
        .join('ellipse')
        .attr('class', (e, i) => (isCurrent(e, i) ? 'step-ellipse current' : 'step-ellipse'))
        .style('stroke', (e) => e.color ?? null)
        .style('fill', (e, i) => (e.color !== undefined && isCurrent(e, i) ? e.color : null))
        // A turned ellipse is drawn in data units under the panel's scales (x and y scale differently,
        // so turning it in pixels would be wrong); its stroke keeps its width in pixels.
        .attr('transform', (e) =>
          e.angle === undefined
            ? null
            : `translate(${x(e.center[0])},${y(e.center[1])}) scale(${sx},${-sy}) rotate(${(e.angle * 180) / Math.PI})`,
        )
        .attr('vector-effect', (e) => (e.angle === undefined ? null : 'non-scaling-stroke'))
        .attr('cx', (e) => (e.angle === undefined ? x(e.center[0]) : 0))
        .attr('cy', (e) => (e.angle === undefined ? y(e.center[1]) : 0))
        .attr('rx', (e) =>
          e.angle === undefined ? Math.min(e.rx * sx, 4 * WIDTH) : Math.min(e.rx, (4 * WIDTH) / sx),
        )
        .attr('ry', (e) =>
          e.angle === undefined ? Math.min(e.ry * sy, 4 * HEIGHT) : Math.min(e.ry, (4 * HEIGHT) / sy),
        );
    },
  };
}
