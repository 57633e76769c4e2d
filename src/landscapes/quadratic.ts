import type { Landscape } from './types.js';

/**
 * f = ½(a·x² + b·y²): the stretched, axis-aligned valley of the lesson. With b/a = 100 the floor is
 * flat in x and the walls steep in y: plain gradient descent must keep lr < 2/b to stay stable in y,
 * and then crawls along x at 1 - lr·a per step. AdaGrad divides each axis by its own gradient history,
 * so both axes move at comparable speed. Axis-aligned on purpose: AdaGrad's scaling is diagonal.
 */
export function stretchedValley(a: number, b: number): Pick<Landscape, 'f' | 'grad'> {
  return {
    f: (x, y) => 0.5 * (a * x * x + b * y * y),
    grad: (x, y) => [a * x, b * y],
  };
}

export const valley: Landscape = {
  id: 'valley',
  name: 'Stretched valley',
  description: 'Steep in y, flat in x, axis-aligned: one learning rate cannot suit both directions.',
  tex: 'f(x, y) = \\tfrac12\\,(0.05\\,x^2 + 5\\,y^2)',
  ...stretchedValley(0.05, 5),
  minima: [[0, 0]],
  minValue: 0,
  view: { x: [-12, 4], y: [-3, 3] },
  defaultStart: [-10, 2],
};

/**
 * The same shape with the minimum far along a flatter floor: AdaGrad's accumulator keeps growing
 * while the iterate is still far away, its step shrinks like 1/√t, and it freezes short of the minimum.
 */
export const longValley: Landscape = {
  id: 'longValley',
  name: 'Long valley',
  description: 'A long, nearly flat floor: AdaGrad’s shrinking steps stall long before the minimum.',
  tex: 'f(x, y) = \\tfrac12\\,(0.01\\,x^2 + 4\\,y^2)',
  ...stretchedValley(0.01, 4),
  minima: [[0, 0]],
  minValue: 0,
  view: { x: [-60, 6], y: [-4, 4] },
  defaultStart: [-50, 3],
};

/**
 * f = ½(λ₁u² + λ₂v²) in coordinates (u, v) rotated by θ: the same conditioning as a valley, but its
 * axes are diagonal to x and y, so a per-coordinate (diagonal) step size cannot undo it.
 */
export function rotatedQuadratic(l1: number, l2: number, theta: number): Pick<Landscape, 'f' | 'grad'> {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return {
    f(x, y) {
      const u = c * x + s * y;
      const v = -s * x + c * y;
      return 0.5 * (l1 * u * u + l2 * v * v);
    },
    grad(x, y) {
      const u = c * x + s * y;
      const v = -s * x + c * y;
      // ∂f/∂x = λ₁u·∂u/∂x + λ₂v·∂v/∂x, with ∂u/∂x = c, ∂v/∂x = -s (and s, c for y).
      return [l1 * u * c - l2 * v * s, l1 * u * s + l2 * v * c];
    },
  };
}

export const rotated: Landscape = {
  id: 'rotated',
  name: 'Rotated valley',
  description: 'The stretched valley turned 45°: diagonal AdaGrad cannot see the steep direction.',
  tex: 'f = \\tfrac12\\,(0.05\\,u^2 + 5\\,v^2),\\; u = \\tfrac{x + y}{\\sqrt2},\\; v = \\tfrac{y - x}{\\sqrt2}',
  ...rotatedQuadratic(0.05, 5, Math.PI / 4),
  minima: [[0, 0]],
  minValue: 0,
  view: { x: [-8, 4], y: [-8, 4] },
  defaultStart: [-7, -5],
};
