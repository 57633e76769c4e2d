/**
 * One Downpour worker (Dean et al. 2012): it reads its shard of the data (shard.ts: a byte range
 * of the file), and
 *
 * - every `fetchEvery` examples, fetches the current weights of the features those examples use;
 * - predicts each example with those (possibly stale) weights, progressive validation as the local
 *   learner does, and adds its gradient g = dL/dz · weight · x into a sum coalesced by feature;
 * - every `pushEvery` examples, pushes that sum, one call per block, where Redis applies the
 *   optimizer; then records the update count and its position in the shard in one call.
 *
 * Restarted with the same arguments, a worker skips the examples its recorded position covers: a
 * worker killed between a push and its record repeats that one batch, nothing else. A lost
 * connection is the same within one run: once the client has reconnected, the worker goes back to
 * the position the store recorded and learns the examples after it again.
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
import { coordinatesOf, type ModelSpec, sectionsOf, type StoreLoss } from './model-spec.js';
import { StoreError } from './errors.js';
import type { ParameterStore } from './store.js';

/**
 * Downpour's two knobs by default, chosen by `npm run bench:ps` on the spam export
 * (docs/parameter-store.md): each of one or two workers fetches and pushes every 2,048 examples, and
 * each of N > 2 every 1,024/N. The workers' pushes, each computed from the same fetched weights, add
 * up, so accuracy sets the limit: 2 workers at 2,048 and 4 at 256 stayed within 0.2 pp of local
 * training in every run, where 2 at 4,096 (a third faster) fell 0.3-1.1 pp short in some runs and
 * 4 at 512 and 1,024 up to 1.7 pp in a few. Fetching more often than pushing is worse, not better: a
 * fetch replaces the worker's own unpushed steps with the store's values (67-99.5% test accuracy
 * at --fetch-every 1024 or 2048 with --push-every 4096).
 */
export function defaultInterval(workers: number): number {
  return workers <= 2 ? 2048 : Math.max(1, Math.round(1024 / workers));
}

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
  /** One pass over this worker's shard of the data (shard.ts), in batches, from the start each call. */
  pass: () => AsyncIterable<Example[]>;
  onProgress?: (event: ProgressEvent) => void;
  /** Checked between examples: true stops after pushing what was learned (Ctrl-C). */
  shouldStop?: () => boolean;
  /** After a lost connection: the worker went on from `position`, the one the store recorded. */
  onReconnect?: (event: { cause: string; position: number }) => void;
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
  /** Lost connections recovered from: the worker went back to its recorded position each time. */
  reconnects: number;
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

/**
 * The worker's state: the fetched weights, the gradient summed since the last push (coalesced by
 * coordinate) and the progressive-validation sums. A class with typed-array fields and plain loops,
 * so V8 optimizes the per-feature loops in a short run as it does the local learner's.
 */
class DownpourState {
  /** The fetched model, stepped locally by this worker's own examples until the next fetch. */
  readonly sections: Float32Array[];
  readonly weights: Float32Array;
  readonly grad: Float32Array;
  readonly squares: Float32Array;
  readonly touched: Uint8Array;
  rows = new Int32Array(4096);
  rowCount = 0;
  // One example's gradient coalesced by row, in order of first appearance (as the learner sums).
  private readonly exampleGrad: Float32Array;
  private readonly exampleMark: Uint8Array;
  private exampleRows = new Int32Array(256);
  private readonly step: (c: number, g: number, q: number) => void;
  readonly spanLow: Int32Array;
  readonly spanHigh: Int32Array;
  readonly bias: number;
  readonly mask: number;
  readonly shift: number;
  readonly B: number;
  readonly blocks: number;
  labelKind: LabelKind | undefined = undefined;
  examples = 0;
  features = 0;
  lossSum = 0;
  weightSum = 0;
  correct = 0;
  pendingExamples = 0;
  pushes = 0;
  fetches = 0;
  pushedCoordinates = 0;
  fetchedCoordinates = 0;
  lastPrediction = 0;

  constructor(readonly spec: ModelSpec) {
    const coordinates = coordinatesOf(spec);
    this.sections = Array.from({ length: sectionsOf(spec) }, () => new Float32Array(coordinates));
    this.weights = this.sections[0];
    this.grad = new Float32Array(coordinates);
    this.squares = new Float32Array(coordinates);
    this.touched = new Uint8Array(coordinates);
    this.exampleGrad = new Float32Array(coordinates);
    this.exampleMark = new Uint8Array(coordinates);
    this.step = localStep(spec, this.sections);
    this.bias = coordinates - 1;
    this.mask = 2 ** spec.bits - 1;
    this.B = spec.blockSize;
    this.shift = Math.log2(spec.blockSize);
    this.blocks = Math.ceil(coordinates / spec.blockSize);
    this.spanLow = new Int32Array(this.blocks).fill(this.B);
    this.spanHigh = new Int32Array(this.blocks).fill(-1);
  }

