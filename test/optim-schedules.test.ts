import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  constantLr,
  cosineDecay,
  exponentialDecay,
  linearSchedule,
  lrDecay,
  OptimizerInputError,
  polynomialDecay,
  ReduceLROnPlateau,
  scheduleAt,
  sequential,
  stepDecay,
  warmup,
  type ReduceLROnPlateauOptions,
  type Schedule,
} from '../src/index.js';

const fixture = JSON.parse(readFileSync(new URL('./data/lr-schedules.json', import.meta.url), 'utf8')) as {
  cases: Array<{ name: string; schedule: Schedule; lrs: number[] }>;
  plateau: Array<{ name: string; options: ReduceLROnPlateauOptions; metrics: number[]; lrs: number[] }>;
};

const run = (s: Schedule, steps: number): number[] =>
  Array.from({ length: steps }, (_, t) => scheduleAt(s, t));

describe('schedules: torch.optim.lr_scheduler, every step of a 1,000-step run, float for float', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      expect(c.lrs).toHaveLength(1000);
      // Through JSON, as a state dict would carry it.
      const schedule = JSON.parse(JSON.stringify(c.schedule)) as Schedule;
      expect(run(schedule, 1000)).toEqual(c.lrs);
      // Asked out of order (a resumed run), the values are the same.
      for (const t of [999, 0, 500, 499, 1]) expect(scheduleAt(schedule, t)).toBe(c.lrs[t]);
    });
  }

  for (const c of fixture.plateau) {
    it(c.name, () => {
      const plateau = new ReduceLROnPlateau(c.options);
      const lrs: number[] = [];
      c.metrics.forEach((m, t) => {
        lrs.push(plateau.step(m));
        if (t === 400) {
          // Resuming from JSON mid-run changes nothing.
          const resumed = ReduceLROnPlateau.from(JSON.parse(JSON.stringify(plateau)));
          expect(JSON.stringify(resumed)).toBe(JSON.stringify(plateau));
        }
      });
      expect(lrs).toEqual(c.lrs);
      expect(new Set(lrs).size).toBeGreaterThan(2);
    });
  }
});

