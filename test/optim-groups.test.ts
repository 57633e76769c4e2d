// Parameter groups and learning-rate schedules in every optimizer: the base class resolves each group's
// options (with its scheduled lr) before stepping that group's parameters.
import { describe, expect, it } from 'vitest';
import {
  AdamW,
  Adagrad,
  cosineDecay,
  createOptimizer,
  OPTIMIZERS,
  OptimizerInputError,
  sequential,
  scheduleAt,
  SGD,
  type OptimizerName,
  type Schedule,
} from '../src/index.js';

const gradient = (t: number, n: number, phase = 0): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(t * 0.9 + i * 0.41 + phase));
const start = (n: number, phase: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.cos(i + phase));

// The options each optimizer gets for the second group (an lr it accepts, and nothing else).
const SECOND_LR: Partial<Record<OptimizerName, number>> = { sgd: 0.05, adadelta: 0.5 };
// Not these: FullMatrixAdagrad takes one group (one preconditioner), SparseAdam sparse gradients only,
// and AdagradNorm's one accumulator b² spans all its parameters, whatever their group.
const dense = (Object.keys(OPTIMIZERS) as OptimizerName[]).filter(
  (n) => !['full-matrix-adagrad', 'sparse-adam', 'adagrad-norm'].includes(n),
);