  /** Widens each block's span to cover the coordinates the window's examples use. */
  markWindow(window: readonly Pending[]): void {
    const { spanLow, spanHigh, mask, shift } = this;
    const low = this.B - 1;
    this.mark(this.bias);
    for (let e = 0; e < window.length; e++) {
      const indices = window[e].ex.indices;
      for (let j = 0; j < indices.length; j++) {
        const c = indices[j] & mask;
        const k = c >>> shift;
        const o = c & low;
        if (o < spanLow[k]) spanLow[k] = o;
        if (o > spanHigh[k]) spanHigh[k] = o;
      }
    }
  }

  private mark(c: number): void {
    const k = c >>> this.shift;
    const o = c & (this.B - 1);
    if (o < this.spanLow[k]) this.spanLow[k] = o;
    if (o > this.spanHigh[k]) this.spanHigh[k] = o;
  }

  /**
   * Predicts with the fetched weights, adds the gradient to the pending sum; returns the loss.
   * `count`: the example's first prediction, which the progressive validation counts.
   */
  learn(ex: Example, loss: (typeof LOSSES)[StoreLoss], count: boolean): number {
    const spec = this.spec;
    const y = labelFor(
      spec.loss,
      ex.label,
      { line: ex.line },
      { classes: 1, firstClass: 0, seen: this.labelKind },
    );
    this.labelKind = labelKindOf(spec.loss, ex.label) ?? this.labelKind;
    const weight = ex.weight;
    if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight)) {
      throw new DataError(`importance weight ${String(weight)} must be a finite number >= 0`, {
        line: ex.line,
      });
    }
    const { indices, values } = ex;
    const { weights, mask } = this;
    const n = indices.length;
    let z = weights[this.bias];
    for (let j = 0; j < n; j++) z += weights[indices[j] & mask] * values[j];
    if (!Number.isFinite(z)) diverged(ex, z, this.examples, spec.lr);
    const l = loss.value(z, y);
    const prediction = spec.loss === 'logistic' ? sigmoid(z) : z;
    this.lastPrediction = prediction;
    if (count) {
      this.examples++;
      this.features += n;
      this.lossSum += weight * l;
      this.weightSum += weight;
      if (spec.loss !== 'squared' && prediction > (spec.loss === 'logistic' ? 0.5 : 0) === (ex.label === 1)) {
        this.correct++;
      }
    }
    if (weight > 0) {
      const dz = loss.gradient(z, y) * weight;
      if (!(Math.abs(dz) < MAX_SCORE_GRADIENT)) diverged(ex, z, this.examples, spec.lr);
      if (n + 1 > this.exampleRows.length) this.exampleRows = new Int32Array(2 * (n + 1));
      const { exampleGrad, exampleMark, exampleRows } = this;
      let unique = 0;
      for (let j = 0; j < n; j++) {
        const row = indices[j] & mask;
        const g = Math.fround(dz * values[j]);
        if (exampleMark[row] === 0) {
          exampleMark[row] = 1;
          exampleRows[unique++] = row;
          exampleGrad[row] = g;
        } else {
          exampleGrad[row] += g;
        }
      }
      exampleRows[unique] = this.bias;
      exampleGrad[this.bias] = Math.fround(dz);
      if (this.rowCount + unique + 1 > this.rows.length) this.grow(this.rowCount + unique + 1);
      const { grad, squares, touched, rows } = this;
      let count = this.rowCount;
      for (let u = 0; u <= unique; u++) {
        const row = exampleRows[u];
        const g = exampleGrad[row];
        const q = Math.fround(g * g);
        exampleMark[row] = 0;
        this.step(row, g, q);
        if (touched[row] === 0) {
          touched[row] = 1;
          rows[count++] = row;
          grad[row] = g;
          squares[row] = q;
        } else {
          grad[row] += g;
          squares[row] += q;
        }
      }
      this.rowCount = count;
    }
    return weight * l;
  }

  /** Forgets the gradient summed since the last push (its examples will be learned again). */
  discardPending(): void {
    for (let i = 0; i < this.rowCount; i++) {
      const row = this.rows[i];
      this.grad[row] = 0;
      this.squares[row] = 0;
      this.touched[row] = 0;
    }
    this.rowCount = 0;
    this.pendingExamples = 0;
  }

  private grow(needed: number): void {
    const bigger = new Int32Array(Math.max(needed, this.rows.length * 2));
    bigger.set(this.rows.subarray(0, this.rowCount));
    this.rows = bigger;
  }
}