// Optax's own tests (optax/schedules/_schedule_test.py) on its documented values; Optax computes in
// float32, so those tests compare at their stated tolerances, and so do these.
describe('schedules: Optax closed forms on its documented values', () => {
  it('polynomial_schedule(init 10, end 20, power 1, 10 steps): 10, 11, ..., 20, then 20', () => {
    const s = polynomialDecay({ init: 10, end: 20, power: 1, steps: 10 });
    expect(run(s, 15)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20, 20, 20, 20]);
    expect(run(linearSchedule({ init: 10, end: 20, steps: 10 }), 15)).toEqual(run(s, 15));
  });

  it('polynomial_schedule(30 -> 10, power 2, 10 steps, begin 4)', () => {
    const s = polynomialDecay({ init: 30, end: 10, power: 2, steps: 10, begin: 4 });
    const expected = [
      30,
      30,
      30,
      30,
      ...Array.from({ length: 10 }, (_, n) => 10 + 20 * (1 - n / 10) ** 2),
      10,
      10,
    ];
    run(s, 16).forEach((v, t) => expect(v).toBeCloseTo(expected[t], 3));
  });

  it('exponential_decay(1, every 2, rate 2, staircase and not, begin 5)', () => {
    for (const staircase of [false, true]) {
      const s = exponentialDecay({ init: 1, rate: 2, every: 2, staircase, begin: 5 });
      const p = (n: number): number => (staircase ? Math.floor(n / 2) : n / 2);
      const expected = [1, 1, 1, 1, 1, ...Array.from({ length: 15 }, (_, n) => 2 ** p(n))];
      run(s, 20).forEach((v, t) => expect(v).toBeCloseTo(expected[t], 3));
    }
    expect(run(exponentialDecay({ init: 32, rate: 0.5 }), 5)).toEqual([32, 16, 8, 4, 2]);
    // end_value: a floor when decaying.
    expect(scheduleAt(exponentialDecay({ init: 1, rate: 0.2, every: 2, begin: 3, end: 0.1 }), 13)).toBe(0.1);
  });

  it('cosine_decay_schedule(0.1, 100, alpha 0, exponent 2) at 0, 10, 50, 75, 100', () => {
    const s = cosineDecay({ init: 0.1, steps: 100, exponent: 2 });
    const expected = [0.1, 0.09516553580760956, 0.025, 0.0021446612663567066, 0];
    [0, 10, 50, 75, 100].forEach((t, i) => {
      expect(Math.abs(scheduleAt(s, t) - expected[i])).toBeLessThanOrEqual(1e-8 + 1e-6 * expected[i]);
    });
  });

  it('cosine_decay_schedule(0.1, 5, alpha 0.1) holds at init·alpha after its steps', () => {
    const s = cosineDecay({ init: 0.1, steps: 5, alpha: 0.1 });
    const frac = [0, 0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1, 1, 1, 1];
    run(s, 12).forEach((v, t) =>
      expect(v).toBeCloseTo(0.1 * (0.9 * (0.5 + 0.5 * Math.cos(Math.PI * frac[t])) + 0.1), 6),
    );
  });

  it('warmup_cosine_decay_schedule(init 5, peak 3, warm-up 100, decay 1000): init at 0, peak at 100, end at 1000', () => {
    const s = cosineDecay({ init: 3, steps: 1000, warmup: 100, warmupFrom: 5 });
    expect(scheduleAt(s, 0)).toBe(5);
    expect(scheduleAt(s, 100)).toBe(3);
    expect(scheduleAt(s, 1000)).toBeCloseTo(0, 12);
    expect(scheduleAt(s, 50)).toBe(4);
  });

  it('join_schedules: each piece counts from its boundary', () => {
    const s = sequential([constantLr(1), stepDecay({ init: 0.5, gamma: 0.1, every: 10 })], [5]);
    expect(run(s, 26)).toEqual(
      [1, 1, 1, 1, 1, ...Array(10).fill(0.5), ...Array(10).fill(0.05), 0.005].map((x, i) =>
        i < 25 ? x : 0.5 * 0.1 ** 2,
      ),
    );
  });

  it("warmup() joins a linear rise to any schedule; lrDecay is PyTorch Adagrad's lr / (1 + t·decay)", () => {
    const s = warmup({ steps: 4, then: exponentialDecay({ init: 0.8, rate: 0.5 }) });
    // Optax's linear_schedule: (init − end)·(1 − t/steps) + end.
    expect(run(s, 7)).toEqual([0, -0.8 * 0.75 + 0.8, -0.8 * 0.5 + 0.8, -0.8 * 0.25 + 0.8, 0.8, 0.4, 0.2]);
    expect(run(lrDecay({ init: 1, decay: 0.5 }), 3)).toEqual([1, 1 / 1.5, 0.5]);
  });
});

describe('schedules: bad input names the field', () => {
  it.each([
    [() => cosineDecay({ init: -1, steps: 10 }), /schedule: 'init' must be a finite number >= 0, got -1/],
    [() => exponentialDecay({ init: 1, rate: NaN }), /'rate' must be a finite number >= 0, got NaN/],
    [
      () => polynomialDecay({ init: 1, end: Infinity, steps: 3 }),
      /'end' must be a finite number >= 0, got Infinity/,
    ],
    [() => stepDecay({ init: 1, gamma: 0.5, every: 0 }), /'every' must be a finite number > 0, got 0/],
    [() => sequential([constantLr(1), constantLr(2)], [0]), /'boundaries\[0\]' must be an integer step > 0/],
    [
      () => sequential([constantLr(1), { type: 'constant', value: -2 } as Schedule], [3]),
      /schedule.schedules\[1\]: 'value' must be/,
    ],
    [() => scheduleAt({ type: 'cosin' } as never, 0), /schedule: step must|unknown schedule type 'cosin'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(OptimizerInputError);
    expect(make).toThrow(message);
  });

  it('ReduceLROnPlateau refuses unknown options and bad values', () => {
    expect(() => new ReduceLROnPlateau({ lr: 0.1, patience: -1 })).toThrow(
      /option 'patience' must be an integer >= 0/,
    );
    expect(() => new ReduceLROnPlateau({ lr: 0.1, factr: 0.5 } as never)).toThrow(/unknown option 'factr'/);
    expect(() => new ReduceLROnPlateau({ lr: 0.1, factor: 1 })).toThrow(
      /option 'factor' must be in \[0, 1\)/,
    );
  });
});
