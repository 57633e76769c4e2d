/**
 * Several passes over a data source with progressive validation and a progressive holdout, as
 * Vowpal Wabbit does:
 *
 * - every example is first predicted, then learned from; its loss before the update is the
 *   progressive loss (an honest estimate of generalization on a single pass);
 * - with a holdout, every k-th example (k = round(1/holdoutFraction), counted from the start of each
 *   pass, so the same examples in every pass when the source yields the same order) is never learned
 *   from; its loss is the holdout loss, reported separately;
 * - after each pass the holdout loss is compared with the best so far; `patience` passes without an
 *   improvement stop training early (the model of the last pass is kept, as in VW).
 *
 * Progress events come at 1, 2, 4, 8, … examples (VW's table) or every `progressEvery` examples.
 */
import type { Example } from '../data/example.js';
import { LearnerError } from './errors.js';
import type { LearnResult } from './linear.js';

/** What trainPasses needs of a model: LinearLearner and MlpRegressor both fit. */
export interface OnlineModel {
  learn(ex: Example): LearnResult;
  test(ex: Example): LearnResult;
}

/** A pass over the data: examples one by one, or in batches (fewer awaits for streamed files). */
export type ExampleSource =
  Iterable<Example> | AsyncIterable<Example> | { batches(): AsyncIterable<readonly Example[]> };

export interface ProgressEvent {
  /** 1-based pass number. */
  pass: number;
  /** Examples seen so far in all passes, held-out ones included. */
  examples: number;
  /** Sum of importance weights of the learned examples. */
  weightedExamples: number;
  /** Weighted mean progressive loss of all learned examples so far. */
  averageLoss: number;
  /** The same over the learned examples since the previous event. */
  sinceLast: number;
  /** Weighted mean holdout loss of this pass so far (null without holdout examples yet). */
  holdoutLoss: number | null;
  /** The current example's raw label, the model's prediction for it before the update, its nonzeros. */
  label: number;
  prediction: number;
  features: number;
  /** Examples per second since training started (wall clock). */
  examplesPerSecond: number;
}

export interface PassEvent {
  pass: number;
  /** Weighted mean progressive loss of this pass's learned examples. */
  trainLoss: number;
  /** Weighted mean loss of this pass's held-out examples (null without holdout). */
  holdoutLoss: number | null;
  learned: number;
  heldOut: number;
  /** True when this pass's holdout loss is the best so far. */
  improved: boolean;
}

export interface TrainOptions {
  /** Passes over the data (default 1). */
  passes?: number;
  /** Fraction of examples held out in every pass, 0 to 0.5 (default: 0.1 with several passes, 0 with one, as in VW). */
  holdoutFraction?: number;
  /** Passes without a better holdout loss before stopping (default 3, VW's early_terminate). */
  patience?: number;
  /** 'doubling' (default: events at 1, 2, 4, … examples) or an event every N examples. */
  progressEvery?: 'doubling' | number;
  onProgress?: (event: ProgressEvent) => void;
  onPass?: (event: PassEvent) => void;
  /** Aborting stops after the current example (Ctrl-C): the summary says interrupted. */
  signal?: AbortSignal;
  /** Clock in milliseconds (default performance.now). */
  now?: () => number;
}

export interface TrainSummary {
  /** Passes started (the last may be partial when interrupted). */
  passes: number;
  examples: number;
  learned: number;
  heldOut: number;
  /** Weighted mean progressive loss over all learned examples of all passes. */
  averageLoss: number;
  /** Holdout loss of the last complete pass (null without holdout). */
  holdoutLoss: number | null;
  bestHoldoutLoss: number | null;
  bestPass: number | null;
  stoppedEarly: boolean;
  interrupted: boolean;
  seconds: number;
  examplesPerSecond: number;
}

function checkTrainOptions(
  o: TrainOptions,
): Required<Pick<TrainOptions, 'passes' | 'holdoutFraction' | 'patience'>> {
  const passes = o.passes ?? 1;
  if (!Number.isInteger(passes) || passes < 1) {
    throw new LearnerError(`trainPasses: option 'passes' must be an integer >= 1, got ${String(passes)}`);
  }
  const holdoutFraction = o.holdoutFraction ?? (passes > 1 ? 0.1 : 0);
  if (typeof holdoutFraction !== 'number' || !(holdoutFraction >= 0 && holdoutFraction <= 0.5)) {
    throw new LearnerError(
      `trainPasses: option 'holdoutFraction' must be a number from 0 to 0.5, got ${String(holdoutFraction)}`,
    );
  }
  const patience = o.patience ?? 3;
  if (!Number.isInteger(patience) || patience < 1) {
    throw new LearnerError(`trainPasses: option 'patience' must be an integer >= 1, got ${String(patience)}`);
  }
  const every = o.progressEvery ?? 'doubling';
  if (every !== 'doubling' && !(Number.isInteger(every) && every >= 1)) {
    throw new LearnerError(
      `trainPasses: option 'progressEvery' must be 'doubling' or an integer >= 1, got ${String(every)}`,
    );
  }
  return { passes, holdoutFraction, patience };
}

