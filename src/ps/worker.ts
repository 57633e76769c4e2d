/**
 * One Downpour worker (Dean et al. 2012): it reads its shard of the data (example j of each pass
 * belongs to worker j mod N + 1), and
 *
 * - every `fetchEvery` examples, fetches the current weights of the features those examples use;
 * - predicts each example with those (possibly stale) weights, progressive validation as the local
 *   learner does, and adds its gradient g = dL/dz · weight · x into a sum coalesced by feature;
 * - every `pushEvery` examples, pushes that sum, one call per block, where Redis applies the
 *   optimizer; then records the update count and its position in the shard in one call.
 *
 * Restarted with the same arguments, a worker skips the examples its recorded position covers: a
 * worker killed between a push and its record repeats that one batch, nothing else.
 * With one worker and fetchEvery = pushEvery = 1 this is the local learner's AdaGrad exactly, in
 * float64 inside Redis instead of float32 (agreement within float32 rounding).
 */
import { DataError } from '../data/errors.js';
import type { Example } from '../data/example.js';
import type { ProgressEvent } from '../learn/train.js';
import {
  hingeGradient,
  hingeLoss,
  labelFor,
  labelKindOf,
  logisticGradient,
  logisticLoss,
  sigmoid,
  squaredGradient,
  squaredLoss,
  type LabelKind,
} from '../learn/index.js';
import { coordinatesOf, type ModelSpec } from './model-spec.js';
import type { ParameterStore } from './store.js';

export interface WorkerId {
  /** 1-based. */
  index: number;
  count: number;
}

export interface WorkerOptions {
  worker: WorkerId;
  passes: number;
  fetchEvery: number;
  pushEvery: number;
  /** One pass over the whole data, in batches, from the start each call. */
  pass: () => AsyncIterable<Example[]>;
  onProgress?: (event: ProgressEvent) => void;
  /** Checked between examples: true stops after pushing what was learned (Ctrl-C). */
  shouldStop?: () => boolean;
}

export interface WorkerSummary {
  worker: string;
  /** Examples learned in this run (not counting those skipped from a recorded position). */
  examples: number;
  /** Examples skipped because an earlier run of this worker had pushed them. */
  skipped: number;
  /** Position in the shard at the end (examples consumed, all passes). */
  position: number;
  averageLoss: number;
  progressiveAccuracy: number | undefined;
  pushes: number;
  fetches: number;
  /** Coordinates pushed (after coalescing) and fetched. */
  pushedCoordinates: number;
  fetchedCoordinates: number;
  interrupted: boolean;
  seconds: number;
  examplesPerSecond: number;
  featuresPerSecond: number;
}

export function workerName(id: WorkerId): string {
  return `${id.index}/${id.count}`;
}

/** Parses `I/N` (1 <= I <= N). */
export function parseWorkerId(text: string): WorkerId | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (m === null) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && index <= count && count <= 10_000 ? { index, count } : undefined;
}

const LOSSES = {
  logistic: { value: logisticLoss, gradient: logisticGradient },
  squared: { value: squaredLoss, gradient: squaredGradient },
  hinge: { value: hingeLoss, gradient: hingeGradient },
} as const;

/** |dL/dz| beyond this would overflow float32's g² : the model has diverged (as the learner says). */
const MAX_SCORE_GRADIENT = 1e18;

interface Pending {
  ex: Example;
  pass: number;
  /** The worker's position once this example is pushed. */
  position: number;
}

