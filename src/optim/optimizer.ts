import { free, stateLike } from '../kernels/index.js';
import { OptimizerInputError } from './errors.js';
import { checkGradient, type CheckedDense, type CheckedGradient, type CheckedSparse } from './gradients.js';
import { checkSchedule, scheduleAt, type LearningRate } from './schedules.js';
import type { FloatArray, Gradients, Params } from './types.js';
import { describe, flag } from './validate.js';

/** Options every optimizer takes besides its hyperparameters. */
export interface CommonOptions {
  /**
   * Reject a step whose gradients hold NaN or Infinity before any parameter changes (default true).
   * Costs one extra read of every gradient value per step: measurable on large dense steps, where it
   * can be turned off once the gradients are known to be finite.
   */
  checkFinite: boolean;
}

/** A parameter's state: its own step counter (as in PyTorch) and named buffers of its length. */
export interface ParamState {
  step: number;
  buffers: Record<string, FloatArray>;
}

export const STATE_FORMAT = 'adagrad/optimizer-state';
export const STATE_VERSION = 1;

/**
 * A group of parameters with options of its own (PyTorch's param_groups): `{ params: { emb }, lr: 0.01 }`.
 * In `opt.paramGroups` every option is filled in, and can be changed between steps; `lr` may be a schedule.
 */
export type ParamGroup = { params: Params; lr?: LearningRate } & Record<string, unknown>;

/** What a constructor takes as options: the resolved ones, any left out, lr a number or a schedule. */
export type OptionsOf<O> = Partial<Omit<O, 'lr'>> & { lr?: LearningRate };

/** An optimizer's parameters: named buffers (one group), or a list of groups. */
export type ParamsOrGroups = Params | readonly ParamGroup[];

/** The JSON form of an optimizer's state: stateDict() returns it, loadStateDict() takes it back. */
export interface StateDict {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  optimizer: string;
  /** The first group's options (a dict without `groups` gives them to every group). */
  options: Record<string, unknown>;
  /** Each group's parameter names and options, lr schedules included. */
  groups?: Array<{ params: string[]; options: Record<string, unknown> }>;
  /** How many steps the optimizer has taken: where its schedules are. */
  steps?: number;
  state: Record<
    string,
    { dtype: 'float32' | 'float64'; length: number; step: number; buffers: Record<string, number[]> }
  >;
}

const dtypeOf = (a: FloatArray): 'float32' | 'float64' => (a instanceof Float32Array ? 'float32' : 'float64');

/**
 * What all optimizers share: parameter bookkeeping, validation of a whole step before any update,
 * per-parameter state, serialization and introspection. Subclasses supply the update rule.
 */
export abstract class Optimizer<O extends CommonOptions> {
  /** The PyTorch class name, recorded in state dicts. */
  abstract readonly name: string;
  /** Every parameter, of all groups. */
  readonly params: Readonly<Params>;
  /**
   * The groups with their options, every option filled in: change any between steps
   * (`opt.paramGroups[1].lr = 1e-4`); the next step checks them before it changes anything.
   */
  readonly paramGroups: ParamGroup[];
  /** The options in force for the group being stepped (between steps: the first group's, for the next step). */
  protected opts: O;
  protected readonly state = new Map<string, ParamState>();
  private disposed = false;
  private readonly groupOf = new Map<string, number>();
  /** Each group's options for the next step, resolved (scheduled lr as a number). */
  private resolved: O[];
  private stepsTaken = 0;

