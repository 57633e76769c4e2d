import type { StateDict } from '../optim/index.js';
import { LearnerError } from './errors.js';

/** The in-memory form of a model file: JSON-safe header plus named typed arrays. */
export type SavedArray = Float32Array | Float64Array | Uint32Array;

export interface SavedModel {
  /** 'linear' (LinearLearner) or 'mlp' (MlpRegressor). */
  kind: 'linear' | 'mlp';
  /** Options, counters and anything else JSON can hold. */
  header: Record<string, unknown>;
  /** Weights and optimizer state, stored as binary in model files. */
  arrays: Record<string, SavedArray>;
}

/** Moves a state dict's buffers into named float32 arrays, leaving references in the JSON. */
export function detachBuffers(
  dict: StateDict,
  prefix: string,
  arrays: Record<string, SavedArray>,
): StateDict {
  const state: StateDict['state'] = {};
  for (const [param, st] of Object.entries(dict.state)) {
    const buffers: Record<string, number[]> = {};
    for (const [name, values] of Object.entries(st.buffers)) {
      const key = `${prefix}.${param}.${name}`;
      arrays[key] = Float32Array.from(values);
      (buffers as Record<string, unknown>)[name] = { array: key };
    }
    state[param] = { ...st, buffers };
  }
  return { ...dict, state };
}

export function attachBuffers(dict: StateDict, arrays: Readonly<Record<string, SavedArray>>): StateDict {
  const state: StateDict['state'] = {};
  for (const [param, st] of Object.entries(dict.state)) {
    const buffers: Record<string, number[]> = {};
    for (const [name, ref] of Object.entries(st.buffers as Record<string, unknown>)) {
      const key = (ref as { array?: string }).array;
      const a = key === undefined ? undefined : arrays[key];
      if (a === undefined) throw new LearnerError(`saved optimizer state lacks array '${String(key)}'`);
      buffers[name] = Array.from(a);
    }
    state[param] = { ...st, buffers };
  }
  return { ...dict, state };
}

/** Copies saved array `name` into `into`, checking its type and length. */
export function restoreArray(saved: SavedModel, name: string, into: SavedArray | undefined): void {
  if (into === undefined) return;
  const a = saved.arrays[name];
  if (a === undefined) throw new LearnerError(`saved ${saved.kind} model lacks array '${name}'`);
  if (a.length !== into.length || a.constructor !== into.constructor) {
    throw new LearnerError(
      `saved array '${name}' has ${a.length} ${a.constructor.name} values, expected ${into.length} ${into.constructor.name}`,
    );
  }
  into.set(a as never);
}
