/** Turning decoded model files back into models, and checking a model fits what a command asks. */
import { LinearLearner } from './linear.js';
import { MlpRegressor } from './mlp.js';
import { ModelFileError } from './model-format.js';
import type { SavedModel } from './saved.js';

export type Model = LinearLearner | MlpRegressor;

/** The model a SavedModel describes; a header that does not fit is a 'corrupt' ModelFileError. */
export function modelFromSaved(saved: SavedModel, path?: string): Model {
  try {
    return saved.kind === 'linear' ? LinearLearner.fromSaved(saved) : MlpRegressor.fromSaved(saved);
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(
      'corrupt',
      `the model file's contents do not make a model: ${(e as Error).message}`,
      path,
    );
  }
}

/**
 * Throws a ModelFileError ('incompatible') naming the first requested option the model was not
 * trained with, e.g. `the model was trained with bits 18, but bits 20 was requested`. Options left
 * undefined are not checked; `model: 'linear' | 'mlp'` checks the kind.
 */
export function checkCompatible(model: Model, requested: Record<string, unknown>, path?: string): void {
  const kind = model instanceof LinearLearner ? 'linear' : 'mlp';
  const options = model.options as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(requested)) {
    if (value === undefined) continue;
    if (key === 'model') {
      if (value !== kind) {
        throw new ModelFileError(
          'incompatible',
          `the model is a ${kind} model, but a ${String(value)} model was requested`,
          path,
        );
      }
      continue;
    }
    if (!(key in options)) {
      throw new ModelFileError(
        'incompatible',
        `a ${kind} model has no option '${key}' (requested ${JSON.stringify(value)})`,
        path,
      );
    }
    if (options[key] !== value) {
      throw new ModelFileError(
        'incompatible',
        `the model was trained with ${key} ${JSON.stringify(options[key])}, but ${key} ${JSON.stringify(value)} was requested`,
        path,
      );
    }
  }
}
