/** A point or vector in the plane. */
export type Vec2 = [number, number];

/** A 2-D test function with its analytic gradient, used by the explainer and by trace(). */
export interface Landscape {
  /** A short stable identifier (used in URLs). */
  id: LandscapeId;
  /** A human-readable name. */
  name: string;
  /** One sentence on what the landscape shows about optimizers. */
  description: string;
  /** The formula in TeX, for display. */
  tex: string;
  f(x: number, y: number): number;
  grad(x: number, y: number): Vec2;
  /** Every local minimum the view shows (the global ones first). */
  minima: Vec2[];
  /** The lowest value of f: contour levels are spaced on log(f - minValue). */
  minValue: number;
  /** A view box that frames the minima and the default start. */
  view: { x: Vec2; y: Vec2 };
  defaultStart: Vec2;
}

export type LandscapeId =
  'valley' | 'longValley' | 'rotated' | 'rosenbrock' | 'beale' | 'himmelblau' | 'saddle';