export async function runWorker(
  store: ParameterStore,
  spec: ModelSpec,
  options: WorkerOptions,
): Promise<WorkerSummary> {
  const { worker, passes, fetchEvery, pushEvery } = options;
  const name = workerName(worker);
  const loss = LOSSES[spec.loss];
  const coordinates = coordinatesOf(spec);
  const bias = coordinates - 1;
  const mask = 2 ** spec.bits - 1;
  const B = spec.blockSize;
  const weights = new Float32Array(coordinates);
  // The gradient summed since the last push, coalesced by coordinate.
  const grad = new Float32Array(coordinates);
  const touched = new Uint8Array(coordinates);
  let rows = new Int32Array(4096);
  let rowCount = 0;
  // Blocks needed by the next window: the lowest and highest offset wanted in each.
  const blocks = Math.ceil(coordinates / B);
  const spanLow = new Int32Array(blocks).fill(B);
  const spanHigh = new Int32Array(blocks).fill(-1);

  const start = performance.now();
  const skipTo = await store.position(name);
  let labelKind: LabelKind | undefined;
  let examples = 0;
  let features = 0;
  let lossSum = 0;
  let weightSum = 0;
  let correct = 0;
  let pendingExamples = 0;
  let pushes = 0;
  let fetches = 0;
  let pushedCoordinates = 0;
  let fetchedCoordinates = 0;
  let position = 0;
  let recorded = skipTo;
  let nextReport = 1;
  let lossSinceReport = 0;
  let weightSinceReport = 0;
  let interrupted = false;

  const addRow = (row: number, g: number): void => {
    if (touched[row] === 0) {
      touched[row] = 1;
      if (rowCount === rows.length) {
        const bigger = new Int32Array(rows.length * 2);
        bigger.set(rows);
        rows = bigger;
      }
      rows[rowCount++] = row;
      grad[row] = g;
    } else {
      grad[row] += g;
    }
  };

  const fetch = async (window: Pending[]): Promise<void> => {
    const want = (coordinate: number): void => {
      const k = (coordinate / B) | 0;
      const o = coordinate - k * B;
      if (o < spanLow[k]) spanLow[k] = o;
      if (o > spanHigh[k]) spanHigh[k] = o;
    };
    want(bias);
    for (const { ex } of window) for (let j = 0; j < ex.indices.length; j++) want(ex.indices[j] & mask);
    const calls: Promise<void>[] = [];
    for (let k = 0; k < blocks; k++) {
      if (spanHigh[k] < 0) continue;
      calls.push(store.fetchSpan(spec, k, spanLow[k], spanHigh[k], weights));
      fetchedCoordinates += spanHigh[k] - spanLow[k] + 1;
      spanLow[k] = B;
      spanHigh[k] = -1;
    }
    await Promise.all(calls);
    fetches++;
  };

  const push = async (at: number): Promise<void> => {
    if (pendingExamples === 0) return;
    const sorted = rows.subarray(0, rowCount).sort();
    const calls: Promise<unknown>[] = [];
    let s = 0;
    while (s < sorted.length) {
      const k = (sorted[s] / B) | 0;
      let e = s;
      while (e < sorted.length && ((sorted[e] / B) | 0) === k) e++;
      const offsets = new Uint16Array(e - s);
      const values = new Float32Array(e - s);
      for (let i = s; i < e; i++) {
        const row = sorted[i];
        offsets[i - s] = row - k * B;
        values[i - s] = grad[row];
        grad[row] = 0;
        touched[row] = 0;
      }
      calls.push(store.pushBlock(spec, k, offsets, values));
      s = e;
    }
    await Promise.all(calls);
    pushedCoordinates += rowCount;
    rowCount = 0;
    await store.recordProgress(name, pendingExamples, at, labelKind);
    recorded = at;
    pendingExamples = 0;
    pushes++;
  };

  const learn = ({ ex, pass }: Pending): void => {
    const y = labelFor(
      spec.loss,
      ex.label,
      { line: ex.line },
      { classes: 1, firstClass: 0, seen: labelKind },
    );
    labelKind = labelKindOf(spec.loss, ex.label) ?? labelKind;
    const weight = ex.weight;
    if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight)) {
      throw new DataError(`importance weight ${String(weight)} must be a finite number >= 0`, {
        line: ex.line,
      });
    }
    const { indices, values } = ex;
    let z = weights[bias];
    for (let j = 0; j < indices.length; j++) z += weights[indices[j] & mask] * values[j];
    if (!Number.isFinite(z)) diverged(ex, z, examples, spec.lr);
    const l = loss.value(z, y);
    const prediction = spec.loss === 'logistic' ? sigmoid(z) : z;
    examples++;
    features += indices.length;
    lossSum += weight * l;
    weightSum += weight;
    lossSinceReport += weight * l;
    weightSinceReport += weight;
    if (spec.loss !== 'squared' && prediction > (spec.loss === 'logistic' ? 0.5 : 0) === (ex.label === 1))
      correct++;
    if (weight > 0) {
      const dz = loss.gradient(z, y) * weight;
      if (!(Math.abs(dz) < MAX_SCORE_GRADIENT)) diverged(ex, z, examples, spec.lr);
      for (let j = 0; j < indices.length; j++) addRow(indices[j] & mask, Math.fround(dz * values[j]));
      addRow(bias, Math.fround(dz));
    }
    if (examples === nextReport && options.onProgress !== undefined) {
      const seconds = (performance.now() - start) / 1000;
      options.onProgress({
        pass,
        examples,
        weightedExamples: weightSum,
        averageLoss: weightSum > 0 ? lossSum / weightSum : 0,
        sinceLast: weightSinceReport > 0 ? lossSinceReport / weightSinceReport : 0,
        holdoutLoss: null,
        label: ex.label,
        prediction,
        features: indices.length,
        examplesPerSecond: seconds > 0 ? examples / seconds : 0,
      });
      lossSinceReport = 0;
      weightSinceReport = 0;
      nextReport *= 2;
    }
  };

  let window: Pending[] = [];
  let last = recorded;
  const process = async (): Promise<void> => {
    await fetch(window);
    for (const item of window) {
      learn(item);
      last = item.position;
      pendingExamples++;
      if (pendingExamples === pushEvery) await push(last);
      if (fetchEvery > 1 && options.shouldStop?.()) {
        interrupted = true;
        break;
      }
    }
    window = [];
  };

  outer: for (let pass = 1; pass <= passes; pass++) {
    let j = 0;
    for await (const batch of options.pass()) {
      for (const ex of batch) {
        if (j++ % worker.count !== worker.index - 1) continue;
        position++;
        if (position <= skipTo) continue;
        window.push({ ex, pass, position });
        if (window.length === fetchEvery) {
          await process();
          if (interrupted || options.shouldStop?.()) {
            interrupted = true;
            break outer;
          }
        }
      }
    }
  }
  if (window.length > 0 && !interrupted) await process();
  await push(last);

  const seconds = (performance.now() - start) / 1000;
  return {
    worker: name,
    examples,
    skipped: Math.min(skipTo, position),
    position: recorded,
    averageLoss: weightSum > 0 ? lossSum / weightSum : 0,
    progressiveAccuracy: spec.loss === 'squared' || examples === 0 ? undefined : correct / examples,
    pushes,
    fetches,
    pushedCoordinates,
    fetchedCoordinates,
    interrupted,
    seconds,
    examplesPerSecond: seconds > 0 ? examples / seconds : 0,
    featuresPerSecond: seconds > 0 ? features / seconds : 0,
  };
}

function diverged(ex: Example, score: number, examples: number, lr: number): never {
  throw new DataError(
    `the model diverged: score ${score} after ${examples} examples; lower the learning rate (lr ${lr})`,
    { line: ex.line },
  );
}
