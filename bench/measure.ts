/**
 * Timing for the benchmark: every figure is the median of several timed samples taken after warm-up.
 * Small steps are timed in batches (one sample = many calls) so that each sample lasts long enough for
 * the clock to resolve it; slow ones get fewer samples so the whole benchmark stays within minutes.
 *
 * The clock is this process's CPU time (process.cpuUsage: user + system), not the wall clock: the
 * benchmark machine is shared, and time spent waiting while another process runs is not the step's.
 * Every step timed here runs on one thread, so on an idle machine the two agree; the wall-clock median
 * is recorded next to it.
 */
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { median } from './stats.js';

export interface Timing {
  /** Median CPU seconds per call. */
  seconds: number;
  /** Median wall-clock seconds per call. */
  wallSeconds: number;
  /** The fastest sample's CPU seconds per call. */
  fastestSeconds: number;
  /** Timed samples (each of `batch` calls) the medians were taken over. */
  samples: number;
  batch: number;
}

export interface TimingOptions {
  /** Samples to time (default 7; 5 when a call takes over 0.25 s). */
  samples?: number;
  /** Warm-up calls before timing (default: at least 3 calls and 0.1 s; 1 call for a step over 0.25 s). */
  warmup?: number;
  /** The shortest sample worth timing, in seconds (default 0.01). */
  minSampleSeconds?: number;
}

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

export interface Contender {
  name: string;
  step: () => void;
  /** Run before each batch of this contender (e.g. to select its kernel path). */
  before?: () => void;
}

/**
 * Times several contenders round-robin: warm-up for all, then sample 1 of each, sample 2 of each, and so
 * on. On a shared machine a neighbour's burst of work then disturbs every contender alike instead of
 * whichever happened to be running, so their ratios (and the fraction of the copy limit) hold up.
 */
export function timeRoundRobin(contenders: Contender[], options: TimingOptions = {}): Map<string, Timing> {
  const minSample = options.minSampleSeconds ?? 0.01;
  const plans = contenders.map((c) => {
    // Warm-up: call until the JIT and WebAssembly tier-up have settled (at least 0.1 s and 3 calls, or
    // the given number of calls), then time one call to size the batches.
    c.before?.();
    const start = performance.now();
    let calls = 0;
    const enough = (): boolean =>
      options.warmup !== undefined ? calls >= options.warmup : calls >= 3 && performance.now() - start >= 100;
    while (!enough()) {
      c.step();
      calls++;
      // A step slower than 0.25 s is warm after one call; more would only lengthen the benchmark.
      if (options.warmup === undefined && calls === 1 && performance.now() - start > 250) break;
    }
    const t = performance.now();
    c.step();
    const one = (performance.now() - t) / 1000;
    return {
      c,
      slow: one > 0.25,
      batch: Math.max(1, Math.ceil(minSample / Math.max(one, 1e-7))),
      cpu: [] as number[],
      wall: [] as number[],
    };
  });
  const samples = options.samples ?? (plans.some((p) => p.slow) ? 5 : 7);
  for (let s = 0; s < samples; s++) {
    for (const p of plans) {
      p.c.before?.();
      const wall = performance.now();
      const cpu = cpuSeconds();
      for (let i = 0; i < p.batch; i++) p.c.step();
      p.cpu.push((cpuSeconds() - cpu) / p.batch);
      p.wall.push((performance.now() - wall) / 1000 / p.batch);
    }
  }
  return new Map(
    plans.map((p) => [
      p.c.name,
      {
        seconds: median(p.cpu),
        wallSeconds: median(p.wall),
        fastestSeconds: Math.min(...p.cpu),
        samples,
        batch: p.batch,
      },
    ]),
  );
}

/** Times one step: median CPU seconds per call after warm-up. */
export function time(step: () => void, options: TimingOptions = {}): Timing {
  return timeRoundRobin([{ name: 'step', step }], options).get('step') as Timing;
}

/**
 * The memory-bandwidth limit for a step that moves `bytesPerCoordinate` bytes (reads plus writes) per
 * coordinate: a Float32Array.prototype.set copy that moves as many bytes. A copy of B bytes reads B and
 * writes B, so it copies bytesPerCoordinate / 2 bytes per coordinate.
 */
export function copyContender(n: number, bytesPerCoordinate: number): Contender & { floats: number } {
  const floats = Math.max(1, Math.round((n * bytesPerCoordinate) / 2 / 4));
  const src = new Float32Array(floats).fill(1.5);
  const dst = new Float32Array(floats);
  return { name: 'copy', floats, step: () => dst.set(src) };
}

/** Deterministic pseudo-random values in [-1, 1) (mulberry32), so every run steps the same numbers. */
export function fillRandom(a: Float32Array, seed: number): Float32Array {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    a[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return a;
}
