/**
 * What a model in the store is: its learner options, its optimizer (AdaGrad in any of the learner's
 * conventions, or FTRL-Proximal) and its block size. Written once by `init`; every worker and every
 * later `init` or `train` with the same name must agree with it.
 */
import { DEFAULT_LR, resolveLearnerOptions } from '../learn/options.js';
import type { AdagradPreset } from '../optim/index.js';
import { StoreError } from './errors.js';

export type StoreOptimizer = 'adagrad' | 'ftrl';
export type StoreLoss = 'logistic' | 'squared' | 'hinge';

export interface ModelSpec {
  loss: StoreLoss;
  bits: number;
  optimizer: StoreOptimizer;
  /** AdaGrad's learning rate, or FTRL's α. */
  lr: number;
  /** AdaGrad only (the learner's conventions). */
  preset: AdagradPreset;
  eps: number;
  initialAccumulatorValue: number;
  /** FTRL only: β, ℓ1, ℓ2 (McMahan et al. 2013). */
  beta: number;
  l1: number;
  l2: number;
  /** Coordinates per Redis key (a power of two). */
  blockSize: number;
}

export type ModelSpecInput = Partial<ModelSpec>;

/**
 * Coordinates per block, measured by `npm run bench:ps` (docs/parameter-store.md): Redis's work per
 * pushed coordinate hardly depends on it, but each block is one command per fetch and per push for
 * the client to route, encode and answer; 4,096 (64 keys at 2^18 weights) cost 2 workers on the spam
 * export a tenth less CPU than 1,024, and 8,192 no less than 4,096.
 */
export const DEFAULT_BLOCK_SIZE = 4096;
/** FTRL's defaults: the learner's α, β = 1 as in the paper and the library's paper preset, no penalty. */
export const FTRL_DEFAULTS = { lr: DEFAULT_LR.ftrl, beta: 1, l1: 0, l2: 0 } as const;

const STORE_LOSSES: readonly string[] = ['logistic', 'squared', 'hinge'];

/** Fills in defaults (the learner's for AdaGrad) and checks every option, naming the bad one. */
export function resolveModelSpec(input: ModelSpecInput): ModelSpec {
  const optimizer = input.optimizer ?? 'adagrad';
  if (optimizer !== 'adagrad' && optimizer !== 'ftrl') {
    throw new StoreError(`--optimizer: the parameter store runs adagrad or ftrl, not ${String(optimizer)}`);
  }
  const loss = input.loss ?? 'logistic';
  if (!STORE_LOSSES.includes(loss)) {
    throw new StoreError(
      `--loss: the parameter store trains logistic, squared or hinge, not ${String(loss)}`,
    );
  }
  const blockSize = input.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (
    !Number.isInteger(blockSize) ||
    blockSize < 1 ||
    blockSize > 65536 ||
    (blockSize & (blockSize - 1)) !== 0
  ) {
    throw new StoreError(`--block-size must be a power of two from 1 to 65536, got ${blockSize}`);
  }
  if (optimizer === 'adagrad') {
    const o = resolveLearnerOptions({
      loss,
      bits: input.bits,
      optimizer: 'adagrad',
      preset: input.preset,
      lr: input.lr,
      ...(input.eps === undefined ? {} : { eps: input.eps }),
      ...(input.initialAccumulatorValue === undefined
        ? {}
        : { initialAccumulatorValue: input.initialAccumulatorValue }),
    });
    return {
      loss,
      bits: o.bits,
      optimizer,
      lr: o.lr,
      preset: o.preset,
      eps: o.eps,
      initialAccumulatorValue: o.initialAccumulatorValue,
      beta: 0,
      l1: 0,
      l2: 0,
      blockSize,
    };
  }
  const bits = resolveLearnerOptions({ loss, bits: input.bits }).bits;
  const positive = (name: string, v: number, strict: boolean): number => {
    if (!Number.isFinite(v) || v < 0 || (strict && v === 0)) {
      throw new StoreError(`--${name} must be a finite number ${strict ? '>' : '>='} 0, got ${v}`);
    }
    return v;
  };
  return {
    loss,
    bits,
    optimizer,
    lr: positive('lr', input.lr ?? FTRL_DEFAULTS.lr, true),
    preset: 'pytorch',
    eps: 0,
    initialAccumulatorValue: 0,
    beta: positive('beta', input.beta ?? FTRL_DEFAULTS.beta, false),
    l1: positive('l1', input.l1 ?? FTRL_DEFAULTS.l1, false),
    l2: positive('l2', input.l2 ?? FTRL_DEFAULTS.l2, false),
    blockSize,
  };
}

/** The first option where a stored model and a requested one differ, or undefined. */
export function firstDifference(stored: ModelSpec, asked: ModelSpec): string | undefined {
  for (const key of Object.keys(stored) as (keyof ModelSpec)[]) {
    if (stored[key] !== asked[key]) {
      return `${key} ${String(stored[key])} (asked: ${String(asked[key])})`;
    }
  }
  return undefined;
}

/** Weights and state per block, in float32 sections: w, then G (AdaGrad) or z and n (FTRL). */
export function sectionsOf(spec: ModelSpec): number {
  return spec.optimizer === 'ftrl' ? 3 : 2;
}

/** The learned coordinates: 2^bits weights, then the bias. */
export function coordinatesOf(spec: ModelSpec): number {
  return 2 ** spec.bits + 1;
}

export function blockCountOf(spec: ModelSpec): number {
  return Math.ceil(coordinatesOf(spec) / spec.blockSize);
}
