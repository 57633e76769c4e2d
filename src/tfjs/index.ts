/**
 * `adagrad/tfjs`: any optimizer of this library as a tf.Optimizer, for TensorFlow.js models
 * (`model.compile({ optimizer: tfjsOptimizer('adamw', { lr: 1e-3 }) })`, `optimizer.minimize(f)`).
 *
 * The only module that imports TensorFlow.js (an optional peer dependency, so it is the user's own
 * tfjs-core instance): the rest of the library stays free of it.
 *
 * How a step runs: each variable has a float32 mirror that our optimizer updates in place; a step reads
 * the gradients (dataSync: free on the CPU backend, a copy out of the WebAssembly heap, a download on
 * WebGL), steps every mirror at once (so a rejected step changes no variable), then assigns each updated
 * mirror back to its variable as a new tensor. A variable assigned from elsewhere (setWeights, a
 * checkpoint) is noticed by its new data id and read again before the next step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createOptimizer, OPTIMIZERS, type AnyOptimizer, type OptimizerName } from '../optim/by-name.js';
import { OptimizerInputError } from '../optim/errors.js';
import type { StateDict } from '../optim/optimizer.js';
import type { Gradient, SparseGradient } from '../optim/types.js';
import { isSparseGradient } from '../optim/types.js';

/** TF.js's {name, tensor} pair (its type is not exported from the package's root). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** What applyGradients takes for a variable: TF.js's gradient tensor, or our sparse rows of a table. */
export type TfjsGradient = tf.Tensor | SparseGradient | null | undefined;

interface Mirror {
  variable: tf.Variable;
  /** The mirror our optimizer updates: the variable's values, flat. */
  param: Float32Array;
  /** The data id the variable had when the mirror was last written to it (or read from it). */
  dataId: object;
}

/** The adapter's own state, JSON-serializable: the iteration count and our optimizer's state dict. */
export interface TfjsAdapterState {
  format: 'adagrad/tfjs-optimizer';
  iterations: number;
  optimizer: StateDict;
}

const describeShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** A tf.Optimizer running this library's optimizer `name` on TensorFlow.js variables. */
export class LibraryOptimizer extends tf.Optimizer {
  /** The name TF.js's serialization registry knows this class by. */
  static get className(): string {
    return 'adagrad.LibraryOptimizer';
  }

  private readonly mirrors = new Map<string, Mirror>();
  private inner: AnyOptimizer | null = null;
  /** State from setWeights, applied at the next step to its variables in order (TF.js's protocol). */
  private pending: StateDict | null = null;
  private readonly where: string;

  constructor(
    readonly optimizerName: OptimizerName,
    readonly optimizerOptions: Record<string, unknown> = {},
  ) {
    super();
    this.where = `tfjsOptimizer('${String(optimizerName)}')`;
    if (!Object.hasOwn(OPTIMIZERS, optimizerName)) {
      throw new OptimizerInputError(
        `tfjsOptimizer: unknown optimizer '${String(optimizerName)}' (one of ${Object.keys(OPTIMIZERS).join(', ')})`,
      );
    }
    // The options are checked now, by the optimizer itself, rather than at the first step.
    createOptimizer(optimizerName, { probe: new Float32Array(1) }, optimizerOptions as never).dispose();
  }

