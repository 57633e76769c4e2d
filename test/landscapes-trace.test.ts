import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Adagrad, SGD } from '../src/optim/index.js';
import { trace, valley, type Landscape, type Vec2 } from '../src/landscapes/index.js';

const sgd = (lr: number) => (p: { xy: Float64Array }) => new SGD(p, { lr });
const adagrad = (lr: number) => (p: { xy: Float64Array }) => new Adagrad(p, { lr });
// The valley is f = ½(a·x² + b·y²) with these curvatures.
const a = 0.05;
const b = 5;

describe('trace records what the optimizer did', () => {
  it('follows the closed form of gradient descent on a quadratic: x_t = x₀(1 - lr·a)^t', () => {
    const lr = 0.1;
    const run = trace(sgd(lr), valley, [-10, 2], 50);
    expect(run.steps).toHaveLength(50);
    expect(run.path).toHaveLength(51);
    expect(run.diverged).toBe(false);
    for (let t = 0; t <= 50; t++) {
      expect(run.path[t][0]).toBeCloseTo(-10 * (1 - lr * a) ** t, 12);
      expect(run.path[t][1]).toBeCloseTo(2 * (1 - lr * b) ** t, 12);
    }
    // SGD has no accumulator and a constant effective rate.
    expect(run.steps[10].accumulator).toEqual([0, 0]);
    expect(run.steps[10].effectiveLr).toEqual([lr, lr]);
  });

  it("records AdaGrad's first step by hand: G = g², rate = lr/(|g| + ε), a step of lr along each axis", () => {
    const run = trace(adagrad(1), valley, [-10, 2], 1);
    const [step] = run.steps;
    expect(step.from).toEqual([-10, 2]);
    expect(step.grad).toEqual([a * -10, b * 2]);
    expect(step.accumulator[0]).toBeCloseTo(0.25, 15);
    expect(step.accumulator[1]).toBeCloseTo(100, 12);
    expect(step.effectiveLr[0]).toBeCloseTo(1 / (0.5 + 1e-10), 12);
    expect(step.effectiveLr[1]).toBeCloseTo(1 / (10 + 1e-10), 12);
    // g/|g| = sign(g): the first step moves exactly lr along both axes, whatever their curvature.
    expect(step.to[0]).toBeCloseTo(-9, 9);
    expect(step.to[1]).toBeCloseTo(1, 9);
    expect(step.lossBefore).toBeCloseTo(valley.f(-10, 2), 12);
    expect(step.loss).toBeCloseTo(valley.f(-9, 1), 8);
  });

  it('chains steps: each step starts where the last ended, and the path lists them', () => {
    const run = trace(adagrad(0.5), valley, valley.defaultStart, 30);
    for (let t = 0; t < run.steps.length; t++) {
      expect(run.steps[t].from).toEqual(run.path[t]);
      expect(run.steps[t].to).toEqual(run.path[t + 1]);
      expect(run.steps[t].loss).toBe(valley.f(...run.path[t + 1]));
      if (t > 0) {
        // AdaGrad's accumulator never shrinks, so its rates never grow.
        expect(run.steps[t].accumulator[1]).toBeGreaterThanOrEqual(run.steps[t - 1].accumulator[1]);
        expect(run.steps[t].effectiveLr[0]).toBeLessThanOrEqual(run.steps[t - 1].effectiveLr[0]);
      }
    }
  });

  it('runs zero steps as just the start point', () => {
    const run = trace(sgd(0.1), valley, [1, 1], 0);
    expect(run.path).toEqual([[1, 1]]);
    expect(run.steps).toEqual([]);
  });
});

describe('AdaGrad against SGD on the stretched valley', () => {
  const distance = (p: Vec2) => Math.hypot(p[0], p[1]);

  it('at lr 1 SGD blows up across the steep walls while AdaGrad reaches the minimum region', () => {
    const plain = trace(sgd(1), valley, valley.defaultStart, 100);
    const ada = trace(adagrad(1), valley, valley.defaultStart, 100);
    // |1 - lr·b| = 4 > 1: each SGD step multiplies y by -4.
    expect(plain.diverged).toBe(true);
    expect(plain.steps.length).toBeLessThan(100);
    expect(ada.diverged).toBe(false);
    expect(distance(ada.path[100])).toBeLessThan(0.5);
  });

  it('at its stable lr SGD zig-zags across the valley and crawls along the floor', () => {
    const lr = 0.38; // just under 2/b = 0.4, SGD's stability limit set by the steep direction
    const run = trace(sgd(lr), valley, valley.defaultStart, 100);
    for (let t = 1; t < 20; t++) {
      expect(Math.sign(run.path[t][1])).toBe(-Math.sign(run.path[t - 1][1]));
    }
    expect(run.path[100][0]).toBeLessThan(-1);
    // No stable SGD learning rate gets as close in 100 steps as AdaGrad does at lr 1.
    const ada = distance(trace(adagrad(1), valley, valley.defaultStart, 100).path[100]);
    for (const stableLr of [0.05, 0.1, 0.2, 0.3, 0.38]) {
      const end = trace(sgd(stableLr), valley, valley.defaultStart, 100).path[100];
      expect(distance(end)).toBeGreaterThan(3 * ada);
    }
  });
});

