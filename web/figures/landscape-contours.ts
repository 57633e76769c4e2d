// The contours a landscape panel draws: from the build for the landscapes of the page's first view
// (web/contours-prerender.ts contours them with contours.ts through the panel's own scales, panel-frame.ts), computed
// here for any other (a landscape the reader picks, or one a shared link names). Contouring a fixed
// function is not the library's output; the build does it once instead of every visitor at every load.
import prerendered from 'virtual:landscape-contours';
import type { ScaleLinear } from 'd3-scale';
import type { Landscape } from '../../src/index.js';
import { computeContours, contoursKey, type LandscapeContours } from './contours.js';

/** The landscape's contours through these scales, and whether the build made them or the page did. */
export function landscapeContours(
  landscape: Landscape,
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number>,
): LandscapeContours & { source: 'build' | 'page' } {
  const built = prerendered[contoursKey(landscape, x, y)];
  if (built !== undefined) return { ...built, source: 'build' };
  return { ...computeContours(landscape, x, y), source: 'page' };
}
