/**
 * Learning-rate schedules as data: plain JSON objects (so a state dict holding one resumes mid-schedule
 * bit for bit), evaluated by scheduleAt(schedule, step) with step = 0 for the first optimizer step.
 *
 * Two families, both exact to their source:
 * - closed forms, as Optax writes them (constant, exponential/step decay, polynomial/linear, cosine
 *   decay, PyTorch's Adagrad lr_decay), joined by `sequential` (Optax's join_schedules) or `warmup`;
 * - PyTorch's schedulers by their own names (StepLR, ExponentialLR, CosineAnnealingLR, LinearLR),
 *   computed as their step() does: each rate from the previous one, so the doubles match PyTorch's.
 *   sequential() over them is SequentialLR.
 * ReduceLROnPlateau, the one schedule fed a metric, is a small class at the end.
 */
import { OptimizerInputError } from './errors.js';
import { exactCos } from './exact-cos.js';
import { describe } from './validate.js';

export type Schedule =
  | { type: 'constant'; value: number }
  | {
      type: 'exponential';
      init: number;
      /** Multiplier per `every` steps (Optax's decay_rate, PyTorch's gamma). */
      rate: number;
      every: number;
      staircase: boolean;
      begin: number;
      /** A floor (rate < 1) or ceiling (rate > 1) the value does not pass; absent: none. */
      end?: number;
    }
  | { type: 'polynomial'; init: number; end: number; power: number; steps: number; begin: number }
  | { type: 'cosine'; init: number; steps: number; alpha: number; exponent: number }
  | { type: 'lrDecay'; init: number; decay: number }
  | { type: 'sequential'; schedules: Schedule[]; boundaries: number[] }
  | { type: 'StepLR'; lr: number; stepSize: number; gamma: number }
  | { type: 'ExponentialLR'; lr: number; gamma: number }
  | { type: 'CosineAnnealingLR'; lr: number; tMax: number; etaMin: number }
  | { type: 'LinearLR'; lr: number; startFactor: number; endFactor: number; totalIters: number };

/** A learning rate: a number, or a schedule of the step. */
export type LearningRate = number | Schedule;

// ---------------------------------------------------------------------------------------------------
// Builders: the readable way to write a schedule. Each returns plain data.

export const constantLr = (value: number): Schedule => checked({ type: 'constant', value });

/** Optax's exponential_decay: init·rate^((t − begin)/every), floored to whole periods with staircase. */
export function exponentialDecay(o: {
  init: number;
  rate: number;
  every?: number;
  staircase?: boolean;
  begin?: number;
  end?: number;
}): Schedule {
  return checked({
    type: 'exponential',
    init: o.init,
    rate: o.rate,
    every: o.every ?? 1,
    staircase: o.staircase ?? false,
    begin: o.begin ?? 0,
    ...(o.end !== undefined ? { end: o.end } : {}),
  });
}

/** Step decay: init·gamma^⌊t/every⌋ (StepLR's closed form). */
export const stepDecay = (o: { init: number; gamma: number; every: number }): Schedule =>
  exponentialDecay({ init: o.init, rate: o.gamma, every: o.every, staircase: true });

/** Optax's polynomial_schedule: (init − end)·(1 − t/steps)^power + end, t counted from `begin`. */
export const polynomialDecay = (o: {
  init: number;
  end: number;
  power?: number;
  steps: number;
  begin?: number;
}): Schedule =>
  checked({
    type: 'polynomial',
    init: o.init,
    end: o.end,
    power: o.power ?? 1,
    steps: o.steps,
    begin: o.begin ?? 0,
  });

/** Optax's linear_schedule: from init to end over `steps`, then end. */
export const linearSchedule = (o: { init: number; end: number; steps: number; begin?: number }): Schedule =>
  polynomialDecay({ ...o, power: 1 });

/**
 * Optax's cosine_decay_schedule: init·((1 − alpha)·(½(1 + cos(π·t/steps)))^exponent + alpha), held at
 * init·alpha after `steps`. With `warmup`, first a linear rise from `warmupFrom` (0) over that many
 * steps, and the cosine takes the remaining steps − warmup (Optax's warmup_cosine_decay_schedule).
 */
