/**
 * A batch of examples as a few flat typed arrays, which a worker thread can hand to another thread
 * without copying (their buffers are transferred), and back into examples whose rows are views of
 * those arrays. Packing copies each row once; the examples that come out share four buffers, which
 * is also the most compact way to keep them.
 */
import type { Example } from '../example.js';

export interface PackedBatch {
  labels: Float64Array;
  weights: Float64Array;
  lines: Float64Array;
  /** Example k's row is indices/values [offsets[k], offsets[k + 1]). */
  offsets: Uint32Array;
  indices: Uint32Array;
  values: Float32Array;
  /** VW tags, only when some example has one. */
  tags?: (string | undefined)[];
}

export function packBatch(batch: readonly Example[]): PackedBatch {
  const n = batch.length;
  let nonzeros = 0;
  let tagged = false;
  for (let k = 0; k < n; k++) {
    nonzeros += batch[k].indices.length;
    if (batch[k].tag !== undefined) tagged = true;
  }
  const packed: PackedBatch = {
    labels: new Float64Array(n),
    weights: new Float64Array(n),
    lines: new Float64Array(n),
    offsets: new Uint32Array(n + 1),
    indices: new Uint32Array(nonzeros),
    values: new Float32Array(nonzeros),
  };
  let at = 0;
  for (let k = 0; k < n; k++) {
    const ex = batch[k];
    packed.labels[k] = ex.label;
    packed.weights[k] = ex.weight;
    packed.lines[k] = ex.line;
    packed.indices.set(ex.indices, at);
    packed.values.set(ex.values, at);
    at += ex.indices.length;
    packed.offsets[k + 1] = at;
  }
  if (tagged) packed.tags = batch.map((ex) => ex.tag);
  return packed;
}

/** The buffers postMessage may move rather than copy. */
export function transferList(packed: PackedBatch): ArrayBuffer[] {
  const { labels, weights, lines, offsets, indices, values } = packed;
  return [labels, weights, lines, offsets, indices, values].map((array) => array.buffer as ArrayBuffer);
}

export function unpackBatch(packed: PackedBatch): Example[] {
  const { labels, weights, lines, offsets, indices, values, tags } = packed;
  const batch: Example[] = new Array(labels.length);
  for (let k = 0; k < labels.length; k++) {
    const from = offsets[k];
    const to = offsets[k + 1];
    const ex: Example = {
      label: labels[k],
      weight: weights[k],
      indices: indices.subarray(from, to),
      values: values.subarray(from, to),
      line: lines[k],
    };
    const tag = tags?.[k];
    if (tag !== undefined) ex.tag = tag;
    batch[k] = ex;
  }
  return batch;
}