describe('divergence', () => {
  it('stops when the path leaves the bound, keeping every recorded point finite', () => {
    const run = trace(sgd(1), valley, valley.defaultStart, 1000);
    expect(run.diverged).toBe(true);
    expect(run.path.flat().every(Number.isFinite)).toBe(true);
    const last = run.path.at(-1) as Vec2;
    expect(Math.abs(last[1])).toBeGreaterThan(1e6);
    expect(Math.abs(run.path.at(-2)?.[1] ?? 0)).toBeLessThanOrEqual(1e6);
  });

  it('stops before recording a non-finite position', () => {
    const run = trace(sgd(1e300), valley, [1e10, 0], 5, { bound: 1e300 });
    expect(run.diverged).toBe(true);
    expect(run.path).toEqual([[1e10, 0]]);
  });

  it('stops when the landscape itself returns a non-finite gradient', () => {
    const cliff: Landscape = { ...valley, grad: (x) => [x > 0 ? Infinity : -1, 0] };
    const run = trace(sgd(1), cliff, [-1.5, 0], 10);
    expect(run.diverged).toBe(true);
    expect(run.path).toEqual([
      [-1.5, 0],
      [-0.5, 0],
      [0.5, 0],
    ]);
  });
});

describe('simulated sparse gradients', () => {
  it('p = 0 never and p = 1 always zeroes the y gradient', () => {
    expect(trace(sgd(0.1), valley, [-10, 2], 50).steps.some((s) => s.droppedY)).toBe(false);
    const all = trace(sgd(0.1), valley, [-10, 2], 50, { sparsity: 1 });
    expect(all.steps.every((s) => s.droppedY && s.grad[1] === 0)).toBe(true);
    expect(all.path.every((p) => p[1] === 2)).toBe(true);
  });

  it('drops about a fraction p of the steps, reproducibly per seed', () => {
    const run = (seed: number, sparsity: number) =>
      trace(adagrad(0.5), valley, [-10, 2], 2000, { sparsity, seed });
    const dropped = (r: ReturnType<typeof run>) => r.steps.map((s) => s.droppedY);
    const count = dropped(run(42, 0.3)).filter(Boolean).length;
    // Binomial(2000, 0.3): mean 600, standard deviation 20.5; allow 5 sigma.
    expect(Math.abs(count - 600)).toBeLessThan(103);
    expect(run(42, 0.3).path).toEqual(run(42, 0.3).path);
    expect(dropped(run(43, 0.3))).not.toEqual(dropped(run(42, 0.3)));
    // One stream per seed: a larger p drops every step a smaller p drops.
    const low = dropped(run(42, 0.2));
    const high = dropped(run(42, 0.6));
    expect(low.every((d, t) => !d || high[t])).toBe(true);
  });

  it('a rarely-seen y coordinate keeps a larger AdaGrad rate than it would with every gradient', () => {
    const dense = trace(adagrad(0.5), valley, [-10, 2], 100);
    const sparse = trace(adagrad(0.5), valley, [-10, 2], 100, { sparsity: 0.9, seed: 3 });
    expect(sparse.steps[99].accumulator[1]).toBeLessThan(dense.steps[99].accumulator[1]);
    expect(sparse.steps[99].effectiveLr[1]).toBeGreaterThan(dense.steps[99].effectiveLr[1]);
  });
});

describe('bad input', () => {
  it.each([
    [[NaN, 0] as Vec2, 10, {}, /start must be two finite numbers/],
    [[0, 0] as Vec2, -1, {}, /steps must be a non-negative integer/],
    [[0, 0] as Vec2, 2.5, {}, /steps must be a non-negative integer/],
    [[0, 0] as Vec2, 10, { sparsity: 1.5 }, /sparsity must be in \[0, 1\]/],
    [[0, 0] as Vec2, 10, { sparsity: NaN }, /sparsity must be in \[0, 1\]/],
    [[0, 0] as Vec2, 10, { seed: 0.5 }, /seed must be an integer/],
    [[0, 0] as Vec2, 10, { bound: -1 }, /bound must be a positive/],
  ])('rejects start %j, steps %j, options %j', (start, steps, options, message) => {
    expect(() => trace(sgd(0.1), valley, start, steps, options)).toThrow(message);
  });
});

describe('properties (fast-check)', () => {
  const inView = fc.tuple(
    fc.double({ min: -12, max: 4, noNaN: true }),
    fc.double({ min: -3, max: 3, noNaN: true }),
  );

  it('SGD on the valley follows x_t = x₀(1 - lr·a)^t from any start and rate', () => {
    fc.assert(
      fc.property(inView, fc.double({ min: 0.001, max: 0.39, noNaN: true }), ([x0, y0], lr) => {
        const run = trace(sgd(lr), valley, [x0, y0], 20);
        expect(run.path[20][0]).toBeCloseTo(x0 * (1 - lr * a) ** 20, 9);
        expect(run.path[20][1]).toBeCloseTo(y0 * (1 - lr * b) ** 20, 9);
      }),
      { numRuns: 50 },
    );
  });

  it('every recorded point is finite and a seed reproduces its path, for any rate and sparsity', () => {
    fc.assert(
      fc.property(
        inView,
        fc.double({ min: 0.001, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        ([x0, y0], lr, sparsity, seed) => {
          const once = trace(sgd(lr), valley, [x0, y0], 60, { sparsity, seed });
          expect(once.path.flat().every(Number.isFinite)).toBe(true);
          expect(trace(sgd(lr), valley, [x0, y0], 60, { sparsity, seed }).path).toEqual(once.path);
          const ada = trace(adagrad(lr), valley, [x0, y0], 60, { sparsity, seed });
          expect(ada.path.flat().every(Number.isFinite)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