export function cosineDecay(o: {
  init: number;
  steps: number;
  alpha?: number;
  exponent?: number;
  warmup?: number;
  warmupFrom?: number;
}): Schedule {
  const warmupSteps = o.warmup ?? 0;
  const cosine = (steps: number): Schedule =>
    checked({ type: 'cosine', init: o.init, steps, alpha: o.alpha ?? 0, exponent: o.exponent ?? 1 });
  if (warmupSteps === 0) return cosine(o.steps);
  return warmup({ from: o.warmupFrom ?? 0, steps: warmupSteps, then: cosine(o.steps - warmupSteps) });
}

/** PyTorch's Adagrad lr_decay as a schedule: init / (1 + t·decay). */
export const lrDecay = (o: { init: number; decay: number }): Schedule =>
  checked({ type: 'lrDecay', init: o.init, decay: o.decay });

/** Each schedule in turn, the next starting its own count at 0 at its boundary (join_schedules, SequentialLR). */
export const sequential = (schedules: Schedule[], boundaries: number[]): Schedule =>
  checked({ type: 'sequential', schedules, boundaries });

/** A linear rise from `from` to the schedule's first value over `steps` steps, then the schedule. */
export function warmup(o: { from?: number; steps: number; then: Schedule }): Schedule {
  checkSchedule(o.then, 'warmup.then');
  const peak = scheduleAt(o.then, 0);
  return sequential([linearSchedule({ init: o.from ?? 0, end: peak, steps: o.steps }), o.then], [o.steps]);
}

// ---------------------------------------------------------------------------------------------------
// Evaluation.

/** The learning rate a schedule gives at `step` (0 for the first step). */
export function scheduleAt(s: LearningRate, step: number): number {
  if (typeof s === 'number') return s;
  checkSchedule(s, 'schedule');
  if (!Number.isInteger(step) || step < 0) {
    throw new OptimizerInputError(`schedule: step must be an integer >= 0, got ${describe(step)}`);
  }
  return valueAt(s, step);
}

/** `joined`: the schedule starts at a boundary of a sequential one (SequentialLR calls its step(0)). */
function valueAt(given: Schedule, t: number, joined = false): number {
  const s = complete(given);
  switch (s.type) {
    case 'constant':
      return s.value;
    case 'exponential': {
      const counted = t - s.begin;
      if (counted <= 0) return s.init;
      let p = counted / s.every;
      if (s.staircase) p = Math.floor(p);
      const v = s.init * s.rate ** p;
      if (s.end === undefined) return v;
      return s.rate < 1 ? Math.max(v, s.end) : Math.min(v, s.end);
    }
    case 'polynomial': {
      if (s.steps <= 0) return s.init;
      const count = Math.min(Math.max(t - s.begin, 0), s.steps);
      return (s.init - s.end) * (1 - count / s.steps) ** s.power + s.end;
    }
    case 'cosine': {
      const count = Math.min(t, s.steps);
      const cosine = 0.5 * (1 + exactCos((Math.PI * count) / s.steps));
      return s.init * ((1 - s.alpha) * cosine ** s.exponent + s.alpha);
    }
    case 'lrDecay':
      return s.init / (1 + t * s.decay);
    case 'sequential': {
      let i = 0;
      while (i < s.boundaries.length && t >= s.boundaries[i]) i++;
      if (i === 0) return valueAt(s.schedules[0], t);
      return valueAt(s.schedules[i], t - s.boundaries[i - 1], true);
    }
    default:
      return chainedAt(given as Chained, s, t, joined);
  }
}

type Chained = Extract<Schedule, { type: 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'LinearLR' }>;

/** The last value computed for a PyTorch-style schedule, so stepping through a run costs O(1) a step. */
const lastChained = new WeakMap<object, { key: string; t: number; lr: number }>();

/**
 * PyTorch's schedulers compute each rate from the previous one (get_lr), so their doubles differ in the
 * last places from any closed form; this walks the same recurrence from step 0.
 */
