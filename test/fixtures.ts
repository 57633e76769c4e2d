// Loads the PyTorch parity fixtures (copied from shared/fixtures) and builds optimizers from them.
import { readFileSync } from 'node:fs';
import { OPTIMIZERS, type Gradient, type Optimizer, type OptimizerName } from '../src/index.js';

export interface TorchCase {
  name: string;
  optimizer: 'Adagrad' | 'SGD' | 'RMSprop' | 'Adam' | 'AdamW' | 'Adadelta';
  kwargs: Record<string, unknown>;
  sparse: boolean;
  params: number[];
  grads: Array<number[] | { indices: number[]; values: number[] }>;
  trajectory: number[][];
}

export interface ConventionCase {
  convention: 'keras' | 'tfjs' | 'optax' | 'paper';
  options: Record<string, unknown>;
  params: number[];
  grads: number[][];
  trajectory: number[][];
}

export interface PublishedCase {
  source: string;
  convention: 'keras' | 'tfjs' | 'optax' | 'paper';
  options: Record<string, unknown>;
  objective?: 'sum(x^2)';
  params: number[];
  grads?: number[][];
  trajectory?: number[][];
  trajectory_last?: number[];
  tolerance: number;
}

const load = <T>(file: string): T =>
  JSON.parse(readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')) as T;

export const torchCases = load<{ cases: TorchCase[] }>('torch-optim-parity.json').cases;
const conventions = load<{ cases: ConventionCase[]; published: PublishedCase[] }>('adagrad-conventions.json');
export const conventionCases = conventions.cases;
export const publishedCases = conventions.published;

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export function camelOptions(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camel(k), v]));
}

type AnyOptimizer = Optimizer<{ checkFinite: boolean }>;

export function makeOptimizer(
  optimizer: TorchCase['optimizer'],
  params: { w: Float32Array },
  options: Record<string, unknown>,
): AnyOptimizer {
  // PyTorch's class names are the library's optimizer names, capitalized.
  const Optimizer = OPTIMIZERS[optimizer.toLowerCase() as OptimizerName];
  return new Optimizer(params, options as never);
}

export const toGradient = (g: TorchCase['grads'][number]): Gradient =>
  Array.isArray(g) ? Float32Array.from(g) : { indices: g.indices, values: Float32Array.from(g.values) };

/** The parity tolerance of the issue: 1e-5 relative, 1e-6 absolute. */
export function close(actual: number, expected: number, rel = 1e-5, abs = 1e-6): boolean {
  return Math.abs(actual - expected) <= abs + rel * Math.abs(expected);
}
