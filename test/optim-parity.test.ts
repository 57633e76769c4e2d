import { describe, expect, it } from 'vitest';
import { Adagrad } from '../src/index.js';
import {
  camelOptions,
  close,
  conventionCases,
  makeOptimizer,
  publishedCases,
  toGradient,
  torchCases,
} from './fixtures.js';
import { kernelPaths, useKernelPath } from './kernel-paths.js';

/** Runs a trajectory and returns the first step/coordinate that misses the fixture, or null. */
function firstMiss(actual: number[][], expected: number[][], tol?: number): string | null {
  for (let t = 0; t < expected.length; t++) {
    for (let i = 0; i < expected[t].length; i++) {
      const ok =
        tol === undefined
          ? close(actual[t][i], expected[t][i])
          : Math.abs(actual[t][i] - expected[t][i]) <= tol;
      if (!ok) return `step ${t + 1}, coordinate ${i}: got ${actual[t][i]}, expected ${expected[t][i]}`;
    }
  }
  return null;
}

describe.each(kernelPaths)('parity on the %s kernels', (path) => {
  it.each(torchCases.map((c) => [c.name, c] as const))('PyTorch %s', (_name, c) => {
    useKernelPath(path);
    const w = Float32Array.from(c.params);
    const opt = makeOptimizer(c.optimizer, { w }, camelOptions(c.kwargs));
    const got: number[][] = [];
    for (const g of c.grads) {
      opt.step({ w: toGradient(g) });
      got.push(Array.from(w));
    }
    expect(got).toHaveLength(c.trajectory.length);
    expect(firstMiss(got, c.trajectory)).toBeNull();
    // Both paths are bit-for-bit: every float32 value equals PyTorch's.
    expect(firstMiss(got, c.trajectory, 0)).toBeNull();
  });

  it.each(conventionCases.map((c, i) => [`${c.convention} #${i}`, c] as const))('convention %s', (_n, c) => {
    useKernelPath(path);
    const w = Float32Array.from(c.params);
    const opt = new Adagrad({ w }, { preset: c.convention, ...c.options });
    const got: number[][] = [];
    for (const g of c.grads) {
      opt.step({ w: Float32Array.from(g) });
      got.push(Array.from(w));
    }
    expect(firstMiss(got, c.trajectory)).toBeNull();
  });

  it.each(publishedCases.map((c) => [c.source, c] as const))('published golden: %s', (_n, c) => {
    useKernelPath(path);
    const w = Float32Array.from(c.params);
    const opt = new Adagrad({ w }, { preset: c.convention, ...c.options });
    const steps = c.grads?.length ?? c.trajectory?.length ?? 0;
    const got: number[][] = [];
    for (let t = 0; t < steps; t++) {
      // Without recorded gradients the objective is sum(x²), whose gradient is 2x.
      const g = c.grads ? Float32Array.from(c.grads[t]) : w.map((x) => 2 * x);
      opt.step({ w: g });
      got.push(Array.from(w));
    }
    const expected = c.trajectory ?? [c.trajectory_last as number[]];
    const actual = c.trajectory ? got : [got[got.length - 1]];
    expect(firstMiss(actual, expected, c.tolerance)).toBeNull();
  });
});