function chainedAt(given: Chained, s: Chained, t: number, joined: boolean): number {
  const key = `${joined}${JSON.stringify(s)}`;
  const memo = lastChained.get(given);
  let k = 0;
  let lr = chainedStart(s, joined);
  if (memo !== undefined && memo.key === key && memo.t <= t) ({ t: k, lr } = memo);
  for (; k < t;) lr = chainedNext(s, ++k, lr);
  lastChained.set(given, { key, t, lr });
  return lr;
}

/**
 * The rate at step 0: what the scheduler's construction sets or, joined at a SequentialLR milestone,
 * what its step(0) sets, the closed form (which for CosineAnnealingLR rounds to etaMin + (lr − etaMin)).
 */
function chainedStart(s: Chained, joined: boolean): number {
  if (s.type === 'LinearLR') return s.lr * s.startFactor;
  if (s.type === 'CosineAnnealingLR' && joined) return s.etaMin + ((s.lr - s.etaMin) * (1 + exactCos(0))) / 2;
  return s.lr;
}

/** get_lr() at last_epoch = t, from the rate at t − 1 (torch/optim/lr_scheduler.py). */
function chainedNext(s: Chained, t: number, lr: number): number {
  switch (s.type) {
    case 'StepLR':
      return t % s.stepSize === 0 ? lr * s.gamma : lr;
    case 'ExponentialLR':
      return lr * s.gamma;
    case 'CosineAnnealingLR': {
      const T = s.tMax;
      if ((t - 1 - T) % (2 * T) === 0) {
        return lr + ((s.lr - s.etaMin) * (1 - exactCos(Math.PI / T))) / 2;
      }
      return (
        ((1 + exactCos((Math.PI * t) / T)) / (1 + exactCos((Math.PI * (t - 1)) / T))) * (lr - s.etaMin) +
        s.etaMin
      );
    }
    case 'LinearLR': {
      if (t > s.totalIters) return lr;
      const d = s.endFactor - s.startFactor;
      return lr * (1 + d / (s.totalIters * s.startFactor + (t - 1) * d));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Validation: every schedule is checked where it enters (builders, optimizers, state dicts).

const fields: Record<Schedule['type'], Record<string, 'rate' | 'positive' | 'count' | 'any' | 'flag'>> = {
  constant: { value: 'rate' },
  exponential: {
    init: 'rate',
    rate: 'rate',
    every: 'positive',
    staircase: 'flag',
    begin: 'count',
    end: 'rate',
  },
  polynomial: { init: 'rate', end: 'rate', power: 'positive', steps: 'count', begin: 'count' },
  cosine: { init: 'rate', steps: 'positive', alpha: 'rate', exponent: 'positive' },
  lrDecay: { init: 'rate', decay: 'rate' },
  sequential: { schedules: 'any', boundaries: 'any' },
  StepLR: { lr: 'rate', stepSize: 'positive', gamma: 'rate' },
  ExponentialLR: { lr: 'rate', gamma: 'rate' },
  CosineAnnealingLR: { lr: 'rate', tMax: 'positive', etaMin: 'rate' },
  LinearLR: { lr: 'rate', startFactor: 'positive', endFactor: 'rate', totalIters: 'positive' },
};
/** Fields a schedule written as JSON may leave out, with the value it then has (Optax's and PyTorch's defaults). */
const DEFAULTS: Record<string, Record<string, number | boolean>> = {
  exponential: { every: 1, staircase: false, begin: 0 },
  polynomial: { power: 1, begin: 0 },
  cosine: { alpha: 0, exponent: 1 },
  CosineAnnealingLR: { etaMin: 0 },
  LinearLR: { startFactor: 1 / 3, endFactor: 1 },
};
const optional = new Set(['exponential.end']);

/** The schedule with every field left out filled in. */
function complete<S extends Schedule>(s: S): S {
  const d = DEFAULTS[s.type];
  return d === undefined ? s : ({ ...d, ...s } as S);
}

function checked(s: Schedule): Schedule {
  checkSchedule(s, 'schedule');
  return s;
}

/**
 * Throws an OptimizerInputError naming the field (`where.schedules[1].init`) if `s` is not a valid
 * schedule: an unknown type or field, a negative or non-finite value, boundaries out of order.
 */
export function checkSchedule(s: unknown, where: string): asserts s is Schedule {
  const fail = (why: string): never => {
    throw new OptimizerInputError(`${where}: ${why}`);
  };
  if (typeof s !== 'object' || s === null || Array.isArray(s))
    fail(`expected a schedule object, got ${describe(s)}`);
  const o = s as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string' || !Object.hasOwn(fields, type)) {
    fail(`unknown schedule type ${describe(type)} (one of ${Object.keys(fields).join(', ')})`);
  }
  const spec = fields[type as Schedule['type']];
  for (const key of Object.keys(o)) {
    if (key !== 'type' && !Object.hasOwn(spec, key)) {
      fail(
        `unknown field '${key}' for a '${String(type)}' schedule (fields: ${Object.keys(spec).join(', ')})`,
      );
    }
  }
  for (const [key, kind] of Object.entries(spec)) {
    const v = o[key];
    if (
      v === undefined &&
      (optional.has(`${String(type)}.${key}`) || DEFAULTS[String(type)]?.[key] !== undefined)
    )
      continue;
    const at = `'${key}'`;
    if (kind === 'flag') {
      if (typeof v !== 'boolean') fail(`${at} must be true or false, got ${describe(v)}`);
    } else if (kind === 'rate') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        fail(`${at} must be a finite number >= 0, got ${describe(v)}`);
    } else if (kind === 'positive') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
        fail(`${at} must be a finite number > 0, got ${describe(v)}`);
    } else if (kind === 'count') {
      if (!Number.isInteger(v) || (v as number) < 0)
        fail(`${at} must be an integer >= 0, got ${describe(v)}`);
    }
  }
  if (type === 'StepLR' || type === 'CosineAnnealingLR' || type === 'LinearLR') {
    const key = type === 'StepLR' ? 'stepSize' : type === 'LinearLR' ? 'totalIters' : 'tMax';
    if (!Number.isInteger(o[key])) fail(`'${key}' must be a whole number of steps, got ${describe(o[key])}`);
  }
  if (type === 'sequential') {
    const { schedules, boundaries } = o;
    if (!Array.isArray(schedules) || schedules.length === 0) fail(`'schedules' must be a non-empty array`);
    if (!Array.isArray(boundaries) || boundaries.length !== (schedules as unknown[]).length - 1) {
      fail(
        `'boundaries' must be an array of ${(schedules as unknown[]).length - 1} step numbers (one fewer than schedules)`,
      );
    }
    (boundaries as unknown[]).forEach((b, i) => {
      if (
        !Number.isInteger(b) ||
        (b as number) <= 0 ||
        (i > 0 && (b as number) <= (boundaries as number[])[i - 1])
      ) {
        fail(`'boundaries[${i}]' must be an integer step > 0 and above the one before, got ${describe(b)}`);
      }
    });
    (schedules as unknown[]).forEach((inner, i) => checkSchedule(inner, `${where}.schedules[${i}]`));
  }
}

