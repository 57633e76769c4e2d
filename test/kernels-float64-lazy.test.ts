// A float64 parameter goes straight to the reference kernels: a program that trains only float64
// parameters (the lesson page does) never loads or compiles the WebAssembly module.
import { describe, expect, it, vi } from 'vitest';

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/kernels/wasm-runtime.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/kernels/wasm-runtime.js')>();
  return {
    ...original,
    loadWasmRuntime: (...args: Parameters<typeof original.loadWasmRuntime>) => {
      loads.count += 1;
      return original.loadWasmRuntime(...args);
    },
  };
});

// The automatic choice, whatever the environment running the tests says.
vi.stubEnv('ADAGRAD_KERNELS', '');
const { Adadelta, Adagrad, Adam, RMSprop, SGD, kernelsInfo } = await import('../src/index.js');

describe('kernels for float64 parameters', () => {
  it('every optimizer steps float64 parameters without loading the WebAssembly module', () => {
    const w = new Float64Array([0.5, -1.5, 2]);
    const g = new Float64Array([0.1, -0.2, 0.3]);
    const optimizers = [
      new Adagrad({ w: w.slice() }, { lr: 0.1 }),
      new SGD({ w: w.slice() }, { lr: 0.1, momentum: 0.9 }),
      new RMSprop({ w: w.slice() }, { lr: 0.01 }),
      new Adam({ w: w.slice() }, { lr: 0.01 }),
      new Adadelta({ w: w.slice() }, { lr: 1 }),
    ];
    for (const optimizer of optimizers) {
      optimizer.step({ w: g });
      optimizer.step({ w: g });
    }
    const sparse = new Adagrad({ w: new Float64Array(8) }, { lr: 0.1 });
    sparse.step({ w: { indices: [1, 5], values: [0.5, -0.5] } });
    expect(loads.count).toBe(0);
    // The first sparse step: sum = g², so each touched row moves by lr · g / (√(g²) + eps).
    const step = (0.1 * 0.5) / (Math.sqrt(0.25) + 1e-10);
    expect(Array.from(sparse.params.w)).toEqual([0, -step, 0, 0, 0, step, 0, 0]);
  });

  it('a float32 parameter still gets the WebAssembly kernels where they run', () => {
    const optimizer = new Adagrad({ w: new Float32Array([1, 2, 3, 4]) }, { lr: 0.1 });
    optimizer.step({ w: new Float32Array([0.5, 0.5, 0.5, 0.5]) });
    expect(loads.count).toBe(1);
    expect(['wasm', 'reference']).toContain(kernelsInfo().active);
  });
});
