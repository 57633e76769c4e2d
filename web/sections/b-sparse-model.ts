// Section 4b's figure data: the y gradient dropped with probability p from a seeded stream (trace's
// sparsity option), SGD beside AdaGrad, and AdaGrad's effective rates with and without the drops.
import { trace, valley, type Landscape, type Trace, type Vec2 } from '../../src/index.js';
import { OPTIMIZERS } from './b-optimizers.js';

export interface SparseSettings {
  /** Probability of zeroing the y gradient in a step. */
  p: number;
  seed: number;
  sgdLr: number;
  adagradLr: number;
  steps: number;
  start?: Vec2;
}

export interface SparseFigure {
  landscape: Landscape;
  sgd: Trace;
  adagrad: Trace;
  /** AdaGrad with every gradient kept (p = 0), the dashed reference. */
  adagradDense: Trace;
  lrX: number[];
  lrY: number[];
  denseLrX: number[];
  denseLrY: number[];
  /** Steps whose y gradient was zeroed. */
  dropped: number;
}

export function sparseFigure(s: SparseSettings, landscape: Landscape = valley): SparseFigure {
  const start = s.start ?? landscape.defaultStart;
  const options = { sparsity: s.p, seed: s.seed };
  const sgd = trace(OPTIMIZERS.sgd.factory(s.sgdLr), landscape, start, s.steps, options);
  const adagrad = trace(OPTIMIZERS.adagrad.factory(s.adagradLr), landscape, start, s.steps, options);
  const adagradDense = trace(OPTIMIZERS.adagrad.factory(s.adagradLr), landscape, start, s.steps, {
    sparsity: 0,
    seed: s.seed,
  });
  return {
    landscape,
    sgd,
    adagrad,
    adagradDense,
    lrX: adagrad.steps.map((t) => t.effectiveLr[0]),
    lrY: adagrad.steps.map((t) => t.effectiveLr[1]),
    denseLrX: adagradDense.steps.map((t) => t.effectiveLr[0]),
    denseLrY: adagradDense.steps.map((t) => t.effectiveLr[1]),
    dropped: adagrad.steps.filter((t) => t.droppedY).length,
  };
}

/** The caption, generated from the run: how often y got a gradient, and what that did to its rate. */
export function sparseCaption(f: SparseFigure): string {
  const n = f.adagrad.steps.length;
  if (n === 0) return 'No steps taken.';
  const last = n - 1;
  const kept = n - f.dropped;
  const ratio = f.lrY[last] / f.denseLrY[Math.min(last, f.denseLrY.length - 1)];
  const rare =
    f.dropped === 0
      ? 'Every step has a y gradient, so this is the dense run.'
      : `y got a gradient in only ${kept} of ${n} steps, so its accumulator G_y grew from ${kept} squares instead of ${n}: its effective learning rate ends ${ratio.toFixed(2)} times the dense run's.`;
  return `${rare} AdaGrad keeps a large step for the rare coordinate; SGD's single rate cannot tell rare from frequent.`;
}