/** Checks a learning rate option: a finite number >= 0 or a valid schedule. */
export function checkLearningRate(value: unknown, where: string): LearningRate {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new OptimizerInputError(
        `${where} must be a finite number >= 0 or a schedule, got ${describe(value)}`,
      );
    }
    return value;
  }
  checkSchedule(value, where);
  return value;
}

// ---------------------------------------------------------------------------------------------------

export interface ReduceLROnPlateauOptions {
  /** The starting learning rate. */
  lr: number;
  /** 'min': a falling metric is progress (a loss); 'max': a rising one (an accuracy). */
  mode?: 'min' | 'max';
  /** The rate is multiplied by this on a plateau (default 0.1). */
  factor?: number;
  /** How many metrics without progress are a plateau (default 10). */
  patience?: number;
  /** Least progress that counts (default 1e-4), relative to the best or absolute per thresholdMode. */
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  /** Metrics to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The rate never goes below this (default 0). */
  minLr?: number;
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps?: number;
}

/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau for one rate: feed it the metric once per epoch with
 * step(metric); it returns the rate to use next (`opt.paramGroups[0].lr = plateau.step(loss)`). All of
 * its state is public plain data: JSON.stringify(plateau) and ReduceLROnPlateau.from(json) resume it.
 */
export class ReduceLROnPlateau {
  lr: number;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLr: number;
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;

