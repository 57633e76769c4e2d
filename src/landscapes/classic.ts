import type { Landscape } from './types.js';

/** Rosenbrock (1960): a curved, nearly flat banana valley; minimum 0 at (1, 1). */
export const rosenbrock: Landscape = {
  id: 'rosenbrock',
  name: 'Rosenbrock',
  description: 'A curved banana-shaped valley: easy to find, slow to follow to (1, 1).',
  tex: 'f(x, y) = (1 - x)^2 + 100\\,(y - x^2)^2',
  f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  minima: [[1, 1]],
  minValue: 0,
  view: { x: [-2, 2], y: [-1, 3] },
  defaultStart: [-1.5, 2.5],
};

/** Beale: flat plateaus and sharp ridges; minimum 0 at (3, 0.5). */
export const beale: Landscape = {
  id: 'beale',
  name: 'Beale',
  description: 'Wide flat plateaus next to steep ridges: the gradient scale varies enormously.',
  tex: 'f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2',
  f(x, y) {
    const a = 1.5 - x + x * y;
    const b = 2.25 - x + x * y * y;
    const c = 2.625 - x + x * y * y * y;
    return a * a + b * b + c * c;
  },
  grad(x, y) {
    const a = 1.5 - x + x * y;
    const b = 2.25 - x + x * y * y;
    const c = 2.625 - x + x * y * y * y;
    return [
      2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1),
      2 * a * x + 2 * b * (2 * x * y) + 2 * c * (3 * x * y * y),
    ];
  },
  minima: [[3, 0.5]],
  minValue: 0,
  view: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
  defaultStart: [1, 1.5],
};

/** Himmelblau: four minima of value 0; where you end depends on where you start. */
export const himmelblau: Landscape = {
  id: 'himmelblau',
  name: 'Himmelblau',
  description: 'Four equal minima: the start point and the optimizer decide which one wins.',
  tex: 'f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2',
  f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
  grad(x, y) {
    const a = x * x + y - 11;
    const b = x + y * y - 7;
    return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
  },
  // (3, 2) is exact; the other three are roots of a quartic, given here to double precision.
  minima: [
    [3, 2],
    [-2.805118086952745, 3.131312518250573],
    [-3.779310253377747, -3.28318599128617],
    [3.584428340330492, -1.848126526964404],
  ],
  minValue: 0,
  view: { x: [-5, 5], y: [-5, 5] },
  defaultStart: [0, -0.5],
};

/**
 * A saddle at the origin between two wells: f = ½x² + ¼y⁴ - ½y², minima (0, ±1) of value -¼.
 * Started near y = 0 the y gradient is tiny: SGD lingers on the saddle, while AdaGrad's first step
 * has length lr in every coordinate with any gradient at all, and escapes at once.
 */
export const saddle: Landscape = {
  id: 'saddle',
  name: 'Saddle',
  description: 'A saddle between two wells: a tiny gradient that AdaGrad’s normalisation amplifies.',
  tex: 'f(x, y) = \\tfrac12 x^2 + \\tfrac14 y^4 - \\tfrac12 y^2',
  f: (x, y) => 0.5 * x * x + 0.25 * y ** 4 - 0.5 * y * y,
  grad: (x, y) => [x, y * y * y - y],
  minima: [
    [0, 1],
    [0, -1],
  ],
  minValue: -0.25,
  view: { x: [-2, 2], y: [-2, 2] },
  defaultStart: [-1.8, 0.02],
};
