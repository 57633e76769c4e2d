// alloc(), free() and stateLike(): arrays in the kernels' shared WebAssembly memory, used in place,
// valid after the memory grows, and reused after free.
import { describe, expect, it } from 'vitest';
import { alloc, free, kernelsInfo, referenceKernels, setKernels, stateLike } from '../src/kernels/index.js';
import type { AdagradScalars } from '../src/kernels/types.js';

const wasm = setKernels('wasm');

const scalars: AdagradScalars = {
  clr: 0.1,
  eps: 1e-10,
  gradSign: 1,
  weightDecay: 0,
  decoupledWeightDecay: 0,
  epsInside: false,
  skipZeroAccumulator: false,
};

/** The first index where two arrays differ (Object.is), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('kernel memory', () => {
  it('alloc hands out zeroed Float32Arrays on the shared WebAssembly memory, 64-byte aligned', () => {
    expect(kernelsInfo().sharedMemory).toBe(true);
    const a = alloc(37);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.length).toBe(37);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.byteOffset % 64).toBe(0);
    expect(Array.from(a).every((x) => x === 0)).toBe(true);
    const b = alloc(5);
    // Two live arrays never overlap.
    expect(b.byteOffset >= a.byteOffset + a.byteLength || b.byteOffset + b.byteLength <= a.byteOffset).toBe(
      true,
    );
  });

  it('alloc(0) works and bad lengths are rejected by name', () => {
    expect(alloc(0).length).toBe(0);
    expect(() => alloc(-1)).toThrow(/alloc\(n\): n must be a non-negative integer, got -1/);
    expect(() => alloc(2.5)).toThrow(RangeError);
    expect(() => alloc(Number.NaN)).toThrow(RangeError);
  });

  it('steps on alloc arrays happen in place: the kernel writes the very arrays it was given', () => {
    const p = alloc(6).fill(1);
    const g = alloc(6).fill(0.5);
    const s = alloc(6);
    wasm.adagradDense(p, g, s, scalars);
    expect(Array.from(s)).toEqual(new Array(6).fill(0.25));
    // p = 1 - 0.1 · 0.5 / (sqrt(0.25) + 1e-10) = 0.9 (in float32)
    expect(Array.from(p)).toEqual(new Array(6).fill(Math.fround(1 - 0.1)));
  });

  it('arrays allocated before the memory grows keep their values and still step correctly', () => {
    const before = kernelsInfo().memoryBytes;
    const p = alloc(1001);
    const g = alloc(1001);
    const s = stateLike(p) as Float32Array;
    for (let i = 0; i < p.length; i++) {
      p[i] = Math.sin(i);
      g[i] = Math.cos(i);
    }
    const keep = Float32Array.from(p);
    // 48 MiB more: the memory has to grow (it starts at one 64 KiB page).
    const big = [alloc(4 << 20), alloc(4 << 20), alloc(4 << 20)];
    big[2][big[2].length - 1] = 7;
    expect(kernelsInfo().memoryBytes).toBeGreaterThan(before + (40 << 20));
    expect(Array.from(p)).toEqual(Array.from(keep));

    const refP = Float32Array.from(p);
    const refS = new Float32Array(p.length);
    wasm.adagradDense(p, g, s, scalars);
    referenceKernels.adagradDense(refP, Float32Array.from(g), refS, scalars);
    expect(Array.from(p)).toEqual(Array.from(refP));
    expect(Array.from(s)).toEqual(Array.from(refS));
    for (const b of big) free(b);
  });

  it('free returns memory for reuse (zeroed again) and rejects what alloc did not hand out', () => {
    const a = alloc(1000);
    a.fill(3);
    const offset = a.byteOffset;
    free(a);
    const b = alloc(1000);
    expect(b.byteOffset).toBe(offset);
    expect(Array.from(b).every((x) => x === 0)).toBe(true);
    expect(() => free(b.subarray(1))).toThrow(/not one returned by alloc/);
    free(b);
    expect(() => free(b)).toThrow(/already freed/);
    // Ordinary arrays are not the kernels' business: free ignores them.
    expect(() => free(new Float32Array(3))).not.toThrow();
  });

  it('neighbouring freed blocks merge, so a bigger array fits where two small ones were', () => {
    const a = alloc(16 * 100);
    const b = alloc(16 * 100);
    const guard = alloc(16);
    free(a);
    free(b);
    const c = alloc(16 * 200);
    expect(c.byteOffset).toBe(a.byteOffset);
    free(c);
    free(guard);
  });

  it('stateLike puts float32 state in kernel memory and float64 state in an ordinary Float64Array', () => {
    const s32 = stateLike(new Float32Array(10));
    expect(s32).toBeInstanceOf(Float32Array);
    expect(s32.buffer).toBeInstanceOf(SharedArrayBuffer);
    const s64 = stateLike(new Float64Array(10));
    expect(s64).toBeInstanceOf(Float64Array);
    expect(s64.length).toBe(10);
  });

  it('ordinary arrays larger than the scratch region grow it and still match the reference', () => {
    const n = 300_000;
    const p = new Float32Array(n).map((_, i) => Math.sin(i));
    const g = new Float32Array(n).map((_, i) => Math.cos(i));
    const s = new Float32Array(n);
    const refP = Float32Array.from(p);
    const refS = new Float32Array(n);
    wasm.adagradDense(p, g, s, scalars);
    referenceKernels.adagradDense(refP, g, refS, scalars);
    expect(firstDifference(p, refP)).toBe(-1);
    expect(firstDifference(s, refS)).toBe(-1);
  });
});