async function* examplesOf(source: ExampleSource): AsyncGenerator<readonly Example[]> {
  if ('batches' in source && typeof source.batches === 'function') {
    yield* source.batches();
  } else if (Symbol.iterator in source) {
    // One batch per 4096 examples keeps awaits rare for in-memory data.
    let batch: Example[] = [];
    for (const ex of source as Iterable<Example>) {
      batch.push(ex);
      if (batch.length === 4096) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } else {
    for await (const ex of source as AsyncIterable<Example>) yield [ex];
  }
}

/**
 * Trains `model` for up to `passes` passes over `examples()` (called once per pass, so a stream can
 * be reopened), with progressive validation and holdout early stopping. Resolves with a summary.
 */
export async function trainPasses(
  model: OnlineModel,
  examples: () => ExampleSource,
  options: TrainOptions = {},
): Promise<TrainSummary> {
  const { passes, holdoutFraction, patience } = checkTrainOptions(options);
  const holdoutPeriod = holdoutFraction > 0 ? Math.max(2, Math.round(1 / holdoutFraction)) : 0;
  const now = options.now ?? (() => performance.now());
  const every = options.progressEvery ?? 'doubling';
  const started = now();

  let seen = 0;
  let learned = 0;
  let heldOut = 0;
  let weightSum = 0;
  let lossSum = 0;
  let sinceWeight = 0;
  let sinceLoss = 0;
  let nextEvent = 1;
  let best: number | null = null;
  let bestPass: number | null = null;
  let lastHoldout: number | null = null;
  let stale = 0;
  let stoppedEarly = false;
  let interrupted = false;
  let pass = 0;

  while (pass < passes && !interrupted) {
    pass++;
    let position = 0;
    let passWeight = 0;
    let passLoss = 0;
    let holdWeight = 0;
    let holdLoss = 0;
    let passLearned = 0;
    let passHeld = 0;
    outer: for await (const batch of examplesOf(examples())) {
      for (const ex of batch) {
        if (options.signal?.aborted) {
          interrupted = true;
          break outer;
        }
        position++;
        seen++;
        const held = holdoutPeriod > 0 && position % holdoutPeriod === 0;
        let result: LearnResult;
        if (held) {
          result = model.test(ex);
          heldOut++;
          passHeld++;
          holdWeight += ex.weight;
          holdLoss += ex.weight * result.loss;
        } else {
          result = model.learn(ex);
          learned++;
          passLearned++;
          weightSum += ex.weight;
          lossSum += ex.weight * result.loss;
          passWeight += ex.weight;
          passLoss += ex.weight * result.loss;
          sinceWeight += ex.weight;
          sinceLoss += ex.weight * result.loss;
        }
        if (options.onProgress !== undefined && seen === nextEvent) {
          nextEvent = every === 'doubling' ? nextEvent * 2 : nextEvent + every;
          const seconds = (now() - started) / 1000;
          options.onProgress({
            pass,
            examples: seen,
            weightedExamples: weightSum,
            averageLoss: weightSum > 0 ? lossSum / weightSum : 0,
            sinceLast: sinceWeight > 0 ? sinceLoss / sinceWeight : 0,
            holdoutLoss: holdWeight > 0 ? holdLoss / holdWeight : null,
            label: ex.label,
            prediction: result.prediction,
            features: ex.indices.length,
            examplesPerSecond: seconds > 0 ? seen / seconds : 0,
          });
          sinceWeight = 0;
          sinceLoss = 0;
        }
      }
    }
    if (position === 0) throw new LearnerError(`trainPasses: pass ${pass} had no examples`);
    if (interrupted) break;
    const holdoutLoss = holdWeight > 0 ? holdLoss / holdWeight : null;
    let improved = false;
    if (holdoutLoss !== null) {
      lastHoldout = holdoutLoss;
      if (best === null || holdoutLoss < best) {
        best = holdoutLoss;
        bestPass = pass;
        stale = 0;
        improved = true;
      } else {
        stale++;
      }
    }
    options.onPass?.({
      pass,
      trainLoss: passWeight > 0 ? passLoss / passWeight : 0,
      holdoutLoss,
      learned: passLearned,
      heldOut: passHeld,
      improved,
    });
    if (holdoutLoss !== null && stale >= patience && pass < passes) {
      stoppedEarly = true;
      break;
    }
  }
  const seconds = (now() - started) / 1000;
  return {
    passes: pass,
    examples: seen,
    learned,
    heldOut,
    averageLoss: weightSum > 0 ? lossSum / weightSum : 0,
    holdoutLoss: lastHoldout,
    bestHoldoutLoss: best,
    bestPass,
    stoppedEarly,
    interrupted,
    seconds,
    examplesPerSecond: seconds > 0 ? seen / seconds : 0,
  };
}