  /**
   * `options` are the defaults as the user gave them; each group's options over them are checked by the
   * subclass's resolveOptions, so subclasses validate once, in one place, for every group.
   */
  protected constructor(params: ParamsOrGroups, options: object) {
    if (typeof options !== 'object' || options === null) {
      throw new OptimizerInputError(`options must be an object, got ${describe(options)}`);
    }
    const defaults = { ...(options as Record<string, unknown>) };
    const grouped = Array.isArray(params);
    const specs = (grouped ? params : [{ params }]) as readonly ParamGroup[];
    if (grouped && specs.length === 0) throw new OptimizerInputError('no parameter groups given');
    const all: Params = {};
    this.paramGroups = specs.map((spec, i) => {
      const at = grouped ? `param group ${i}: ` : '';
      if (typeof spec !== 'object' || spec === null || !('params' in spec)) {
        throw new OptimizerInputError(
          `param group ${i} must be an object { params, ...options }, got ${describe(spec)}`,
        );
      }
      const { params: groupParams, ...overrides } = spec;
      const checked = checkParams(groupParams as Params, at);
      for (const name of Object.keys(checked)) {
        const other = this.groupOf.get(name);
        if (other !== undefined) {
          throw new OptimizerInputError(
            `parameter '${name}' is in param groups ${other} and ${i}: a parameter belongs to one group`,
          );
        }
        this.groupOf.set(name, i);
        all[name] = checked[name];
      }
      return { ...defaults, ...overrides, params: checked } as ParamGroup;
    });
    this.params = all;
    this.resolved = this.paramGroups.map((_, i) => this.resolveGroup(i, 0));
    // PyTorch fills every option into each group.
    this.paramGroups.forEach((g, i) =>
      Object.assign(g, { ...this.resolved[i], lr: g.lr ?? (this.resolved[i] as { lr?: number }).lr }),
    );
    this.opts = this.resolved[0];
  }

  /** The options in force for the next step (the first group's), with defaults filled in. */
  get options(): Readonly<O> {
    return { ...this.opts };
  }

  /** How many steps the optimizer has taken (what its lr schedules are evaluated at: 0 for the first). */
  get steps(): number {
    return this.stepsTaken;
  }

  /** The learning rate a group gets at a step (its schedule's value; default: the next step, group 0). */
  lrAt(step: number = this.stepsTaken, group = 0): number {
    const g = this.paramGroups[group];
    if (g === undefined) {
      throw new OptimizerInputError(
        `${this.name}.lrAt: no param group ${group} (there are ${this.paramGroups.length})`,
      );
    }
    return scheduleAt(checkLearningRateOf(this.name, group, g.lr), step);
  }

  /**
   * A group's options at step t, checked by the subclass: a schedule's value stands in for lr. Errors
   * name the group when there are several.
   */
  private resolveGroup(i: number, t: number, given?: Record<string, unknown>): O {
    // Steps resolve every group's options twice (before and after): when a group's options are the
    // ones resolved last time and its lr is no schedule, that resolution stands. A small page of
    // demos takes thousands of steps, most before V8 has optimized the checks.
    const last = this.lastResolution[i];
    if (given === undefined && last !== undefined && sameOptions(last.from, last.keys, this.paramGroups[i])) {
      return last.options;
    }
    const options = this.resolveGroupOptions(i, t, given);
    const from = given ?? this.paramGroups[i];
    if (typeof from.lr !== 'object') {
      const snapshot = snapshotOptions(from);
      this.lastResolution[i] = { from: snapshot, keys: Object.keys(snapshot).length, options };
    }
    return options;
  }

  /** Per group: the options last resolved (copied, with their number of keys) and what they resolved to. */
  private readonly lastResolution: (
    { from: Record<string, unknown>; keys: number; options: O } | undefined
  )[] = [];

  private resolveGroupOptions(i: number, t: number, given?: Record<string, unknown>): O {
    const { params: _params, ...raw } = given ?? this.paramGroups[i];
    const name = () => (this as { name?: string }).name ?? 'optimizer';
    const where = this.paramGroups.length > 1 ? `param group ${i}: ` : '';
    try {
      if (typeof raw.lr === 'object' && raw.lr !== null) {
        checkSchedule(raw.lr, `${where}option 'lr'`);
        raw.lr = scheduleAt(raw.lr as LearningRate, t);
      }
      return this.resolveOptions(raw);
    } catch (e) {
      if (!(e instanceof OptimizerInputError) || where === '') throw e;
      const m = /^(\w+): (.*)$/s.exec(e.message);
      throw new OptimizerInputError(m ? `${m[1]}: ${where}${m[2]}` : `${name()}: ${where}${e.message}`);
    }
  }

