// The sparse section's own landscape, no DOM: the stretched valley turned on its side. Its own module,
// so that the build (web/contours-prerender.ts) can contour it without the section's other imports.
import { stretchedValley, valley, type Landscape } from '../../../src/index.js';
import { declareTranspose } from '../../figures/contours.js';

/**
 * The stretched valley on its side, f = ½(5x² + 0.05y²): the library's stretchedValley with its axes
 * swapped. Now the rare coordinate y is the one with far to go on a gentle slope, as a rare word's
 * weight is: SGD's one rate is capped by the steep, frequent x, while AdaGrad sizes y's step by y's
 * own (small, rare) gradients.
 */
export const sideValley: Landscape = {
  ...valley,
  ...stretchedValley(5, 0.05),
  name: 'Valley on its side (rare y, far to go)',
  description: 'Steep in x, a long gentle floor in y: the rare coordinate is the one with far to go.',
  tex: 'f(x, y) = \\tfrac12\\,(5\\,x^2 + 0.05\\,y^2)',
  view: { x: [-3, 3], y: [-12, 4] },
  defaultStart: [2, -10],
};

// Its contours are the valley's, turned (the build contours it for the page's first view; this spares
// the work wherever else it is contoured).
declareTranspose(sideValley, valley);