describe('parameter groups', () => {
  it.each(dense)('%s: two groups step exactly as two optimizers with those options', (name) => {
    const defaults = { lr: name === 'sgd' ? 0.1 : 0.02 };
    const lr2 = SECOND_LR[name] ?? 0.003;
    const [w, b, e] = [start(7, 0), start(3, 1), start(12, 2)];
    const [w2, b2, e2] = [w.slice(), b.slice(), e.slice()];
    const grouped = new OPTIMIZERS[name](
      [{ params: { w, b } }, { params: { e }, lr: lr2 }] as never,
      defaults as never,
    );
    const first = createOptimizer(name, { w: w2, b: b2 }, defaults as never);
    const second = createOptimizer(name, { e: e2 }, { ...defaults, lr: lr2 } as never);
    for (let t = 0; t < 6; t++) {
      grouped.step({ w: gradient(t, 7), b: gradient(t, 3, 1), e: gradient(t, 12, 2) });
      first.step({ w: gradient(t, 7), b: gradient(t, 3, 1) });
      second.step({ e: gradient(t, 12, 2) });
    }
    expect([Array.from(w), Array.from(b), Array.from(e)]).toEqual([
      Array.from(w2),
      Array.from(b2),
      Array.from(e2),
    ]);
  });

  it("fills every option into each group, PyTorch's way, and the README's example works", () => {
    const [w, b, emb] = [start(4, 0), start(2, 1), start(16, 2)];
    const opt = new AdamW([{ params: { w, b } }, { params: { emb }, lr: 0.01, weightDecay: 0 }], {
      lr: 1e-3,
    });
    expect(opt.paramGroups).toHaveLength(2);
    expect(opt.paramGroups[0]).toMatchObject({
      lr: 1e-3,
      weightDecay: 0.01,
      betas: [0.9, 0.999],
      amsgrad: false,
    });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.01, weightDecay: 0, eps: 1e-8 });
    expect(Object.keys(opt.params)).toEqual(['w', 'b', 'emb']);
    opt.step({ w: gradient(0, 4), emb: gradient(0, 16) }); // b has no gradient: left alone
    expect(opt.stepCount('b')).toBe(0);
    expect(opt.stepCount('emb')).toBe(1);
  });

  it('an option changed between steps takes effect at the next step', () => {
    const w = start(5, 0);
    const w2 = w.slice();
    const opt = new Adagrad({ w }, { lr: 0.1 });
    const ref = new Adagrad({ w: w2 }, { lr: 0.1 });
    opt.step({ w: gradient(0, 5) });
    ref.step({ w: gradient(0, 5) });
    opt.paramGroups[0].lr = 0.02;
    // The old way: a state dict with other options.
    ref.loadStateDict({ ...ref.stateDict(), groups: undefined, options: { ...ref.options, lr: 0.02 } });
    opt.step({ w: gradient(1, 5) });
    ref.step({ w: gradient(1, 5) });
    expect(Array.from(w)).toEqual(Array.from(w2));
    expect(opt.options.lr).toBe(0.02);
  });

  it('options changed in place between steps (an element of betas) are seen, though unchanged ones are not resolved again', () => {
    const [w, w2] = [start(4, 0), start(4, 0)];
    const opt = new AdamW({ w }, { lr: 0.01 });
    const ref = new AdamW({ w: w2 }, { lr: 0.01, betas: [0.5, 0.999] });
    const lr = opt.options;
    opt.step({ w: gradient(0, 4) });
    // Resolved once and kept while nothing changes: the same options object step after step.
    expect(opt.options).toEqual(lr);
    (opt.paramGroups[0].betas as number[])[1] = 1.5;
    expect(() => opt.step({ w: gradient(1, 4) })).toThrow(/option 'betas\[1\]' must be in \[0, 1\)/);
    (opt.paramGroups[0].betas as number[])[1] = 0.999;
    (opt.paramGroups[0].betas as number[])[0] = 0.5;
    // From here both run with betas (0.5, 0.999): the same steps as an optimizer made so, after the first.
    ref.loadStateDict({ ...opt.stateDict(), groups: undefined, options: { ...ref.options } });
    w2.set(w);
    for (let t = 1; t < 4; t++) {
      opt.step({ w: gradient(t, 4) });
      ref.step({ w: gradient(t, 4) });
    }
    expect(opt.options.betas).toEqual([0.5, 0.999]);
    expect(Array.from(w)).toEqual(Array.from(w2));
  });

  it('a bad value is rejected at the next step, naming the group and the option, and nothing changes', () => {
    const [w, e] = [start(3, 0), start(4, 1)];
    const opt = new AdamW([{ params: { w } }, { params: { e }, lr: 0.01 }], { lr: 1e-3 });
    opt.step({ w: gradient(0, 3), e: gradient(0, 4) });
    const before = JSON.stringify(opt.stateDict());
    const values = [Array.from(w), Array.from(e)];
    opt.paramGroups[1].lr = -1;
    expect(() => opt.step({ w: gradient(1, 3), e: gradient(1, 4) })).toThrow(
      /AdamW: param group 1: option 'lr' must be a finite number >= 0, got -1/,
    );
    opt.paramGroups[1].lr = 0.01;
    opt.paramGroups[0].betas = [0.9, 1.5];
    expect(() => opt.step({ w: gradient(1, 3) })).toThrow(
      /AdamW: param group 0: option 'betas\[1\]' must be in \[0, 1\)/,
    );
    opt.paramGroups[0].betas = [0.9, 0.999];
    opt.paramGroups[0].amsgrad = true;
    expect(() => opt.step({ w: gradient(1, 3) })).toThrow(
      /param group 0: changing 'amsgrad' would change the state/,
    );
    opt.paramGroups[0].amsgrad = false;
    (opt.paramGroups[1] as Record<string, unknown>).lrr = 3;
    expect(() => opt.step({ w: gradient(1, 3) })).toThrow(/AdamW: param group 1: unknown option 'lrr'/);
    delete (opt.paramGroups[1] as Record<string, unknown>).lrr;
    expect([Array.from(w), Array.from(e)]).toEqual(values);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
    opt.step({ w: gradient(1, 3) }); // all fixed: it steps again
    expect(opt.steps).toBe(2);
  });

  it('bad groups are refused when the optimizer is made', () => {
    const [w, e] = [start(3, 0), start(4, 1)];
    expect(() => new AdamW([{ params: { w } }, { params: { e }, lrr: 0.01 }])).toThrow(
      /AdamW: param group 1: unknown option 'lrr'/,
    );
    expect(() => new AdamW([{ params: { w } }, { params: { w, e } }])).toThrow(
      /parameter 'w' is in param groups 0 and 1: a parameter belongs to one group/,
    );
    expect(() => new AdamW([])).toThrow(/no parameter groups given/);
    expect(() => new AdamW([{ params: {} }])).toThrow(/param group 0: no parameters given/);
    expect(
      () => new AdamW([{ params: { w } }, { params: { e }, lr: cosineDecay({ init: -1, steps: 3 }) }]),
    ).toThrow(OptimizerInputError);
    expect(() =>
      createOptimizer('full-matrix-adagrad', [{ params: { w } }, { params: { e } }] as never),
    ).toThrow(/takes one param group/);
  });
});