  /** Runs fn with this.opts set to the options of the group `name` belongs to. */
  private withGroupOptions<T>(name: string, fn: () => T): T {
    const saved = this.opts;
    this.opts = this.resolved[this.groupOf.get(name) ?? 0];
    try {
      return fn();
    } finally {
      this.opts = saved;
    }
  }

  /** The buffers this optimizer keeps for a parameter under its options. */
  protected abstract bufferNames(options: O): readonly string[];
  /** The value a buffer starts from (AdaGrad's initial accumulator; zero elsewhere). */
  protected initialValue(_buffer: string): number {
    return 0;
  }
  protected abstract applyDense(param: FloatArray, grad: CheckedDense, st: ParamState): void;
  protected applySparse(_param: FloatArray, _grad: CheckedSparse, _st: ParamState): void {
    throw new Error(`${this.name} has no sparse update`);
  }
  protected get sparseAllowed(): boolean {
    return false;
  }
  /** Called once per step with all checked gradients, before any update: a last chance to refuse. */
  protected checkStep(_checked: ReadonlyMap<string, CheckedGradient>): void {}

  /** The buffer shown as "the accumulator" (AdaGrad's G, the second-moment average of the others). */
  protected abstract accumulatorBuffer(): string | null;
  /** The step size each coordinate of the parameter would get per unit of gradient now. */
  protected abstract effectiveRate(st: ParamState, i: number): number;

  /**
   * One step. Every gradient is checked (names, lengths, indices, finiteness) before any parameter or
   * state changes, so a rejected step leaves everything as it was.
   */
  step(grads: Gradients): void {
    this.checkAlive('step');
    if (typeof grads !== 'object' || grads === null) {
      throw new OptimizerInputError(`${this.name}.step: expected an object of gradients by parameter name`);
    }
    // Plain loops, no callbacks or per-step closures: pages of demos take thousands of small steps,
    // most of them before V8 has compiled this method, where every call and allocation counts.
    const groups = this.paramGroups.length;
    // Every group's options (changed since the last step, or scheduled) are checked first.
    const options: O[] = [];
    for (let i = 0; i < groups; i++) options.push(this.resolveGroup(i, this.stepsTaken));
    for (let i = 0; i < groups; i++) this.checkBuffersUnchanged(i, options[i]);
    const byGroup: Array<Map<string, CheckedGradient>> = [];
    for (let i = 0; i < groups; i++) byGroup.push(new Map());
    const saved = this.resolved;
    try {
      for (const name of Object.keys(grads)) {
        const grad = grads[name];
        if (grad === undefined) continue;
        const param = this.params[name];
        if (param === undefined) {
          throw new OptimizerInputError(
            `${this.name}.step: gradient for unknown parameter '${name}' (parameters: ${Object.keys(this.params).join(', ')})`,
          );
        }
        const g = this.groupOf.get(name) as number;
        this.opts = options[g];
        byGroup[g].set(
          name,
          checkGradient(this.name, name, param, grad, {
            sparseAllowed: this.sparseAllowed,
            checkFinite: this.opts.checkFinite,
          }),
        );
      }
      this.resolved = options;
      for (let g = 0; g < groups; g++) {
        this.opts = options[g];
        this.checkStep(byGroup[g]);
      }
      for (let g = 0; g < groups; g++) {
        this.opts = options[g];
        for (const [name, grad] of byGroup[g]) {
          const param = this.params[name];
          const st = this.stateOf(name);
          st.step += 1;
          if (grad.kind === 'dense') this.applyDense(param, grad, st);
          else this.applySparse(param, grad, st);
        }
      }
    } catch (e) {
      this.resolved = saved;
      this.opts = saved[0];
      throw e;
    }
    this.stepsTaken += 1;
    this.resolveAfterStep(options);
  }

