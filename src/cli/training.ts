/**
 * Training for the command: src/learn's trainPasses (progressive validation, VW-style progressive
 * holdout, early stopping) around the model, plus what only the command needs: progressive
 * accuracy and a loss curve for `compare`, a progress-bar tick, Ctrl-C, and errors attributed to
 * the source file.
 */
import { DataError } from '../data/errors.js';
import type { Example } from '../data/example.js';
import type { LearnResult } from '../learn/linear.js';
import type { LossName } from '../learn/losses.js';
import { type OnlineModel, type PassEvent, type ProgressEvent, trainPasses } from '../learn/train.js';
import type { ExampleSource } from './source.js';

export interface TrainingEvents {
  onProgress?(event: ProgressEvent): void;
  onPass?(event: PassEvent): void;
  /** Called every few hundred examples, for progress bars. */
  onTick?(fraction: number | undefined, pass: number): void;
  /** Checked after every example: true stops training there (Ctrl-C). */
  shouldStop?(): boolean;
}

export interface TrainingOptions {
  passes: number;
  holdoutFraction: number;
  /** Passes without holdout improvement before stopping; 0 never stops early. */
  patience: number;
}

export interface TrainingResult {
  /** Complete passes (an interrupted pass does not count). */
  passes: number;
  /** Examples learned from, all passes (held-out ones excluded). */
  examples: number;
  heldOut: number;
  averageLoss: number;
  holdoutLoss: number | null;
  /** Progressive accuracy of the classification losses (each prediction made before its update). */
  progressiveAccuracy: number | undefined;
  interrupted: boolean;
  stoppedEarly: boolean;
  seconds: number;
  examplesPerSecond: number;
  /** (examples seen, average progressive loss) at 1, 2, 4, … and at the end, for plots. */
  curve: [number, number][];
}

const TICK_EVERY = 512;

export async function train(
  model: OnlineModel,
  loss: LossName,
  source: ExampleSource,
  options: TrainingOptions,
  events: TrainingEvents = {},
): Promise<TrainingResult> {
  const abort = new AbortController();
  let correct = 0;
  let learned = 0;
  let pass = 1;
  let current: Example | undefined;
  const isCorrect = (ex: Example, prediction: number): boolean => {
    if (loss === 'softmax') return prediction === ex.label; // firstClass 0: classes are labels
    const positive = ex.label === 1;
    return loss === 'logistic' ? prediction > 0.5 === positive : prediction > 0 === positive;
  };
  // Wraps the model to count hits and to stop between examples; the update is the model's own.
  const counted: OnlineModel = {
    learn(ex: Example): LearnResult {
      current = ex;
      const result = model.learn(ex);
      learned++;
      if (loss !== 'squared' && isCorrect(ex, result.prediction)) correct++;
      if (learned % TICK_EVERY === 0) events.onTick?.(source.progress(), pass);
      if (events.shouldStop?.()) abort.abort();
      return result;
    },
    test(ex: Example): LearnResult {
      current = ex;
      return model.test(ex);
    },
  };
  const curve: [number, number][] = [];
  try {
    const summary = await trainPasses(counted, () => ({ batches: () => source.pass() }), {
      passes: options.passes,
      holdoutFraction: options.holdoutFraction,
      // trainPasses wants patience >= 1; "never stop early" is more patience than there are passes.
      patience: options.patience > 0 ? options.patience : options.passes + 1,
      signal: abort.signal,
      onProgress: (event) => {
        pass = event.pass;
        curve.push([event.examples, event.averageLoss]);
        events.onProgress?.(event);
      },
      onPass: (event) => {
        pass = event.pass + 1;
        events.onPass?.(event);
      },
    });
    if (learned > 0 && curve[curve.length - 1]?.[0] !== summary.examples) {
      curve.push([summary.examples, summary.averageLoss]);
    }
    return {
      passes: summary.interrupted ? summary.passes - 1 : summary.passes,
      examples: summary.learned,
      heldOut: summary.heldOut,
      averageLoss: summary.averageLoss,
      holdoutLoss: summary.holdoutLoss,
      progressiveAccuracy: loss === 'squared' || learned === 0 ? undefined : correct / learned,
      interrupted: summary.interrupted,
      stoppedEarly: summary.stoppedEarly,
      seconds: summary.seconds,
      examplesPerSecond: summary.examplesPerSecond,
      curve,
    };
  } catch (error) {
    // The learner knows the line of a bad label, the source knows the file.
    if (error instanceof DataError && error.file === undefined && current !== undefined) {
      throw error.inFile(source.name);
    }
    throw error;
  }
}
