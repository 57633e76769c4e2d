// The rest of AdaGrad's family against the shared reference trajectories (test/data/adagrad-family.json,
// from shared/fixtures): the papers' formulas in float64, to 1e-12 relative (1e-8 for full-matrix, whose
// steps go through an eigendecomposition), and PyTorch's own SparseAdam in float32, bit for bit. Every
// case runs on both kernel paths.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  AdagradDA,
  AdagradNorm,
  Ftrl,
  FullMatrixAdagrad,
  SparseAdam,
  type FloatArray,
  type Gradient,
  type Optimizer,
} from '../src/index.js';
import { kernelPaths, useKernelPath } from './kernel-paths.js';

interface FamilyCase {
  name: string;
  algorithm: 'fullMatrix' | 'compositeL1' | 'rdaL1' | 'ftrl' | 'adagradNorm' | 'sparseAdam';
  options: Record<string, number | number[]>;
  dtype: 'float64' | 'float32';
  params: number[];
  grads: Array<number[] | { indices: number[]; values: number[] }>;
  trajectory: number[][];
}

const cases = (
  JSON.parse(readFileSync(new URL('./data/adagrad-family.json', import.meta.url), 'utf8')) as {
    cases: FamilyCase[];
  }
).cases;

type AnyOptimizer = Optimizer<{ checkFinite: boolean }>;

/** The library's optimizer for a case, the papers' option names translated to the library's. */
function optimizerFor(c: FamilyCase, w: FloatArray): AnyOptimizer {
  const o = c.options as Record<string, number>;
  switch (c.algorithm) {
    case 'compositeL1':
      return new Adagrad({ w }, { lr: o.lr, eps: o.delta, l1: o.l1 });
    case 'rdaL1':
      return new AdagradDA({ w }, { lr: o.lr, eps: o.delta, l1: o.l1 });
    case 'ftrl':
      return new Ftrl({ w }, { lr: o.alpha, beta: o.beta, l1: o.l1, l2: o.l2 });
    case 'adagradNorm':
      return new AdagradNorm({ w }, { lr: o.lr, initialAccumulatorValue: o.b0 * o.b0 });
    case 'fullMatrix':
      return new FullMatrixAdagrad({ w }, { lr: o.lr, eps: o.delta });
    case 'sparseAdam':
      return new SparseAdam({ w }, c.options as { lr: number; betas?: [number, number]; eps?: number });
  }
}

const tolerance = (c: FamilyCase): number =>
  c.dtype === 'float32' ? 0 : c.algorithm === 'fullMatrix' ? 1e-8 : 1e-12;

/** The first value off by more than `rel` relative (an expected exact zero must be exactly zero). */
function firstMiss(got: number[][], expected: number[][], rel: number): string | null {
  for (let t = 0; t < expected.length; t++) {
    for (let i = 0; i < expected[t].length; i++) {
      const e = expected[t][i];
      const a = got[t][i];
      if (!(Math.abs(a - e) <= rel * Math.abs(e))) {
        return `step ${t + 1}, coordinate ${i}: got ${a}, expected ${e}`;
      }
    }
  }
  return null;
}

const gradient = (g: FamilyCase['grads'][number], dtype: FamilyCase['dtype']): Gradient => {
  const typed = (v: number[]) => (dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v));
  return Array.isArray(g) ? typed(g) : { indices: g.indices, values: typed(g.values) };
};

describe.each(kernelPaths)('the family on the %s kernels', (path) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    useKernelPath(path);
    const w = c.dtype === 'float32' ? Float32Array.from(c.params) : Float64Array.from(c.params);
    const opt = optimizerFor(c, w);
    const got: number[][] = [];
    for (const g of c.grads) {
      opt.step({ w: gradient(g, c.dtype) });
      got.push(Array.from(w));
    }
    expect(got).toHaveLength(c.trajectory.length);
    expect(firstMiss(got, c.trajectory, tolerance(c))).toBeNull();
  });

  it('the fixture holds every algorithm of the family', () => {
    const algorithms = new Set(cases.map((c) => c.algorithm));
    expect([...algorithms].sort()).toEqual(
      ['adagradNorm', 'compositeL1', 'ftrl', 'fullMatrix', 'rdaL1', 'sparseAdam'].sort(),
    );
  });
});