  /**
   * Options for the next step (a schedule moves on); kept as they were if a group's value is now bad.
   * Nothing but the step ran since `used` were resolved, so a group whose lr is no schedule resolves to
   * the options it used (resolveGroup would compare every option again to find that out).
   */
  private resolveAfterStep(used: readonly O[]): void {
    try {
      const next: O[] = [];
      for (let i = 0; i < used.length; i++) {
        const last = this.lastResolution[i];
        const unchanged =
          typeof this.paramGroups[i].lr !== 'object' && last !== undefined && last.options === used[i];
        next.push(unchanged ? used[i] : this.resolveGroup(i, this.stepsTaken));
      }
      this.resolved = next;
    } catch {
      // The next step reports it, naming the group and option.
    }
    this.opts = this.resolved[0];
  }

  /** An option that changes which buffers a parameter keeps (Adam's amsgrad) cannot change mid-run. */
  private checkBuffersUnchanged(group: number, next: O): void {
    if (next === this.resolved[group]) return;
    const before = this.bufferNames(this.resolved[group]).join(', ');
    const after = this.bufferNames(next).join(', ');
    if (before !== after) {
      const changed = Object.keys(next).filter(
        (k) =>
          JSON.stringify((next as Record<string, unknown>)[k]) !==
          JSON.stringify((this.resolved[group] as Record<string, unknown>)[k]),
      );
      throw new OptimizerInputError(
        `${this.name}: param group ${group}: changing ${changed.map((k) => `'${k}'`).join(', ')} would change the state the optimizer keeps (${before || 'none'} -> ${after || 'none'}); make a new optimizer instead`,
      );
    }
  }

  /**
   * One sparse step on parameter `name` with a gradient already in the form step() checks and
   * coalesces it into: distinct rows in range, rowSize finite values per row. It runs the same
   * update (scalars, kernel, state) without those checks, for a caller that builds such gradients
   * itself, one small step at a time (the linear learner, per example), where checking would cost
   * as much as the update. Only for optimizers that take sparse gradients.
   */
  stepCoalesced(name: string, rows: ArrayLike<number>, values: ArrayLike<number>, rowSize: number): void {
    if (!this.sparseAllowed) throw new OptimizerInputError(`${this.name} has no sparse update`);
    const st = this.stateOf(name);
    st.step += 1;
    // One gradient record reused from call to call: a caller stepping per example would otherwise
    // leave one behind per step. applySparse reads it and keeps nothing.
    const grad = this.coalescedGradient;
    grad.rows = rows;
    grad.values = values;
    grad.rowSize = rowSize;
    this.applySparse(this.paramOf(name), grad, st);
  }
  private readonly coalescedGradient: CheckedSparse = { kind: 'sparse', rows: [], values: [], rowSize: 1 };

  /**
   * The parameter's state itself, not a copy: its step count and live buffers (AdaGrad's 'sum',
   * FTRL's 'z' and 'n', ...). For a caller that reads state in a hot loop or saves and restores it in
   * bulk; what it writes there is the optimizer's state. loadStateDict() replaces the buffers.
   */
  liveState(name: string): ParamState {
    return this.stateOf(name);
  }

  /** effectiveLearningRate(name)[i] alone, in O(1): for a caller that needs a few coordinates'. */
  effectiveRateAt(name: string, i: number): number {
    return this.effectiveRate(this.stateOf(name), i);
  }

  /** The parameter's step count: how many steps it has received a gradient in. */
  stepCount(name: string): number {
    this.checkAlive('stepCount');
    return this.stateOf(name).step;
  }

