/**
 * The losses of the linear learner, each as a function of the score z = w·x + b (one score per class
 * for softmax) and the label in the loss's own convention (see labels.ts):
 *
 *   logistic  y ∈ {0, 1}:   L = log(1 + e^z) − y·z            dL/dz = σ(z) − y
 *   squared   y ∈ ℝ:        L = (z − y)²                      dL/dz = 2 (z − y)
 *   hinge     y ∈ {−1, +1}: L = max(0, 1 − y·z)               dL/dz = −y if y·z < 1, else 0
 *   softmax   y ∈ 0..K−1:   L = log Σ_k e^{z_k} − z_y         dL/dz_k = p_k − [k = y]
 *
 * The learner needs both the loss and its derivative at the same scores; these functions compute
 * them without overflow for any finite score.
 */

export const LOSS_NAMES = ['logistic', 'squared', 'hinge', 'softmax'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** What a prediction means for each loss (recorded in model files as the link). */
export const LINKS: Readonly<Record<LossName, string>> = {
  logistic: 'logistic',
  squared: 'identity',
  hinge: 'identity',
  softmax: 'softmax',
};

export function isLossName(name: unknown): name is LossName {
  return typeof name === 'string' && (LOSS_NAMES as readonly string[]).includes(name);
}

/** σ(z) = 1 / (1 + e^{−z}), evaluated on the side where the exponential cannot overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow (softplus). */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Logistic loss for y ∈ {0, 1}: log(1 + e^z) − y·z. */
export function logisticLoss(z: number, y: number): number {
  return softplus(z) - y * z;
}

export function logisticGradient(z: number, y: number): number {
  return sigmoid(z) - y;
}

/** Squared error (z − y)², as VW and PyTorch's MSELoss report it. */
export function squaredLoss(z: number, y: number): number {
  const r = z - y;
  return r * r;
}

export function squaredGradient(z: number, y: number): number {
  return 2 * (z - y);
}

/** Hinge loss for y ∈ {−1, +1}. At the kink y·z = 1 the (sub)gradient taken is 0. */
export function hingeLoss(z: number, y: number): number {
  return Math.max(0, 1 - y * z);
}

export function hingeGradient(z: number, y: number): number {
  return y * z < 1 ? -y : 0;
}

/** Softmax probabilities of the scores, written into `out` (shifted by the largest score first). */
export function softmaxInto(scores: ArrayLike<number>, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < scores.length; k++) if (scores[k] > max) max = scores[k];
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp(scores[k] - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k++) out[k] /= sum;
  return out;
}

/** Cross-entropy of the softmax: log Σ_k e^{z_k} − z_y. */
export function softmaxLoss(scores: ArrayLike<number>, y: number): number {
  let max = -Infinity;
  for (let k = 0; k < scores.length; k++) if (scores[k] > max) max = scores[k];
  let sum = 0;
  for (let k = 0; k < scores.length; k++) sum += Math.exp(scores[k] - max);
  return max + Math.log(sum) - scores[y];
}

/** dL/dz_k = p_k − [k = y], written into `out`. */
export function softmaxGradientInto(scores: ArrayLike<number>, y: number, out: Float64Array): Float64Array {
  softmaxInto(scores, out);
  out[y] -= 1;
  return out;
}

/** The binary and regression losses by name: value and derivative in the score. */
export const SCALAR_LOSSES: Readonly<
  Record<
    Exclude<LossName, 'softmax'>,
    { value(z: number, y: number): number; gradient(z: number, y: number): number }
  >
> = {
  logistic: { value: logisticLoss, gradient: logisticGradient },
  squared: { value: squaredLoss, gradient: squaredGradient },
  hinge: { value: hingeLoss, gradient: hingeGradient },
};

/** Index of the largest value (the first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
