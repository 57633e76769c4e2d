import { free, stateLike } from '../kernels/index.js';
import { OptimizerInputError } from './errors.js';
import { checkGradient, type CheckedDense, type CheckedGradient, type CheckedSparse } from './gradients.js';
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

/** The JSON form of an optimizer's state: stateDict() returns it, loadStateDict() takes it back. */
export interface StateDict {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  optimizer: string;
  options: Record<string, unknown>;
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
  readonly params: Readonly<Params>;
  protected opts: O;
  protected readonly state = new Map<string, ParamState>();
  private disposed = false;

  protected constructor(params: Params, options: O) {
    this.params = checkParams(params);
    this.opts = options;
  }

  /** The options in force, with defaults filled in. */
  get options(): Readonly<O> {
    return { ...this.opts };
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
    const checked = new Map<string, CheckedGradient>();
    for (const [name, grad] of Object.entries(grads)) {
      if (grad === undefined) continue;
      const param = this.params[name];
      if (param === undefined) {
        throw new OptimizerInputError(
          `${this.name}.step: gradient for unknown parameter '${name}' (parameters: ${Object.keys(this.params).join(', ')})`,
        );
      }
      checked.set(
        name,
        checkGradient(this.name, name, param, grad, {
          sparseAllowed: this.sparseAllowed,
          checkFinite: this.opts.checkFinite,
        }),
      );
    }
    this.checkStep(checked);
    for (const [name, grad] of checked) {
      const param = this.params[name];
      const st = this.stateOf(name);
      st.step += 1;
      if (grad.kind === 'dense') this.applyDense(param, grad, st);
      else this.applySparse(param, grad, st);
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
    this.applySparse(this.paramOf(name), { kind: 'sparse', rows, values, rowSize }, st);
  }

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
    for (let i = 0; i < out.length; i++) out[i] = this.effectiveRate(st, i);
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
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      optimizer: this.name,
      options: { ...this.opts } as Record<string, unknown>,
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
    const options = this.resolveOptions(d.options as Record<string, unknown>);
    const saved = d.state as StateDict['state'];
    const names = Object.keys(this.params);
    const savedNames = Object.keys(saved);
    const missing = names.filter((n) => !(n in saved));
    const extra = savedNames.filter((n) => !(n in this.params));
    if (missing.length || extra.length) {
      fail(
        `parameter names differ (missing from the state: ${missing.join(', ') || 'none'}; unknown in the state: ${extra.join(', ') || 'none'})`,
      );
    }
    const expectedBuffers = this.bufferNames(options);
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
    this.opts = options;
    // The buffers this optimizer already has are written over, not replaced: loading in a loop
    // (checkpoint restores, the learner's passes) takes no new kernel memory.
    for (const name of names) {
      const s = saved[name];
      const old = this.state.get(name)?.buffers ?? {};
      const buffers: Record<string, FloatArray> = {};
      for (const b of expectedBuffers) {
        const arr = old[b] ?? stateLike(this.params[name]);
        arr.set(s.buffers[b]);
        buffers[b] = arr;
      }
      for (const [b, arr] of Object.entries(old)) if (!(b in buffers)) freeState(arr);
      this.state.set(name, { step: s.step, buffers });
    }
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
      for (const b of this.bufferNames(this.opts)) {
        const arr = stateLike(param);
        const start = this.initialValue(b);
        if (start !== 0) arr.fill(start);
        buffers[b] = arr;
      }
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

function checkParams(params: Params): Params {
  if (typeof params !== 'object' || params === null) {
    throw new OptimizerInputError(
      'parameters must be an object of Float32Array or Float64Array buffers by name',
    );
  }
  const names = Object.keys(params);
  if (names.length === 0) throw new OptimizerInputError('no parameters given');
  for (const name of names) {
    const p = params[name];
    if (!(p instanceof Float32Array) && !(p instanceof Float64Array)) {
      throw new OptimizerInputError(
        `parameter '${name}' must be a Float32Array or Float64Array, got ${describe(p)}`,
      );
    }
  }
  return { ...params };
}

/** Fills in the common options and checks them. */
export function resolveCommon(optimizer: string, given: Record<string, unknown>): CommonOptions {
  return { checkFinite: flag(optimizer, 'checkFinite', given.checkFinite ?? true) };
}