  /** A copy of the parameter's accumulator (zeros for optimizers without one). */
  accumulator(name: string): FloatArray {
    this.checkAlive('accumulator');
    const param = this.paramOf(name);
    const buffer = this.accumulatorBuffer();
    const st = this.stateOf(name);
    const out =
      param instanceof Float32Array ? new Float32Array(param.length) : new Float64Array(param.length);
    if (buffer !== null && st.buffers[buffer]) out.set(st.buffers[buffer]);
    return out;
  }

  /** Per coordinate, the step the optimizer would take per unit of gradient with its current state. */
  effectiveLearningRate(name: string): Float64Array {
    this.checkAlive('effectiveLearningRate');
    const param = this.paramOf(name);
    const st = this.stateOf(name);
    const out = new Float64Array(param.length);
    // withGroupOptions inlined: read after every step of a traced run, where a closure per call costs.
    const saved = this.opts;
    this.opts = this.resolved[this.groupOf.get(name) ?? 0];
    try {
      for (let i = 0; i < out.length; i++) out[i] = this.effectiveRate(st, i);
    } finally {
      this.opts = saved;
    }
    return out;
  }

  /** The whole state, options included, as plain JSON-serializable data. */
  stateDict(): StateDict {
    this.checkAlive('stateDict');
    const state: StateDict['state'] = {};
    for (const name of Object.keys(this.params)) {
      const st = this.stateOf(name);
      const buffers: Record<string, number[]> = {};
      for (const [b, arr] of Object.entries(st.buffers)) buffers[b] = Array.from(arr);
      state[name] = {
        dtype: dtypeOf(this.params[name]),
        length: this.params[name].length,
        step: st.step,
        buffers,
      };
    }
    const groups = this.paramGroups.map((g) => {
      const { params, ...options } = g;
      return {
        params: Object.keys(params),
        options: JSON.parse(JSON.stringify(options)) as Record<string, unknown>,
      };
    });
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      optimizer: this.name,
      options: groups[0].options,
      groups,
      steps: this.stepsTaken,
      state,
    };
  }

  /**
   * Restores a stateDict(): options and every buffer. Everything is checked first; on any mismatch
   * (other optimizer, parameter names, sizes, precision, corrupt numbers) it throws and changes nothing.
   */
  loadStateDict(dict: unknown): void {
    this.checkAlive('loadStateDict');
    const where = `${this.name}.loadStateDict`;
    const fail = (why: string): never => {
      throw new OptimizerInputError(`${where}: ${why}`);
    };
    if (typeof dict !== 'object' || dict === null) fail('expected a state dict object');
    const d = dict as Partial<StateDict>;
    if (d.format !== STATE_FORMAT) fail(`not an optimizer state dict (format ${describe(d.format)})`);
    if (d.version !== STATE_VERSION)
      fail(`unsupported version ${describe(d.version)} (this library reads ${STATE_VERSION})`);
    if (d.optimizer !== this.name) fail(`state was saved by ${describe(d.optimizer)}, not ${this.name}`);
    if (typeof d.options !== 'object' || d.options === null) fail('missing options');
    if (typeof d.state !== 'object' || d.state === null) fail('missing state');
    const saved = d.state as StateDict['state'];
    const steps =
      d.steps ?? Math.max(0, ...Object.values(saved).map((s) => (typeof s?.step === 'number' ? s.step : 0)));
    if (!Number.isInteger(steps) || steps < 0)
      fail(`steps must be an integer >= 0, got ${describe(d.steps)}`);
    const names = Object.keys(this.params);
    const savedNames = Object.keys(saved);
    const missing = names.filter((n) => !(n in saved));
    const extra = savedNames.filter((n) => !(n in this.params));
    if (missing.length || extra.length) {
      fail(
        `parameter names differ (missing from the state: ${missing.join(', ') || 'none'}; unknown in the state: ${extra.join(', ') || 'none'})`,
      );
    }
    const groupOptions = this.savedGroupOptions(d, fail);
    const resolvedGroups = groupOptions.map((o, i) => this.resolveGroup(i, steps, o));
    const buffersOf = (name: string) => this.bufferNames(resolvedGroups[this.groupOf.get(name) as number]);
    // Everything is checked before any buffer is written, so a rejected dict leaves the state as it was.
    for (const name of names) {
      const param = this.params[name];
      const s = saved[name];
      const at = `parameter '${name}'`;
      if (typeof s !== 'object' || s === null) fail(`${at}: missing state`);
      if (s.length !== param.length)
        fail(`${at}: saved length ${describe(s.length)}, parameter has ${param.length}`);
      if (s.dtype !== dtypeOf(param))
        fail(`${at}: saved as ${describe(s.dtype)}, parameter is ${dtypeOf(param)}`);
      if (!Number.isInteger(s.step) || s.step < 0)
        fail(`${at}: step must be an integer >= 0, got ${describe(s.step)}`);
      if (typeof s.buffers !== 'object' || s.buffers === null) fail(`${at}: missing buffers`);
      const expectedBuffers = buffersOf(name);
      const savedBuffers = Object.keys(s.buffers).sort();
      if (savedBuffers.join() !== [...expectedBuffers].sort().join()) {
        fail(
          `${at}: buffers ${savedBuffers.join(', ') || 'none'} do not match ${expectedBuffers.join(', ') || 'none'}`,
        );
      }
      for (const b of expectedBuffers) {
        const values = s.buffers[b];
        if (!Array.isArray(values) || values.length !== param.length)
          fail(`${at}: buffer '${b}' has the wrong length`);
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (typeof v !== 'number' || !Number.isFinite(v))
            fail(`${at}: buffer '${b}' holds ${describe(v)} at ${i}`);
        }
      }
    }
    this.paramGroups.forEach((g, i) => {
      for (const key of Object.keys(g)) if (key !== 'params') delete g[key];
      Object.assign(g, {
        ...resolvedGroups[i],
        lr: groupOptions[i].lr ?? (resolvedGroups[i] as { lr?: number }).lr,
      });
    });
    this.resolved = resolvedGroups;
    this.opts = resolvedGroups[0];
    this.stepsTaken = steps;
    // The buffers this optimizer already has are written over, not replaced: loading in a loop
    // (checkpoint restores, the learner's passes) takes no new kernel memory.
    for (const name of names) {
      const s = saved[name];
      const old = this.state.get(name)?.buffers ?? {};
      const buffers: Record<string, FloatArray> = {};
      for (const b of buffersOf(name)) {
        const arr = old[b] ?? stateLike(this.params[name]);
        arr.set(s.buffers[b]);
        buffers[b] = arr;
      }
      for (const [b, arr] of Object.entries(old)) if (!(b in buffers)) freeState(arr);
      this.state.set(name, { step: s.step, buffers });
    }
  }

  /** Each group's options from a state dict: its `groups` (same parameters per group), or `options` for all. */
  private savedGroupOptions(d: Partial<StateDict>, fail: (why: string) => never): Record<string, unknown>[] {
    if (d.groups === undefined) {
      if (typeof d.options !== 'object' || d.options === null) fail('missing options');
      return this.paramGroups.map(() => ({ ...d.options }));
    }
    if (!Array.isArray(d.groups) || d.groups.length !== this.paramGroups.length) {
      fail(`the state has ${describe(d.groups)} param groups, this optimizer ${this.paramGroups.length}`);
    }
    return d.groups.map((g, i) => {
      const mine = Object.keys(this.paramGroups[i].params).sort().join(', ');
      const theirs = Array.isArray(g?.params) ? [...g.params].sort().join(', ') : describe(g?.params);
      if (mine !== theirs) fail(`param group ${i} holds ${theirs} in the state, ${mine} here`);
      if (typeof g.options !== 'object' || g.options === null) fail(`param group ${i}: missing options`);
      // `options` repeats the first group's: an edit to either is taken, `options` last.
      return i === 0 ? { ...g.options, ...d.options } : { ...g.options };
    });
  }

  /**
   * Gives the kernel memory of this optimizer's state back (the buffers stateLike took); the
   * parameters are the caller's and stay as they are. Afterwards step, stateDict and loadStateDict
   * throw. Calling it twice is harmless.
   */
  dispose(): void {
    if (this.disposed) return;
    for (const st of this.state.values()) for (const arr of Object.values(st.buffers)) freeState(arr);
    this.state.clear();
    this.disposed = true;
  }

  /** True once dispose() has been called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private checkAlive(what: string): void {
    if (this.disposed) {
      throw new OptimizerInputError(
        `${this.name}.${what}: this optimizer was disposed (its state is freed); create a new one`,
      );
    }
  }

  /** Validates and completes options (defaults, presets); used by the constructor and loadStateDict. */
  protected abstract resolveOptions(given: Record<string, unknown>): O;

  private paramOf(name: string): FloatArray {
    const param = this.params[name];
    if (param === undefined) throw new OptimizerInputError(`${this.name}: unknown parameter '${name}'`);
    return param;
  }

  protected stateOf(name: string): ParamState {
    let st = this.state.get(name);
    if (st === undefined) {
      const param = this.paramOf(name);
      const buffers: Record<string, FloatArray> = {};
      this.withGroupOptions(name, () => {
        for (const b of this.bufferNames(this.opts)) {
          const arr = stateLike(param);
          const start = this.initialValue(b);
          if (start !== 0) arr.fill(start);
          buffers[b] = arr;
        }
      });
      st = { step: 0, buffers };
      this.state.set(name, st);
    }
    return st;
  }
}

