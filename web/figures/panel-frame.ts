// The landscape panel's frame: its viewBox and margins, and the scales from a landscape's view to it.
// Apart from the panel itself so that the build (web/contours-prerender.ts) draws contours through the
// very scales the page's panels use.
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { Landscape } from '../../src/index.js';

export const PANEL_WIDTH = 480;
export const PANEL_HEIGHT = 300;
export const PANEL_MARGIN = { top: 10, right: 10, bottom: 26, left: 36 } as const;

/** Data → SVG units for a view: x left to right inside the margins, y bottom to top. */
export function panelScales(view: Landscape['view']): {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
} {
  return {
    x: scaleLinear()
      .domain(view.x)
      .range([PANEL_MARGIN.left, PANEL_WIDTH - PANEL_MARGIN.right]),
    y: scaleLinear()
      .domain(view.y)
      .range([PANEL_HEIGHT - PANEL_MARGIN.bottom, PANEL_MARGIN.top]),
  };
}
