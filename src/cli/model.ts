/**
 * The command's view of model files: src/learn's format (versioned, checksummed, atomic), plus what
 * the command records about how features were read, so `predict` reads its input the same way and
 * refuses options that disagree.
 */
import { LinearLearner } from '../learn/linear.js';
import type { LossName } from '../learn/losses.js';
import { MlpRegressor } from '../learn/mlp.js';
import { readModelFile, saveModel } from '../learn/node/model-file.js';
import { CliError } from './errors.js';

export type Model = LinearLearner | MlpRegressor;

/** Stored in the model file's `features` record. */
export interface FeatureRecord {
  /** libsvm, vw, csv or jsonl: how the training input was parsed. */
  format: string;
  bits: number;
  labelColumn?: string;
  /** CSV header names by feature index, when known. */
  featureNames?: string[];
  /** Complete passes over the training data, across --resume runs. */
  passes: number;
}

/**
 * Whether a finished run saves the weights alone. A sparse model (a linear model with l1 > 0) is
 * meant to be small, so it is saved as its nonzero weights unless --keep-state asks for the optimizer
 * state that --resume needs (FTRL's z and n exist for every feature ever seen: megabytes beside a
 * model of kilobytes); every other model keeps its state unless --weights-only. An interrupted run
 * always keeps it, so that it can be continued.
 */
export function savesWeightsOnly(
  model: Model,
  asked: { weightsOnly: boolean; keepState: boolean; interrupted?: boolean },
): boolean {
  if (asked.weightsOnly) return true;
  if (asked.keepState || asked.interrupted === true) return false;
  return model instanceof LinearLearner && model.options.l1 > 0;
}

/** A file size as people read it: bytes, KiB or MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export function saveCliModel(
  path: string,
  model: Model,
  features: FeatureRecord,
  readable?: string,
  weightsOnly = false,
): void {
  const names = features.featureNames;
  saveModel(path, model, {
    features: { ...features },
    weightsOnly,
    ...(readable === undefined ? {} : { readable }),
    ...(names === undefined
      ? {}
      : { featureNames: new Map(names.flatMap((name, i) => (name ? [[i, name] as const] : []))) }),
  });
}

export function loadCliModel(path: string): { model: Model; features: FeatureRecord } {
  const { model, features } = readModelFile(path);
  if (features === null || typeof features.format !== 'string' || typeof features.bits !== 'number') {
    throw new CliError(
      `${path}: the model file does not say how its features were read (not written by adagrad train)`,
    );
  }
  return { model, features: features as unknown as FeatureRecord };
}

/** The loss a model was trained with (the network's is squared error). */
export function lossOf(model: Model): LossName {
  return model instanceof LinearLearner ? model.options.loss : 'squared';
}

export function describeLink(loss: LossName): string {
  switch (loss) {
    case 'logistic':
      return 'logistic (sigmoid): predictions are probabilities of the positive class';
    case 'squared':
      return 'identity: predictions are values';
    case 'hinge':
      return 'identity: predictions are margins (positive: class +1)';
    case 'softmax':
      return 'softmax: predictions are the most probable class';
  }
}
