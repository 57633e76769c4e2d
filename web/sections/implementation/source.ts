// The AdaGrad code the page runs, as text. The landscapes' float64 parameters and the training
// demo's float64 weights always take the plain-TypeScript reference kernels, so these two functions
// are exactly the arithmetic behind every AdaGrad figure on the page.
import referenceSource from '../../../src/kernels/reference.ts?raw';
import adagradSource from '../../../src/optim/adagrad.ts?raw';
import plainUpdateText from './plain-update.ts?raw';
import { extractFunction, type ExtractedFunction } from './extract.js';

export interface ShownSource extends ExtractedFunction {
  /** Repository path of the file the text comes from. */
  file: string;
}

export const REFERENCE_KERNELS_FILE = 'src/kernels/reference.ts';

/** The dense and the sparse AdaGrad step of the reference kernels, cut from their real source. */
export function adagradStepSources(): { dense: ShownSource; sparse: ShownSource } {
  const file = REFERENCE_KERNELS_FILE;
  return {
    dense: { file, ...extractFunction(referenceSource, 'adagradDense', file) },
    sparse: { file, ...extractFunction(referenceSource, 'adagradSparse', file) },
  };
}

export const ADAGRAD_OPTIMIZER_FILE = 'src/optim/adagrad.ts';

/**
 * How Adagrad.step reaches the kernels: the per-step scalars (the decayed rate clr, the eps
 * placement of the chosen convention) and the sparse call, cut from the optimizer class.
 */
export function adagradGlueSources(): { scalars: ShownSource; applySparse: ShownSource } {
  const file = ADAGRAD_OPTIMIZER_FILE;
  return {
    scalars: { file, ...extractFunction(adagradSource, 'scalars', file) },
    applySparse: { file, ...extractFunction(adagradSource, 'applySparse', file) },
  };
}

export const PLAIN_UPDATE_FILE = 'web/sections/implementation/plain-update.ts';

/** The update as the lesson wrote it (checked equal to the library's step by a unit test). */
export function plainUpdateSource(): ShownSource {
  return { file: PLAIN_UPDATE_FILE, ...extractFunction(plainUpdateText, 'adagradStep', PLAIN_UPDATE_FILE) };
}
