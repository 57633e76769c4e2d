// A Vite plugin that contours the landscapes of the page's first view at build time, as
// katex-prerender.ts typesets its formulas: it serves the module 'virtual:landscape-contours', a table
// from each landscape (through the landscape panel's scales) to its bands' levels and SVG path data,
// made by the same functions (figures/contours.ts) the page runs for any other landscape. The
// landscapes are fixed functions of this repository's source, not the optimizer library's output:
// every path an optimizer takes is still computed live in the page.
import type { Plugin } from 'vite';
import { longValley, rotated, valley, type Landscape } from '../src/index.js';
import { computeContours, contoursKey, type LandscapeContours } from './figures/contours.js';
import { panelScales } from './figures/panel-frame.js';
import { sideValley } from './sections/sparse/side-valley.js';

/**
 * The landscapes the page's figures show before the reader changes anything: Layers 1 and 2 and the
 * race (the valley), the flaw (the long valley), the sparse section (the valley on its side) and
 * "Beyond the diagonal" (the rotated valley). A browser test checks that every panel at load finds
 * its contours here.
 */
export const LANDSCAPES_AT_LOAD: readonly Landscape[] = [valley, longValley, rotated, sideValley];

/** The table the virtual module exports. */
export function contoursTable(landscapes: readonly Landscape[]): Record<string, LandscapeContours> {
  const table: Record<string, LandscapeContours> = {};
  for (const landscape of landscapes) {
    const { x, y } = panelScales(landscape.view);
    table[contoursKey(landscape, x, y)] = computeContours(landscape, x, y);
  }
  return table;
}

const VIRTUAL_ID = 'virtual:landscape-contours';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

export function contoursPrerender(): Plugin {
  return {
    name: 'adagrad-contours-prerender',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      return `export default ${JSON.stringify(contoursTable(LANDSCAPES_AT_LOAD))};\n`;
    },
  };
}