describe('schedules wherever lr is', () => {
  const schedule: Schedule = sequential(
    [cosineDecay({ init: 0.1, steps: 20, warmup: 5 }), { type: 'StepLR', lr: 0.01, stepSize: 3, gamma: 0.5 }],
    [20],
  );

  it('each step uses the schedule at the step number; lrAt reports it', () => {
    const w = start(6, 0);
    const w2 = w.slice();
    const opt = new SGD({ w }, { lr: schedule, momentum: 0.9 });
    const ref = new SGD({ w: w2 }, { lr: 0, momentum: 0.9 });
    expect(opt.lrAt(0)).toBe(0);
    expect(opt.lrAt(5)).toBe(0.1);
    for (let t = 0; t < 30; t++) {
      expect(opt.lrAt()).toBe(scheduleAt(schedule, t));
      ref.paramGroups[0].lr = scheduleAt(schedule, t);
      opt.step({ w: gradient(t, 6) });
      ref.step({ w: gradient(t, 6) });
    }
    expect(Array.from(w)).toEqual(Array.from(w2));
    expect(opt.paramGroups[0].lr).toEqual(schedule);
    expect(opt.options.lr).toBe(scheduleAt(schedule, 30));
  });

  it('createOptimizer takes groups and a schedule too', () => {
    const w = start(4, 0);
    const opt = createOptimizer('adam', [{ params: { w } }], { lr: schedule });
    opt.step({ w: gradient(0, 4) });
    expect(opt.lrAt()).toBe(scheduleAt(schedule, 1));
  });

  it('a state dict records groups, schedules and the step: it round-trips and resumes bit for bit', () => {
    const make = (w: Float32Array, e: Float32Array) =>
      new AdamW([{ params: { w } }, { params: { e }, lr: schedule, weightDecay: 0 }], { lr: 1e-3 });
    const [w, e] = [start(5, 0), start(8, 1)];
    const [w2, e2] = [w.slice(), e.slice()];
    const a = make(w, e);
    for (let t = 0; t < 12; t++) a.step({ w: gradient(t, 5), e: gradient(t, 8) });
    const saved = JSON.parse(JSON.stringify(a.stateDict())) as ReturnType<AdamW['stateDict']>;
    expect(saved.groups?.map((g) => g.params)).toEqual([['w'], ['e']]);
    expect(saved.groups?.[1].options.lr).toEqual(schedule);
    expect(saved.steps).toBe(12);
    const b = make(w2, e2);
    w2.set(w);
    e2.set(e);
    b.loadStateDict(saved);
    expect(b.stateDict()).toEqual(a.stateDict());
    for (let t = 12; t < 25; t++) {
      a.step({ w: gradient(t, 5), e: gradient(t, 8) });
      b.step({ w: gradient(t, 5), e: gradient(t, 8) });
    }
    expect([Array.from(w2), Array.from(e2)]).toEqual([Array.from(w), Array.from(e)]);
  });

  it('a state dict for other groups is refused; one from before groups still loads', () => {
    const [w, e] = [start(5, 0), start(8, 1)];
    const opt = new AdamW([{ params: { w } }, { params: { e } }]);
    opt.step({ w: gradient(0, 5), e: gradient(0, 8) });
    const d = opt.stateDict();
    const swapped = { ...d, groups: [d.groups![1], d.groups![0]] };
    expect(() => opt.loadStateDict(swapped)).toThrow(/param group 0 holds e in the state, w here/);
    const old = { ...d, groups: undefined, steps: undefined };
    opt.loadStateDict(old);
    expect(opt.steps).toBe(1);
  });
});
