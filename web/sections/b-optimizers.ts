// The optimizers sections 4-6 race, as trace() factories of the library's own classes, with the
// palette variables of the page's stylesheet.
import { Adadelta, Adagrad, Adam, RMSprop, SGD, type OptimizerFactory } from '../../src/index.js';

export type RaceOptimizer = 'sgd' | 'adagrad' | 'rmsprop' | 'adadelta' | 'adam';

export interface OptimizerInfo {
  id: RaceOptimizer;
  label: string;
  /** A CSS colour from the page palette, with a fallback for a page without the stylesheet. */
  color: string;
  factory(lr: number): OptimizerFactory;
}

export const OPTIMIZERS: Readonly<Record<RaceOptimizer, OptimizerInfo>> = {
  sgd: {
    id: 'sgd',
    label: 'SGD',
    color: 'var(--sgd, #1f77b4)',
    factory:
      (lr) =>
      ({ xy }) =>
        new SGD({ xy }, { lr }),
  },
  adagrad: {
    id: 'adagrad',
    label: 'AdaGrad',
    color: 'var(--adagrad, #d62728)',
    factory:
      (lr) =>
      ({ xy }) =>
        new Adagrad({ xy }, { lr }),
  },
  rmsprop: {
    id: 'rmsprop',
    label: 'RMSprop',
    color: 'var(--rmsprop, #2ca02c)',
    factory:
      (lr) =>
      ({ xy }) =>
        new RMSprop({ xy }, { lr }),
  },
  adadelta: {
    id: 'adadelta',
    label: 'Adadelta',
    color: 'var(--adadelta, #9467bd)',
    factory:
      (lr) =>
      ({ xy }) =>
        new Adadelta({ xy }, { lr }),
  },
  adam: {
    id: 'adam',
    label: 'Adam',
    color: 'var(--adam, #ff7f0e)',
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

const SUPERSCRIPTS: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** A number for captions: three significant digits, or scientific notation when tiny or huge. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) {
    const [mantissa, exponent] = v.toExponential(1).split('e');
    const superscript = [...String(Number(exponent))].map((c) => SUPERSCRIPTS[c] ?? c).join('');
    return `${mantissa}×10${superscript}`;
  }
  return String(Number(v.toPrecision(3)));
}
