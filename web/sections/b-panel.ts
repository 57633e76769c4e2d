// A landscape panel for sections 4 and 6: filled contours of f, optimizer paths clipped to the view,
// the minima, and a visible "diverged" / "left the view" label where a path escapes. SVG in a viewBox.
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { line } from 'd3-shape';
import type { Landscape } from '../../src/index.js';
import { bandFill, bandPathData, landscapeBands } from '../lib/contours.js';
import { pathExit, type PanelPath } from './b-panel-model.js';

export type { PanelPath } from './b-panel-model.js';

const WIDTH = 420;
const HEIGHT = 300;

let panelCounter = 0;

export interface LandscapePanel {
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  /** Redraws the paths (and the contours when the landscape changed); `start` gets a white dot. */
  update(landscape: Landscape, paths: readonly PanelPath[], start?: readonly [number, number]): void;
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
  let drawnContoursFor: Landscape | undefined;

  const update = (
    landscape: Landscape,
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
      drawContours(contourLayer, landscape, sx, sy);
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

function drawContours(
  layer: Selection<SVGGElement, unknown, null, undefined>,
  landscape: Landscape,
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number>,
): void {
  const bands = landscapeBands(landscape);
  const paths = bandPathData(landscape, x, y);
  // Light at the minimum, so that four coloured paths stay readable on the floor of the valley.
  const fill = bandFill(bands, '#f4f7fb', '#5b7fa8');
  layer
    .selectAll('path')
    .data(bands)
    .join('path')
    .attr('d', (_band, i) => paths[i])
    .attr('fill', fill)
    .attr('stroke', 'rgba(40, 60, 90, 0.18)')
    .attr('stroke-width', 0.6);
}
