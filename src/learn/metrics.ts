/**
 * Evaluation metrics for predictions against labels.
 *
 * Binary labels may be +1/−1 or 1/0 (positive means label > 0). Probabilities are of the positive
 * class. Where a metric is undefined (AUC with one class only, R² of constant labels) it is null,
 * never NaN; precision, recall and F1 with nothing to count are 0 (as scikit-learn's zero_division=0).
 */
import { LearnerError } from './errors.js';

export interface ClassificationMetrics {
  /** Fraction with (p > threshold) equal to (label > 0). */
  accuracy: number;
  /** Mean of −log p(true class), with p clipped to [1e−15, 1 − 1e−15]. */
  logLoss: number;
  /** Area under the ROC curve: the probability that a random positive outranks a random negative, ties counting ½. */
  auc: number | null;
  precision: number;
  recall: number;
  f1: number;
  count: number;
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  /** 1 − Σ(y − ŷ)² / Σ(y − ȳ)²; null when every label is the same. */
  r2: number | null;
  count: number;
}

export interface MulticlassMetrics {
  accuracy: number;
  /** Mean of −log p(true class) when probabilities are given. */
  logLoss: number | null;
  count: number;
}

const CLIP = 1e-15;

function checkPaired(
  where: string,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  names: [string, string],
): void {
  if (a.length !== b.length) {
    throw new LearnerError(`${where}: ${names[0]} has ${a.length} values but ${names[1]} has ${b.length}`);
  }
  if (a.length === 0) throw new LearnerError(`${where}: no examples to evaluate`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new LearnerError(`${where}: ${names[0]}[${i}] is ${a[i]}`);
    if (!Number.isFinite(b[i])) throw new LearnerError(`${where}: ${names[1]}[${i}] is ${b[i]}`);
  }
}

export function classificationMetrics(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold = 0.5,
): ClassificationMetrics {
  const where = 'classificationMetrics';
  checkPaired(where, labels, probabilities, ['labels', 'probabilities']);
  const n = labels.length;
  let correct = 0;
  let logLoss = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i];
    if (p < 0 || p > 1) throw new LearnerError(`${where}: probabilities[${i}] = ${p} is not in [0, 1]`);
    const positive = labels[i] > 0;
    const predicted = p > threshold;
    if (predicted === positive) correct++;
    if (predicted && positive) tp++;
    else if (predicted) fp++;
    else if (positive) fn++;
    const q = Math.min(Math.max(positive ? p : 1 - p, CLIP), 1 - CLIP);
    logLoss -= Math.log(q);
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    accuracy: correct / n,
    logLoss: logLoss / n,
    auc: rocAuc(labels, probabilities),
    precision,
    recall,
    f1,
    count: n,
  };
}

/**
 * ROC AUC by ranks (Mann–Whitney U): sort by score, give tied scores their average rank, then
 * AUC = (Σ ranks of positives − P(P+1)/2) / (P·N).
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start..end−1 are 1-based start+1..end
    for (let j = start; j < end; j++) {
      if (labels[order[j]] > 0) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function regressionMetrics(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
): RegressionMetrics {
  checkPaired('regressionMetrics', labels, predictions, ['labels', 'predictions']);
  const n = labels.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += labels[i];
  mean /= n;
  let squared = 0;
  let absolute = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = labels[i] - predictions[i];
    squared += r * r;
    absolute += Math.abs(r);
    total += (labels[i] - mean) ** 2;
  }
  return {
    rmse: Math.sqrt(squared / n),
    mae: absolute / n,
    r2: total === 0 ? null : 1 - squared / total,
    count: n,
  };
}

/** Accuracy of predicted classes; log loss too when each example's class probabilities are given. */
export function multiclassMetrics(
  labels: ArrayLike<number>,
  predictedClasses: ArrayLike<number>,
  probabilities?: readonly ArrayLike<number>[],
): MulticlassMetrics {
  checkPaired('multiclassMetrics', labels, predictedClasses, ['labels', 'predictedClasses']);
  const n = labels.length;
  let correct = 0;
  for (let i = 0; i < n; i++) if (labels[i] === predictedClasses[i]) correct++;
  let logLoss: number | null = null;
  if (probabilities !== undefined) {
    if (probabilities.length !== n) {
      throw new LearnerError(`multiclassMetrics: ${probabilities.length} probability rows for ${n} labels`);
    }
    logLoss = 0;
    for (let i = 0; i < n; i++) {
      const p = probabilities[i][labels[i]];
      if (p === undefined)
        throw new LearnerError(`multiclassMetrics: no probability for class ${labels[i]} (row ${i})`);
      logLoss -= Math.log(Math.min(Math.max(p, CLIP), 1 - CLIP));
    }
    logLoss /= n;
  }
  return { accuracy: correct / n, logLoss, count: n };
}