/**
 * The worker's own step on its copy of the model, the same formulas as the function in Redis
 * (functions.ts), so that between fetches the worker sees its own updates: with one worker only
 * the batching of the pushes separates it from local training.
 */
function localStep(spec: ModelSpec, sections: Float32Array[]): (c: number, g: number, q: number) => void {
  const [w, a, b] = sections;
  if (spec.optimizer === 'adagrad') {
    const lr = Math.fround(spec.lr);
    const eps = Math.fround(spec.eps);
    const inside = spec.preset !== 'pytorch' && spec.preset !== 'paper';
    const skipZero = spec.preset === 'optax';
    return (c, g, q) => {
      const G = a[c] + q;
      a[c] = G;
      if (!inside) w[c] = w[c] - (lr * g) / (Math.sqrt(G) + eps);
      else if (!(skipZero && G === 0)) w[c] = w[c] - (lr * g) / Math.sqrt(G + eps);
    };
  }
  const { lr: alpha, beta } = spec;
  const bias = coordinatesOf(spec) - 1;
  return (c, g, q) => {
    // McMahan et al. 2013, Algorithm 1; the bias is not regularized.
    const l1 = c === bias ? 0 : spec.l1;
    const l2 = c === bias ? 0 : spec.l2;
    const n = b[c];
    const sigma = (Math.sqrt(n + q) - Math.sqrt(n)) / alpha;
    const z = a[c] + g - sigma * w[c];
    a[c] = z;
    b[c] = n + q;
    w[c] = Math.abs(z) <= l1 ? 0 : -(z - Math.sign(z) * l1) / ((beta + Math.sqrt(n + q)) / alpha + l2);
  };
}

/** Lost connections a worker recovers from in one run before it gives up with the last. */
export const MAX_RECONNECTS = 5;

