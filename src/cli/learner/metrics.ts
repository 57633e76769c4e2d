/**
 * Metrics the predict command reports (STAND-IN for src/learn's, see ./linear.ts).
 * Binary labels are 0/1 here; probabilities are of class 1.
 */
export interface ClassificationMetrics {
  count: number;
  accuracy: number;
  logLoss: number;
  auc: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface RegressionMetrics {
  count: number;
  rmse: number;
  mae: number;
  r2: number;
}

/** Log loss clips probabilities to [1e-15, 1 - 1e-15], as scikit-learn does, so one sure mistake stays finite. */
export function classificationMetrics(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
): ClassificationMetrics {
  const n = labels.length;
  let correct = 0;
  let logLoss = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i]));
    const guess = probabilities[i] >= 0.5 ? 1 : 0;
    if (guess === y) correct++;
    if (guess === 1 && y === 1) tp++;
    if (guess === 1 && y === 0) fp++;
    if (guess === 0 && y === 1) fn++;
    logLoss -= y === 1 ? Math.log(p) : Math.log(1 - p);
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return {
    count: n,
    accuracy: correct / n,
    logLoss: logLoss / n,
    auc: auc(labels, probabilities),
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}

/**
 * Area under the ROC curve by the rank-sum (Mann-Whitney) formula, tied scores sharing their mean
 * rank: the probability that a random positive scores above a random negative, ties counting half.
 * NaN when only one class is present.
 */
export function auc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPositive = 0;
  let positives = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]] === 1) {
        rankSumPositive += meanRank;
        positives++;
      }
    }
    start = end + 1;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function regressionMetrics(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
): RegressionMetrics {
  const n = labels.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += labels[i] / n;
  let squared = 0;
  let absolute = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = predictions[i] - labels[i];
    squared += r * r;
    absolute += Math.abs(r);
    total += (labels[i] - mean) ** 2;
  }
  return {
    count: n,
    rmse: Math.sqrt(squared / n),
    mae: absolute / n,
    r2: total === 0 ? NaN : 1 - squared / total,
  };
}