  /**
   * One step: gradients by variable name (TF.js's NamedTensorMap, or a list of {name, tensor}); a
   * variable may also be given our sparse form {indices, values} (rows of a [rows, ...] variable).
   */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[] | Record<string, TfjsGradient>): void {
    const entries: Array<[string, TfjsGradient]> = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const registered = tf.engine().registeredVariables;
    // Everything is checked before anything changes.
    const checked: Array<[string, tf.Variable, tf.Tensor | SparseGradient]> = [];
    for (const [name, grad] of entries) {
      if (grad == null) continue;
      const variable = registered[name];
      if (variable === undefined) {
        throw new OptimizerInputError(`${this.where}: no TF.js variable is named '${name}'`);
      }
      this.checkVariable(variable);
      if (grad instanceof tf.Tensor) {
        if (grad.dtype !== 'float32') {
          throw new OptimizerInputError(
            `${this.where}: the gradient of variable '${name}' is ${grad.dtype}, expected float32`,
          );
        }
        if (!tf.util.arraysEqual(grad.shape, variable.shape)) {
          throw new OptimizerInputError(
            `${this.where}: the gradient of variable '${name}' has shape ${describeShape(grad.shape)}, the variable ${describeShape(variable.shape)}`,
          );
        }
      } else if (!isSparseGradient(grad as Gradient)) {
        throw new OptimizerInputError(
          `${this.where}: the gradient of variable '${name}' must be a tf.Tensor or {indices, values}`,
        );
      }
      checked.push([name, variable, grad as tf.Tensor | SparseGradient]);
    }
    if (checked.length === 0) return;
    if (this.pending !== null) this.adoptPending(checked.map(([, v]) => v));
    const inner = this.optimizerFor(checked.map(([, v]) => v));
    for (const [name, variable] of checked) this.refresh(name, variable);
    const grads: Record<string, Gradient> = {};
    for (const [name, , grad] of checked) {
      grads[name] = grad instanceof tf.Tensor ? (grad.dataSync() as Float32Array) : grad;
    }
    inner.step(grads);
    for (const [name, variable] of checked) {
      const m = this.mirrors.get(name) as Mirror;
      // A copy: TF.js treats tensor data as immutable, and the mirror changes in place next step.
      tf.tidy(() => variable.assign(tf.tensor(m.param.slice(), variable.shape, 'float32')));
      m.dataId = variable.dataId;
    }
    this.incrementIterations();
  }

  /** This library's optimizer behind the adapter (null before the first step): for its state, rates. */
  get optimizer(): AnyOptimizer | null {
    return this.inner;
  }

  /** The adapter's whole state as JSON-serializable data (our state dict and the iteration count). */
  stateDict(): TfjsAdapterState {
    if (this.inner === null) {
      throw new OptimizerInputError(
        `${this.where}.stateDict: no step has been taken yet, so there is no state`,
      );
    }
    return {
      format: 'adagrad/tfjs-optimizer',
      iterations: this.iterations,
      optimizer: this.inner.stateDict(),
    };
  }

  /**
   * Restores a stateDict(). The variables it names must exist (registered with TF.js, float32, of the
   * saved sizes); everything is checked before anything changes.
   */
  loadStateDict(saved: TfjsAdapterState): void {
    const where = `${this.where}.loadStateDict`;
    if (typeof saved !== 'object' || saved === null || saved.format !== 'adagrad/tfjs-optimizer') {
      throw new OptimizerInputError(`${where}: not a state saved by this adapter's stateDict()`);
    }
    if (!Number.isInteger(saved.iterations) || saved.iterations < 0) {
      throw new OptimizerInputError(`${where}: iterations must be an integer >= 0`);
    }
    const names = Object.keys(saved.optimizer?.state ?? {});
    const registered = tf.engine().registeredVariables;
    const variables = names.map((name) => {
      const v = registered[name];
      if (v === undefined) throw new OptimizerInputError(`${where}: no TF.js variable is named '${name}'`);
      this.checkVariable(v);
      return v;
    });
    // A fresh optimizer over exactly the saved variables, so a failed load leaves this one as it was.
    const mirrors = new Map(variables.map((v) => [v.name, this.mirrorOf(v)]));
    const params = Object.fromEntries([...mirrors].map(([n, m]) => [n, m.param]));
    const next = createOptimizer(this.optimizerName, params, this.optimizerOptions as never);
    try {
      next.loadStateDict(saved.optimizer);
    } catch (e) {
      next.dispose();
      throw e;
    }
    this.inner?.dispose();
    this.inner = next;
    this.mirrors.clear();
    for (const [n, m] of mirrors) this.mirrors.set(n, m);
    this.iterations_ = saved.iterations;
  }

  /** TF.js's protocol (model.save with includeOptimizer): the iterations, then our state as one tensor. */
  override async getWeights(): Promise<NamedTensor[]> {
    const iterations = await this.saveIterations();
    if (this.inner === null) return [iterations];
    const json = JSON.stringify(this.stateDict().optimizer);
    return [
      iterations,
      { name: 'adagrad/state', tensor: tf.tensor1d(Array.from(new TextEncoder().encode(json)), 'int32') },
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    if (rest.length === 0) return;
    const state = rest.find((w) => w.name === 'adagrad/state');
    if (state === undefined || rest.length !== 1) {
      throw new OptimizerInputError(
        `${this.where}.setWeights: expected the weights getWeights() returns (the iterations and 'adagrad/state'), got ${rest.map((w) => `'${w.name}'`).join(', ')}`,
      );
    }
    const bytes = Uint8Array.from(await state.tensor.data());
    const optimizer = JSON.parse(new TextDecoder().decode(bytes)) as StateDict;
    if (typeof optimizer !== 'object' || optimizer === null || typeof optimizer.state !== 'object') {
      throw new OptimizerInputError(`${this.where}.setWeights: 'adagrad/state' holds no optimizer state`);
    }
    // As TF.js's own optimizers do, the saved state goes to the variables of the next step in order,
    // so it can move to a reloaded model whose variables have other names.
    this.dispose();
    this.pending = optimizer;
  }

  /** Gives the state from setWeights to `variables`, the i-th saved entry to the i-th variable. */
  private adoptPending(variables: tf.Variable[]): void {
    const saved = this.pending as StateDict;
    const entries = Object.entries(saved.state);
    const where = `${this.where}.setWeights`;
    if (entries.length !== variables.length) {
      throw new OptimizerInputError(
        `${where}: the saved state is for ${entries.length} variables, this step updates ${variables.length}`,
      );
    }
    const state: StateDict['state'] = {};
    entries.forEach(([savedName, s], i) => {
      const v = variables[i];
      if (s?.length !== v.size) {
        throw new OptimizerInputError(
          `${where}: saved variable ${i} ('${savedName}') has ${s?.length} values, variable '${v.name}' has ${v.size}`,
        );
      }
      state[v.name] = s;
    });
    const mirrors = new Map(variables.map((v) => [v.name, this.mirrorOf(v)]));
    const params = Object.fromEntries([...mirrors].map(([n, m]) => [n, m.param]));
    const next = createOptimizer(this.optimizerName, params, this.optimizerOptions as never);
    try {
      // One group, renamed: the saved group lists the old names, so `options` stands for it.
      next.loadStateDict({ ...saved, state, groups: undefined });
    } catch (e) {
      next.dispose();
      throw e;
    }
    this.inner = next;
    for (const [n, m] of mirrors) this.mirrors.set(n, m);
    this.pending = null;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      optimizer: this.optimizerName,
      options: JSON.parse(JSON.stringify(this.optimizerOptions)) as tf.serialization.ConfigDict,
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config.optimizer, config.options);
  }

  /** Frees our optimizer's state; the TF.js variables are the model's and stay. */
  override dispose(): void {
    this.inner?.dispose();
    this.inner = null;
    this.pending = null;
    this.mirrors.clear();
  }

  private checkVariable(variable: tf.Variable): void {
    if (variable.dtype !== 'float32') {
      throw new OptimizerInputError(
        `${this.where}: variable '${variable.name}' is ${variable.dtype}; this library's optimizers update float32 variables`,
      );
    }
    const m = this.mirrors.get(variable.name);
    if (m !== undefined && m.param.length !== variable.size) {
      throw new OptimizerInputError(
        `${this.where}: variable '${variable.name}' now has shape ${describeShape(variable.shape)} (${variable.size} values); the optimizer's state is for ${m.param.length}`,
      );
    }
  }

  private mirrorOf(variable: tf.Variable): Mirror {
    return {
      variable,
      param: Float32Array.from(variable.dataSync() as Float32Array),
      dataId: variable.dataId,
    };
  }

  /** Reads the variable again if something else assigned it since our last step. */
  private refresh(name: string, variable: tf.Variable): void {
    const m = this.mirrors.get(name) as Mirror;
    if (m.dataId !== variable.dataId) {
      m.param.set(variable.dataSync() as Float32Array);
      m.dataId = variable.dataId;
    }
  }

  /**
   * Our optimizer over every variable seen so far. A step naming a new variable rebuilds it over the
   * larger set and carries the state of the others across.
   */
  private optimizerFor(variables: tf.Variable[]): AnyOptimizer {
    const fresh = variables.filter((v) => !this.mirrors.has(v.name));
    if (this.inner !== null && fresh.length === 0) return this.inner;
    const mirrors = new Map(this.mirrors);
    for (const v of fresh) mirrors.set(v.name, this.mirrorOf(v));
    const params = Object.fromEntries([...mirrors].map(([n, m]) => [n, m.param]));
    const next = createOptimizer(this.optimizerName, params, this.optimizerOptions as never);
    if (this.inner !== null) {
      const old = this.inner.stateDict();
      const merged = next.stateDict();
      for (const [n, s] of Object.entries(old.state)) merged.state[n] = s;
      merged.steps = old.steps; // where a schedule is
      next.loadStateDict(merged);
      this.inner.dispose();
    }
    this.inner = next;
    for (const [n, m] of mirrors) this.mirrors.set(n, m);
    return next;
  }
}

tf.serialization.registerClass(LibraryOptimizer);

/**
 * A tf.Optimizer running this library's optimizer `name` ('adagrad', 'adamw', ...) with its options (the
 * same as the class takes: `{ lr: 0.01, preset: 'tfjs' }`). Bad names and options throw here.
 */
export function tfjsOptimizer(name: OptimizerName, options: Record<string, unknown> = {}): LibraryOptimizer {
  return new LibraryOptimizer(name, options);
}
