import { beale, himmelblau, rosenbrock, saddle } from './classic.js';
import { longValley, rotated, valley } from './quadratic.js';
import type { Landscape, LandscapeId } from './types.js';

/** Every landscape, in the order a picker shows them. */
export const LANDSCAPES: readonly Landscape[] = [
  valley,
  longValley,
  rotated,
  rosenbrock,
  beale,
  himmelblau,
  saddle,
];

export const LANDSCAPE_IDS: readonly LandscapeId[] = LANDSCAPES.map((l) => l.id);

export function getLandscape(id: LandscapeId): Landscape {
  const found = LANDSCAPES.find((l) => l.id === id);
  if (found === undefined) {
    throw new Error(
      `getLandscape: unknown landscape id '${String(id)}' (known: ${LANDSCAPE_IDS.join(', ')})`,
    );
  }
  return found;
}