/** Returns a state buffer to the kernels' memory (float64 state is ordinary memory, left to the GC). */
function freeState(arr: FloatArray): void {
  if (arr instanceof Float32Array) free(arr);
}

function checkParams(params: Params, at = ''): Params {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new OptimizerInputError(
      `${at}parameters must be an object of Float32Array or Float64Array buffers by name`,
    );
  }
  const names = Object.keys(params);
  if (names.length === 0) throw new OptimizerInputError(`${at}no parameters given`);
  for (const name of names) {
    const p = params[name];
    if (!(p instanceof Float32Array) && !(p instanceof Float64Array)) {
      throw new OptimizerInputError(
        `${at}parameter '${name}' must be a Float32Array or Float64Array, got ${describe(p)}`,
      );
    }
  }
  return { ...params };
}

function checkLearningRateOf(optimizer: string, group: number, lr: unknown): LearningRate {
  if (typeof lr === 'number' && Number.isFinite(lr) && lr >= 0) return lr;
  if (typeof lr === 'number') {
    throw new OptimizerInputError(
      `${optimizer}: param group ${group}: option 'lr' must be a finite number >= 0, got ${lr}`,
    );
  }
  checkSchedule(lr, `${optimizer}: param group ${group}: option 'lr'`);
  return lr;
}

/** Fills in the common options and checks them. */
export function resolveCommon(optimizer: string, given: Record<string, unknown>): CommonOptions {
  return { checkFinite: flag(optimizer, 'checkFinite', given.checkFinite ?? true) };
}

/** A group's options as they are now, arrays (betas) copied: what sameOptions compares against. */
function snapshotOptions(group: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(group)) {
    if (key !== 'params') copy[key] = Array.isArray(value) ? value.slice() : value;
  }
  return copy;
}

/**
 * Whether a group's options equal a snapshot of `keys` options: the same keys and values, arrays
 * element by element.
 */
function sameOptions(
  snapshot: Record<string, unknown>,
  keys: number,
  group: Record<string, unknown>,
): boolean {
  let count = 0;
  for (const key in group) {
    if (key === 'params') continue;
    count++;
    const a = snapshot[key];
    const b = group[key];
    if (a === b) continue;
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  }
  return count === keys;
}