  constructor(options: ReduceLROnPlateauOptions) {
    const where = 'ReduceLROnPlateau';
    const known = [
      'lr',
      'mode',
      'factor',
      'patience',
      'threshold',
      'thresholdMode',
      'cooldown',
      'minLr',
      'eps',
    ];
    for (const key of Object.keys(options ?? {})) {
      if (!known.includes(key))
        throw new OptimizerInputError(`${where}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
    const number = (key: string, v: unknown, ok: (x: number) => boolean, what: string): number => {
      if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
        throw new OptimizerInputError(`${where}: option '${key}' must be ${what}, got ${describe(v)}`);
      return v;
    };
    this.lr = number('lr', options.lr, (x) => x >= 0, 'a finite number >= 0');
    this.mode = options.mode ?? 'min';
    if (this.mode !== 'min' && this.mode !== 'max')
      throw new OptimizerInputError(
        `${where}: option 'mode' must be 'min' or 'max', got ${describe(this.mode)}`,
      );
    this.factor = number('factor', options.factor ?? 0.1, (x) => x >= 0 && x < 1, 'in [0, 1)');
    this.patience = number(
      'patience',
      options.patience ?? 10,
      (x) => Number.isInteger(x) && x >= 0,
      'an integer >= 0',
    );
    this.threshold = number('threshold', options.threshold ?? 1e-4, (x) => x >= 0, 'a finite number >= 0');
    this.thresholdMode = options.thresholdMode ?? 'rel';
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs')
      throw new OptimizerInputError(
        `${where}: option 'thresholdMode' must be 'rel' or 'abs', got ${describe(this.thresholdMode)}`,
      );
    this.cooldown = number(
      'cooldown',
      options.cooldown ?? 0,
      (x) => Number.isInteger(x) && x >= 0,
      'an integer >= 0',
    );
    this.minLr = number('minLr', options.minLr ?? 0, (x) => x >= 0, 'a finite number >= 0');
    this.eps = number('eps', options.eps ?? 1e-8, (x) => x >= 0, 'a finite number >= 0');
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Restores a plateau from JSON.parse(JSON.stringify(plateau)). */
  static from(saved: ReturnType<ReduceLROnPlateau['toJSON']>): ReduceLROnPlateau {
    const { best, numBadEpochs, cooldownCounter, lastEpoch, ...options } = saved;
    const p = new ReduceLROnPlateau(options);
    Object.assign(p, {
      best: best === null ? p.best : best,
      numBadEpochs,
      cooldownCounter,
      lastEpoch,
    });
    return p;
  }

  toJSON(): Required<ReduceLROnPlateauOptions> & {
    best: number | null;
    numBadEpochs: number;
    cooldownCounter: number;
    lastEpoch: number;
  } {
    const { lr, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps } = this;
    return {
      lr,
      mode,
      factor,
      patience,
      threshold,
      thresholdMode,
      cooldown,
      minLr,
      eps,
      // JSON has no Infinity: null stands for "no metric seen yet".
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
    };
  }

  /** Records one metric; returns the learning rate to use from now on. */
  step(metric: number): number {
    if (typeof metric !== 'number' || Number.isNaN(metric)) {
      throw new OptimizerInputError(
        `ReduceLROnPlateau.step: metric must be a number, got ${describe(metric)}`,
      );
    }
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      const reduced = Math.max(this.lr * this.factor, this.minLr);
      if (this.lr - reduced > this.eps) this.lr = reduced;
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    return this.lr;
  }

  private isBetter(a: number): boolean {
    const best = this.best;
    if (this.mode === 'min') {
      return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    }
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }
}
