// firstNonFinite: the optimizers' checkFinite, on the WebAssembly kernels and the plain loop.
import { afterAll, describe, expect, it } from 'vitest';
import { alloc, firstNonFinite, setKernels } from '../src/kernels/index.js';

const lengths = [0, 1, 3, 4, 63, 64, 65, 127, 128, 129, 1000, 4099];
const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

/** The answer by the definition: the first index whose value is not a finite number. */
function expected(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

afterAll(() => {
  setKernels('auto');
});

describe.each(['wasm', 'reference'] as const)('firstNonFinite on the %s path', (path) => {
  it('finds the first NaN or ±Infinity wherever it is, in every kind of array', () => {
    setKernels(path);
    for (const n of lengths) {
      const positions = n === 0 ? [] : [0, n - 1, n >> 1, Math.min(n - 1, 64), Math.min(n - 1, 70)];
      for (const make of [
        (k: number) => alloc(k),
        (k: number) => new Float32Array(k),
        (k: number) => alloc(k + 2).subarray(1, k + 1),
      ]) {
        const clean = make(n);
        for (let i = 0; i < n; i++) clean[i] = Math.sin(i) * 1e30;
        expect(firstNonFinite(clean)).toBe(-1);
        for (const at of positions) {
          for (const value of bad) {
            const a = make(n);
            a.set(clean);
            a[at] = value;
            // A second bad value later must not be reported instead of the first.
            if (at + 5 < n) a[at + 5] = Number.NaN;
            expect(firstNonFinite(a), `n=${n} at=${at} value=${value}`).toBe(expected(a));
            expect(firstNonFinite(a)).toBe(at);
          }
        }
      }
    }
  });

  it('checks plain number arrays and Float64Arrays too (values beyond float32 range are finite)', () => {
    setKernels(path);
    expect(firstNonFinite([1, 2, Number.NaN])).toBe(2);
    expect(firstNonFinite(Float64Array.from([1e300, -1e300]))).toBe(-1);
    expect(firstNonFinite(Float64Array.from([0, Number.POSITIVE_INFINITY]))).toBe(1);
  });
});
