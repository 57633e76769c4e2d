/**
 * Passes over a source with progressive validation, as Vowpal Wabbit does: each example is predicted
 * before it is learned, so the running average loss is an honest estimate of generalization on one
 * pass. With a holdout fraction f, every round(1/f)-th example of every pass is never learned: its
 * loss is the holdout loss, and early stopping watches it.
 */
import { DataError, type Example } from '../data/index.js';
import type { LinearLearner } from './learner/linear.js';
import type { ExampleSource } from './source.js';

export interface ProgressRow {
  pass: number;
  /** Examples learned so far, all passes. */
  examples: number;
  averageLoss: number;
  sinceLast: number;
  label: number;
  prediction: number;
  features: number;
  examplesPerSecond: number;
}

export interface PassSummary {
  pass: number;
  examples: number;
  averageLoss: number;
  holdoutLoss: number | undefined;
  holdoutExamples: number;
}

export interface TrainingEvents {
  onRow?(row: ProgressRow): void;
  onPass?(summary: PassSummary): void;
  /** Called after every batch, for progress bars. */
  onBatch?(fraction: number | undefined, pass: number): void;
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
  passes: number;
  /** Examples learned in all passes. */
  examples: number;
  averageLoss: number;
  holdoutLoss: number | undefined;
  /** Progressive accuracy of binary and multiclass losses (the prediction before each update). */
  progressiveAccuracy: number | undefined;
  interrupted: boolean;
  stoppedEarly: boolean;
  seconds: number;
  /** (examples, average loss) at every progress row and at the end, for plots. */
  curve: [number, number][];
}

export async function train(
  learner: LinearLearner,
  source: ExampleSource,
  options: TrainingOptions,
  events: TrainingEvents = {},
): Promise<TrainingResult> {
  const start = performance.now();
  const period = options.holdoutFraction > 0 ? Math.max(2, Math.round(1 / options.holdoutFraction)) : 0;
  const loss = learner.options.loss;
  let examples = 0;
  let lossSum = 0;
  let weightSum = 0;
  let correct = 0;
  let sinceSum = 0;
  let sinceWeight = 0;
  let nextRow = 1;
  let bestHoldout = Infinity;
  let holdoutLoss: number | undefined;
  let passesWithoutImprovement = 0;
  let interrupted = false;
  let stoppedEarly = false;
  let pass: number;
  const curve: [number, number][] = [];

  const isCorrect = (ex: Example, prediction: number): boolean => {
    if (loss === 'softmax') return prediction === ex.label;
    const positive = ex.label === 1;
    return loss === 'logistic' ? prediction >= 0.5 === positive : prediction >= 0 === positive;
  };

  let current: Example | undefined;
  try {
    return await loop();
  } catch (error) {
    // The learner knows the line of a bad label, the source knows the file.
    if (error instanceof DataError && error.file === undefined && current !== undefined) {
      throw error.inFile(source.name);
    }
    throw error;
  }

  async function loop(): Promise<TrainingResult> {
    passes: for (pass = 1; pass <= options.passes; pass++) {
      let inPass = 0;
      let holdoutSum = 0;
      let holdoutWeight = 0;
      for await (const batch of source.pass()) {
        for (const ex of batch) {
          current = ex;
          inPass++;
          if (period > 0 && inPass % period === 0) {
            const { loss: l } = learner.test(ex);
            holdoutSum += l * ex.weight;
            holdoutWeight += ex.weight;
            continue;
          }
          const { loss: l, prediction } = learner.learn(ex);
          if (!Number.isFinite(l)) {
            throw new Error(
              `${source.name}:${ex.line}: the loss became ${l}: the learning rate is too large for this data (lower --lr)`,
            );
          }
          examples++;
          lossSum += l * ex.weight;
          weightSum += ex.weight;
          sinceSum += l * ex.weight;
          sinceWeight += ex.weight;
          if (loss !== 'squared' && isCorrect(ex, prediction)) correct++;
          if (examples === nextRow) {
            const averageLoss = lossSum / weightSum;
            curve.push([examples, averageLoss]);
            events.onRow?.({
              pass,
              examples,
              averageLoss,
              sinceLast: sinceWeight > 0 ? sinceSum / sinceWeight : averageLoss,
              label: ex.label,
              prediction,
              features: ex.indices.length,
              examplesPerSecond: examples / ((performance.now() - start) / 1000),
            });
            sinceSum = 0;
            sinceWeight = 0;
            nextRow *= 2;
          }
          if (events.shouldStop?.()) {
            interrupted = true;
            break passes;
          }
        }
        events.onBatch?.(source.progress(), pass);
      }
      if (inPass === 0) throw new Error(`${source.name}: no examples`);
      holdoutLoss = holdoutWeight > 0 ? holdoutSum / holdoutWeight : undefined;
      events.onPass?.({
        pass,
        examples,
        averageLoss: lossSum / weightSum,
        holdoutLoss,
        holdoutExamples: holdoutWeight,
      });
      if (holdoutLoss !== undefined && options.patience > 0) {
        if (holdoutLoss < bestHoldout) {
          bestHoldout = holdoutLoss;
          passesWithoutImprovement = 0;
        } else if (++passesWithoutImprovement >= options.patience && pass < options.passes) {
          stoppedEarly = true;
          break;
        }
      }
    }
    const averageLoss = weightSum > 0 ? lossSum / weightSum : NaN;
    if (weightSum > 0 && curve[curve.length - 1]?.[0] !== examples) curve.push([examples, averageLoss]);
    return {
      // Complete passes: an interrupted one does not count.
      passes: interrupted ? pass - 1 : Math.min(pass, options.passes),
      examples,
      averageLoss,
      holdoutLoss,
      progressiveAccuracy: loss === 'squared' || examples === 0 ? undefined : correct / examples,
      interrupted,
      stoppedEarly,
      seconds: (performance.now() - start) / 1000,
      curve,
    };
  }
}
