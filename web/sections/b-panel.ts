// A landscape panel for sections 4 and 6: filled contours of f, optimizer paths clipped to the view,
// the minima, and a visible "diverged" / "left the view" label where a path escapes. SVG in a viewBox.
import { contours } from 'd3-contour';
import { scaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { line } from 'd3-shape';
import { contourPath, pathExit, type PanelLandscape, type PanelPath } from './b-panel-model.js';

export type { PanelLandscape, PanelPath } from './b-panel-model.js';

const WIDTH = 420;
const HEIGHT = 300;
const GRID_X = 84;
const GRID_Y = 60;
const LEVELS = 16;

let panelCounter = 0;

export interface LandscapePanel {
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  /** Redraws the paths (and the contours when the landscape changed); `start` gets a white dot. */
  update(landscape: PanelLandscape, paths: readonly PanelPath[], start?: readonly [number, number]): void;
}

export function landscapePanel(container: HTMLElement, title: string): LandscapePanel {
  panelCounter += 1;
  const clipId = `b-panel-clip-${panelCounter}`;
  const svg = select(container)
    .append('svg')
    .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`)
    .attr('class', 'b-panel')
    .attr('role', 'img')
    .attr('aria-label', title)
    .style('width', '100%')
    .style('height', 'auto');
  svg.append('clipPath').attr('id', clipId).append('rect').attr('width', WIDTH).attr('height', HEIGHT);
  const contourLayer = svg.append('g').attr('class', 'b-contours');
  const minimaLayer = svg.append('g').attr('class', 'b-minima');
  const pathLayer = svg.append('g').attr('clip-path', `url(#${clipId})`);
  const startLayer = svg.append('g').attr('class', 'b-start');
  const labelLayer = svg.append('g').attr('class', 'b-labels');
  let drawnContoursFor: PanelLandscape | undefined;

  const update = (
    landscape: PanelLandscape,
    paths: readonly PanelPath[],
    start?: readonly [number, number],
  ): void => {
    const {
      x: [x0, x1],
      y: [y0, y1],
    } = landscape.view;
    const sx = scaleLinear().domain([x0, x1]).range([0, WIDTH]);
    const sy = scaleLinear().domain([y0, y1]).range([HEIGHT, 0]);
    if (drawnContoursFor !== landscape) {
      drawContours(contourLayer, landscape);
      drawnContoursFor = landscape;
    }
    minimaLayer
      .selectAll('path')
      .data(landscape.minima.filter(([mx, my]) => mx >= x0 && mx <= x1 && my >= y0 && my <= y1))
      .join('path')
      .attr('d', 'M-5,-5L5,5M-5,5L5,-5')
      .attr('stroke', '#222')
      .attr('stroke-width', 2)
      .attr('transform', ([mx, my]) => `translate(${sx(mx)},${sy(my)})`);
    const draw = line<readonly [number, number]>()
      .x(([px]) => sx(px))
      .y(([, py]) => sy(py));
    pathLayer
      .selectAll<SVGPathElement, PanelPath>('path')
      .data(paths, (p) => p.key)
      .join('path')
      .attr('data-series', (p) => p.key)
      .attr('fill', 'none')
      .attr('stroke-width', 2.2)
      .attr('stroke-linejoin', 'round')
      .attr('stroke-dasharray', (p) => (p.dashed === true ? '6 4' : null))
      .style('stroke', (p) => p.color)
      .attr('d', (p) => draw(p.points.map(clampFar)) ?? '');
    const ends = paths.filter((p) => p.points.length > 0);
    pathLayer
      .selectAll<SVGCircleElement, PanelPath>('circle')
      .data(ends, (p) => p.key)
      .join('circle')
      .attr('r', 3.5)
      .style('fill', (p) => p.color)
      .attr('stroke', '#fff')
      .attr('cx', (p) => sx(p.points[p.points.length - 1][0]))
      .attr('cy', (p) => sy(p.points[p.points.length - 1][1]));
    startLayer
      .selectAll('circle')
      .data(start === undefined ? [] : [start])
      .join('circle')
      .attr('r', 5)
      .attr('fill', '#fff')
      .attr('stroke', '#222')
      .attr('stroke-width', 1.5)
      .attr('cx', ([px]) => sx(px))
      .attr('cy', ([, py]) => sy(py));
    const escapes = paths.flatMap((p) => {
      const exit = pathExit(p, landscape.view);
      return exit === undefined ? [] : [{ path: p, ...exit }];
    });
    labelLayer
      .selectAll<SVGTextElement, (typeof escapes)[number]>('text')
      .data(escapes, (e) => e.path.key)
      .join('text')
      .attr('class', 'b-escape')
      .attr('data-series', (e) => e.path.key)
      .attr('x', (e) => Math.min(Math.max(sx(e.at[0]), 40), WIDTH - 40))
      .attr('y', (e) => Math.min(Math.max(sy(e.at[1]), 16), HEIGHT - 8))
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .attr('font-weight', 'bold')
      .attr('paint-order', 'stroke')
      .attr('stroke', '#fff')
      .attr('stroke-width', 3)
      .style('fill', (e) => e.path.color)
      .text((e) => `${e.path.label}: ${e.reason}`);
  };
  return { svg, update };
}

/** Keeps far-away points finite for SVG (the clip path hides them anyway). */
function clampFar([x, y]: readonly [number, number]): readonly [number, number] {
  const far = 1e6;
  return [Math.min(Math.max(x, -far), far), Math.min(Math.max(y, -far), far)];
}

interface ContourShape {
  d: string;
  fill: string;
}

// Several panels show the same landscape (both panels of the sparse section, a landscape picked again):
// its contours are computed once per page.
const contourCache = new WeakMap<PanelLandscape, ContourShape[]>();

function drawContours(
  layer: Selection<SVGGElement, unknown, null, undefined>,
  landscape: PanelLandscape,
): void {
  let shapes = contourCache.get(landscape);
  if (shapes === undefined) {
    shapes = contourShapes(landscape);
    contourCache.set(landscape, shapes);
  }
  layer
    .selectAll('path')
    .data(shapes)
    .join('path')
    .attr('d', (c) => c.d)
    .attr('fill', (c) => c.fill)
    .attr('stroke', 'rgba(40, 60, 90, 0.18)')
    .attr('stroke-width', 0.6);
}

function contourShapes(landscape: PanelLandscape): ContourShape[] {
  const {
    x: [x0, x1],
    y: [y0, y1],
  } = landscape.view;
  const values = new Array<number>(GRID_X * GRID_Y);
  for (let j = 0; j < GRID_Y; j++) {
    // Row 0 is the top of the picture (largest y).
    const y = y1 - ((j + 0.5) / GRID_Y) * (y1 - y0);
    for (let i = 0; i < GRID_X; i++) {
      const x = x0 + ((i + 0.5) / GRID_X) * (x1 - x0);
      values[j * GRID_X + i] = landscape.f(x, y);
    }
  }
  // Levels evenly spaced in log(1 + f - fmin): the floor of a valley gets as many lines as its walls.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const squash = values.map((v) => (Number.isFinite(v) ? Math.log1p(v - lo) : Math.log1p(hi - lo)));
  const top = Math.log1p(hi - lo);
  const thresholds = Array.from({ length: LEVELS }, (_, k) => (top * k) / LEVELS);
  const colour = scaleLinear<string>().domain([0, top]).range(['#f4f7fb', '#5b7fa8']);
  const generator = contours().size([GRID_X, GRID_Y]).thresholds(thresholds);
  return generator(squash).map((c) => ({
    d: contourPath(c, WIDTH / GRID_X, HEIGHT / GRID_Y),
    fill: colour(c.value),
  }));
}
