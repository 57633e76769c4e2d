// The optimizers the lesson runs on its landscapes, as trace() factories of the library's own classes,
// each with its one colour: the palette variables of the page's stylesheet.
import {
  Adadelta,
  Adagrad,
  Adam,
  FullMatrixAdagrad,
  RMSprop,
  SGD,
  type OptimizerFactory,
} from '../../src/index.js';

export type RaceOptimizer = 'sgd' | 'adagrad' | 'fullMatrix' | 'rmsprop' | 'adadelta' | 'adam';

export interface OptimizerInfo {
  id: RaceOptimizer;
  label: string;
  /** A CSS colour from the page palette: the same for this optimizer in every figure. */
  color: string;
  factory(lr: number): OptimizerFactory;
}

export const OPTIMIZERS: Readonly<Record<RaceOptimizer, OptimizerInfo>> = {
  sgd: {
    id: 'sgd',
    label: 'SGD',
    color: 'var(--sgd)',
    factory:
      (lr) =>
      ({ xy }) =>
        new SGD({ xy }, { lr }),
  },
  adagrad: {
    id: 'adagrad',
    label: 'AdaGrad',
    color: 'var(--adagrad)',
    factory:
      (lr) =>
      ({ xy }) =>
        new Adagrad({ xy }, { lr }),
  },
  fullMatrix: {
    id: 'fullMatrix',
    label: 'Full-matrix AdaGrad',
    color: 'var(--full-matrix)',
    factory:
      (lr) =>
      ({ xy }) =>
        new FullMatrixAdagrad({ xy }, { lr }),
  },
  rmsprop: {
    id: 'rmsprop',
    label: 'RMSprop',
    color: 'var(--rmsprop)',
    factory:
      (lr) =>
      ({ xy }) =>
        new RMSprop({ xy }, { lr }),
  },
  adadelta: {
    id: 'adadelta',
    label: 'Adadelta',
    color: 'var(--adadelta)',
    factory:
      (lr) =>
      ({ xy }) =>
        new Adadelta({ xy }, { lr }),
  },
  adam: {
    id: 'adam',
    label: 'Adam',
    color: 'var(--adam)',
    factory:
      (lr) =>
      ({ xy }) =>
        new Adam({ xy }, { lr }),
  },
};

/** Distance from a point to the nearest of a landscape's minima. */
export function distanceToNearest(
  point: readonly [number, number],
  minima: ReadonlyArray<readonly [number, number]>,
): number {
  let best = Infinity;
  for (const [mx, my] of minima) best = Math.min(best, Math.hypot(point[0] - mx, point[1] - my));
  return best;
}

/** One colour per coordinate, in every chart that draws x and y apart (never an optimizer's colour). */
export const COORDINATE_COLORS = { x: 'var(--coord-x)', y: 'var(--coord-y)' } as const;