export async function runWorker(
  store: ParameterStore,
  spec: ModelSpec,
  options: WorkerOptions,
): Promise<WorkerSummary> {
  const { worker, passes, fetchEvery, pushEvery } = options;
  const name = workerName(worker);
  const loss = LOSSES[spec.loss];
  const state = new DownpourState(spec);
  const { B, blocks, spanLow, spanHigh, sections, grad, squares, touched } = state;

  const start = performance.now();
  const skipTo = await store.position(name);
  let recorded = skipTo;
  // Examples up to this position have been predicted once: learned again after a lost connection,
  // they do not count twice in the progressive validation (nor in `examples`).
  let counted = skipTo;
  let position = 0;
  let reconnects = 0;
  let nextReport = 1;
  let lossSinceReport = 0;
  let weightSinceReport = 0;
  let interrupted = false;

  const fetch = async (window: Pending[]): Promise<void> => {
    state.markWindow(window);
    const calls: Promise<void>[] = [];
    for (let k = 0; k < blocks; k++) {
      if (spanHigh[k] < 0) continue;
      calls.push(store.fetchSpan(spec, k, spanLow[k], spanHigh[k], sections));
      state.fetchedCoordinates += spanHigh[k] - spanLow[k] + 1;
      spanLow[k] = B;
      spanHigh[k] = -1;
    }
    throwFirstFailure(await Promise.allSettled(calls));
    state.fetches++;
  };

  // Pushes are not awaited where they are sent: the next fetch goes out behind them on the same
  // connections (Redis answers each connection in order, so it reads the pushed values) and both
  // are awaited together, one round trip per window, while the worker reads its next window.
  // Every command is awaited to its end, failed or not, so that after a failure nothing sent is
  // still on its way when the worker reads back the position the store recorded.
  let inFlight: Promise<void>[] = [];
  const settle = async (): Promise<void> => {
    const pending = inFlight;
    inFlight = [];
    throwFirstFailure(await Promise.allSettled(pending));
  };
  const push = (at: number): void => {
    if (state.pendingExamples === 0) return;
    const sorted = state.rows.subarray(0, state.rowCount).sort();
    const calls: Promise<unknown>[] = [];
    let s = 0;
    while (s < sorted.length) {
      const k = sorted[s] >>> state.shift;
      let e = s;
      while (e < sorted.length && sorted[e] >>> state.shift === k) e++;
      const offsets = new Uint16Array(e - s);
      const sums = new Float32Array(e - s);
      const sumsOfSquares = new Float32Array(e - s);
      for (let i = s; i < e; i++) {
        const row = sorted[i];
        offsets[i - s] = row - k * B;
        sums[i - s] = grad[row];
        sumsOfSquares[i - s] = squares[row];
        grad[row] = 0;
        squares[row] = 0;
        touched[row] = 0;
      }
      calls.push(store.pushBlock(spec, k, offsets, sums, sumsOfSquares));
      s = e;
    }
    // Sent with the blocks, not after them: a worker killed in between loses that batch (at most
    // the one in flight) instead of paying a round trip per push.
    calls.push(store.recordProgress(name, state.pendingExamples, at, state.labelKind));
    state.pushedCoordinates += state.rowCount;
    state.rowCount = 0;
    state.pendingExamples = 0;
    state.pushes++;
    const sent = Promise.allSettled(calls).then((results) => {
      throwFirstFailure(results);
      recorded = at;
    });
    sent.catch(() => undefined); // awaited with the next fetch; not an unhandled rejection meanwhile
    inFlight.push(sent);
  };

  const report = (ex: Example, pass: number, weighted: number): void => {
    lossSinceReport += weighted;
    weightSinceReport += ex.weight;
    if (state.examples !== nextReport || options.onProgress === undefined) return;
    const seconds = (performance.now() - start) / 1000;
    options.onProgress({
      pass,
      examples: state.examples,
      weightedExamples: state.weightSum,
      averageLoss: state.weightSum > 0 ? state.lossSum / state.weightSum : 0,
      sinceLast: weightSinceReport > 0 ? lossSinceReport / weightSinceReport : 0,
      holdoutLoss: null,
      label: ex.label,
      prediction: state.lastPrediction,
      features: ex.indices.length,
      examplesPerSecond: seconds > 0 ? state.examples / seconds : 0,
    });
    lossSinceReport = 0;
    weightSinceReport = 0;
    nextReport *= 2;
  };

  let window: Pending[] = [];
  let last = recorded;
  const process = async (): Promise<void> => {
    throwFirstFailure(await Promise.allSettled([fetch(window), settle()]));
    for (const item of window) {
      const first = item.position > counted;
      const weighted = state.learn(item.ex, loss, first);
      if (first) {
        counted = item.position;
        report(item.ex, item.pass, weighted);
      }
      last = item.position;
      state.pendingExamples++;
      if (state.pendingExamples === pushEvery) push(last);
      if (fetchEvery > 1 && options.shouldStop?.()) {
        interrupted = true;
        break;
      }
    }
    window = [];
  };

  /** The shard's passes from position `from` on (the examples before it are pushed already). */
  const trainFrom = async (from: number): Promise<void> => {
    position = 0;
    window = [];
    outer: for (let pass = 1; pass <= passes; pass++) {
      for await (const batch of options.pass()) {
        for (const ex of batch) {
          position++;
          if (position <= from) continue;
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
    push(last);
    await settle();
  };

  for (;;) {
    try {
      await trainFrom(recorded);
      break;
    } catch (error) {
      if (!(error instanceof StoreError && error.lost) || reconnects === MAX_RECONNECTS) throw error;
      reconnects++;
      // Every command sent has ended: the position in the store says which pushes it holds. Read
      // once the client has reconnected (or failed to, with its own error naming the server).
      state.discardPending();
      recorded = await store.position(name);
      last = recorded;
      options.onReconnect?.({ cause: error.message, position: recorded });
    }
  }

  const seconds = (performance.now() - start) / 1000;
  const { examples } = state;
  return {
    worker: name,
    examples,
    skipped: Math.min(skipTo, position),
    position: recorded,
    averageLoss: state.weightSum > 0 ? state.lossSum / state.weightSum : 0,
    progressiveAccuracy: spec.loss === 'squared' || examples === 0 ? undefined : state.correct / examples,
    pushes: state.pushes,
    fetches: state.fetches,
    pushedCoordinates: state.pushedCoordinates,
    fetchedCoordinates: state.fetchedCoordinates,
    reconnects,
    interrupted,
    seconds,
    examplesPerSecond: seconds > 0 ? examples / seconds : 0,
    featuresPerSecond: seconds > 0 ? state.features / seconds : 0,
  };
}

function throwFirstFailure(results: PromiseSettledResult<unknown>[]): void {
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

function diverged(ex: Example, score: number, examples: number, lr: number): never {
  throw new DataError(
    `the model diverged: score ${score} after ${examples} examples; lower the learning rate (lr ${lr})`,
    { line: ex.line },
  );
}
