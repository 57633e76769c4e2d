// Which kernels run: the automatic choice, ADAGRAD_KERNELS, setKernels(), the error when WebAssembly is
// forced where it cannot run, and the plain-memory fallback without SharedArrayBuffer. Each case loads a
// fresh copy of the module, because the choice and the WebAssembly instance are made once per module.
import { afterEach, describe, expect, it, vi } from 'vitest';

type KernelsModule = typeof import('../src/kernels/index.js');

async function freshKernels(env?: string): Promise<KernelsModule> {
  vi.resetModules();
  if (env === undefined) vi.stubEnv('ADAGRAD_KERNELS', '');
  else vi.stubEnv('ADAGRAD_KERNELS', env);
  return import('../src/kernels/index.js');
}

/** A WebAssembly namespace whose engine refuses SIMD (as in an old browser). */
function withoutSimd(): void {
  const real = WebAssembly;
  vi.stubGlobal('WebAssembly', { ...real, validate: () => false, Memory: real.Memory });
}

const scalars = {
  clr: 0.1,
  eps: 1e-10,
  gradSign: 1 as const,
  weightDecay: 0,
  decoupledWeightDecay: 0,
  epsInside: false,
  skipZeroAccumulator: false,
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('kernel selection', () => {
  it('auto: Node has WebAssembly SIMD, so the wasm kernels run', async () => {
    const k = await freshKernels();
    expect(k.kernels().name).toBe('wasm');
    expect(k.kernelsInfo()).toMatchObject({
      active: 'wasm',
      choice: 'auto',
      wasmAvailable: true,
      sharedMemory: true,
    });
  });

  it('ADAGRAD_KERNELS=reference forces the reference, and alloc then hands out ordinary arrays', async () => {
    const k = await freshKernels('reference');
    expect(k.kernels().name).toBe('reference');
    expect(k.alloc(4).buffer).toBeInstanceOf(ArrayBuffer);
    expect(k.kernelsInfo().choice).toBe('reference');
  });

  it('ADAGRAD_KERNELS=wasm forces WebAssembly', async () => {
    const k = await freshKernels('wasm');
    expect(k.kernels().name).toBe('wasm');
  });

  it('an unknown ADAGRAD_KERNELS value is an error naming the variable', async () => {
    const k = await freshKernels('fast');
    expect(() => k.kernels()).toThrow(/ADAGRAD_KERNELS must be 'auto', 'wasm' or 'reference', got 'fast'/);
  });

  it('setKernels switches both ways and rejects unknown choices', async () => {
    const k = await freshKernels();
    expect(k.setKernels('reference').name).toBe('reference');
    expect(k.kernels().name).toBe('reference');
    expect(k.setKernels('wasm').name).toBe('wasm');
    expect(k.setKernels('auto').name).toBe('wasm');
    expect(() => k.setKernels('gpu' as never)).toThrow(
      /choice must be 'auto', 'wasm' or 'reference', got 'gpu'/,
    );
    expect(k.kernels().name).toBe('wasm');
  });

  it('without SIMD, auto falls back to the reference and says why', async () => {
    withoutSimd();
    const k = await freshKernels();
    expect(k.kernels().name).toBe('reference');
    const info = k.kernelsInfo();
    expect(info.wasmAvailable).toBe(false);
    expect(info.unavailableReason).toMatch(/SIMD/);
    // alloc still works: an ordinary array.
    expect(k.alloc(3)).toEqual(new Float32Array(3));
  });

  it('forcing wasm without SIMD throws KernelUnavailableError and keeps the previous choice', async () => {
    withoutSimd();
    const k = await freshKernels();
    expect(() => k.setKernels('wasm')).toThrow(k.KernelUnavailableError);
    expect(() => k.setKernels('wasm')).toThrow(/forced \('wasm'\) but cannot run here: .*SIMD/);
    expect(k.kernels().name).toBe('reference');
  });

  it('ADAGRAD_KERNELS=wasm without SIMD fails at the first step with the reason', async () => {
    withoutSimd();
    const k = await freshKernels('wasm');
    expect(() => k.kernels()).toThrow(k.KernelUnavailableError);
  });

  it('without SharedArrayBuffer the plain-memory build runs, alloc gives ordinary arrays, results are the same', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const k = await freshKernels();
    const w = k.kernels();
    expect(w.name).toBe('wasm');
    expect(k.kernelsInfo().sharedMemory).toBe(false);
    const p = k.alloc(4099);
    expect(p.buffer).toBeInstanceOf(ArrayBuffer);
    const g = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) {
      p[i] = Math.sin(i);
      g[i] = Math.cos(3 * i);
    }
    const s = k.stateLike(p);
    const refP = Float32Array.from(p);
    const refS = new Float32Array(p.length);
    // Twice, with a memory growth in between (a larger scratch region): nothing the caller holds detaches.
    w.adagradDense(p, g, s, scalars);
    k.referenceKernels.adagradDense(refP, g, refS, scalars);
    const big = new Float32Array(1 << 20);
    w.adagradDense(big, big, new Float32Array(big.length), scalars);
    w.adagradDense(p, g, s, scalars);
    k.referenceKernels.adagradDense(refP, g, refS, scalars);
    expect(Array.from(p)).toEqual(Array.from(refP));
    expect(Array.from(s)).toEqual(Array.from(refS));
  });
});
