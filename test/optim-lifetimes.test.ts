// Optimizer lifetimes: dispose() gives the kernel memory of the state back, loadStateDict reuses the
// buffers it has, and setKernels leaves existing optimizers working.
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, kernelsInfo, OptimizerInputError, setKernels } from '../src/index.js';

setKernels('wasm');
const allocated = (): number => kernelsInfo().allocatedBytes;

const gradient = (t: number, n: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(t * 0.7 + i * 0.13));

describe('dispose', () => {
  it('frees the state, and 1,000 create/step/dispose cycles leave the kernel memory flat', () => {
    const w = new Float32Array(4096);
    const before = allocated();
    const cycle = (t: number): void => {
      const opt = new Adam({ w }, { lr: 1e-3, amsgrad: true });
      opt.step({ w: gradient(t, w.length) });
      expect(allocated()).toBe(before + 3 * 4096 * 4); // expAvg, expAvgSq, maxExpAvgSq
      opt.dispose();
    };
    cycle(0);
    const memory = kernelsInfo().memoryBytes;
    expect(allocated()).toBe(before);
    for (let t = 1; t <= 1000; t++) cycle(t);
    expect(allocated()).toBe(before);
    expect(kernelsInfo().memoryBytes).toBe(memory);
  });

  it('without dispose the same loop grows (what the test above would catch)', () => {
    const w = new Float32Array(1024);
    const before = allocated();
    for (let t = 0; t < 50; t++) new Adagrad({ w }).step({ w: gradient(t, w.length) });
    expect(allocated()).toBe(before + 50 * 1024 * 4);
  });

  it('a disposed optimizer refuses to step, clearly, and leaves the parameters alone', () => {
    const w = Float32Array.from([1, 2, 3]);
    const opt = new Adagrad({ w }, { lr: 0.1 });
    opt.step({ w: [1, 1, 1] });
    const after = Array.from(w);
    opt.dispose();
    opt.dispose(); // twice is harmless
    expect(opt.isDisposed).toBe(true);
    expect(() => opt.step({ w: [1, 1, 1] })).toThrow(OptimizerInputError);
    expect(() => opt.step({ w: [1, 1, 1] })).toThrow(/Adagrad\.step: this optimizer was disposed/);
    expect(() => opt.stateDict()).toThrow(/Adagrad\.stateDict: this optimizer was disposed/);
    expect(() => opt.accumulator('w')).toThrow(/disposed/);
    expect(Array.from(w)).toEqual(after);
  });
});

describe('loadStateDict reuses its buffers', () => {
  it('loading 1,000 times takes no memory and restores bit for bit', () => {
    const w = Float32Array.from({ length: 2048 }, (_, i) => Math.cos(i));
    const opt = new Adam({ w }, { lr: 0.01 });
    for (let t = 0; t < 3; t++) opt.step({ w: gradient(t, w.length) });
    const saved = JSON.parse(JSON.stringify(opt.stateDict())) as unknown;
    const wSaved = w.slice();
    opt.step({ w: gradient(3, w.length) });
    const wNext = w.slice();
    const before = allocated();
    for (let i = 0; i < 1000; i++) opt.loadStateDict(saved);
    expect(allocated()).toBe(before);
    w.set(wSaved);
    opt.step({ w: gradient(3, w.length) });
    expect(Array.from(w)).toEqual(Array.from(wNext));
  });

  it('a state dict without a buffer (amsgrad off) frees it; a rejected one changes nothing', () => {
    const w = new Float32Array(512);
    const amsgrad = new Adam({ w }, { amsgrad: true });
    amsgrad.step({ w: gradient(0, 512) });
    const plain = new Adam({ w: new Float32Array(512) });
    plain.step({ w: gradient(0, 512) });
    const before = allocated();
    amsgrad.loadStateDict(plain.stateDict());
    expect(allocated()).toBe(before - 512 * 4);

    const good = amsgrad.stateDict();
    const bad = JSON.parse(JSON.stringify(good)) as { state: { w: { buffers: { expAvg: unknown[] } } } };
    bad.state.w.buffers.expAvg[511] = 'x';
    expect(() => amsgrad.loadStateDict(bad)).toThrow(/buffer 'expAvg' holds 'x' at 511/);
    expect(amsgrad.stateDict()).toEqual(good);
  });
});

describe('setKernels with optimizers alive', () => {
  it('an optimizer carries on with the new kernels, with the same bits', () => {
    const run = (switchAt: number | null): number[] => {
      setKernels('wasm');
      const w = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i));
      const opt = new Adagrad({ w }, { lr: 0.05 });
      for (let t = 0; t < 10; t++) {
        if (t === switchAt) setKernels('reference');
        opt.step({ w: gradient(t, w.length) });
      }
      opt.dispose(); // frees its WebAssembly state even with the reference kernels active
      setKernels('wasm');
      return Array.from(w);
    };
    const before = allocated();
    expect(run(5)).toEqual(run(null));
    expect(allocated()).toBe(before);
  });
});
