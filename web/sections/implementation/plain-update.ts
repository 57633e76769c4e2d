// AdaGrad's update as the lesson wrote it, in the names of the library's kernel: the first code the
// page shows. A unit test checks it against the library's Adagrad step for step (float64, bit for
// bit), so it cannot drift from the code that runs.

// sum is G and clr is η: G ← G + g ⊙ g, then θ ← θ − η / (√G + ε) ⊙ g, one coordinate at a time.
export function adagradStep(
  param: Float64Array,
  grad: ArrayLike<number>,
  sum: Float64Array,
  clr: number,
  eps: number,
): void {
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    sum[i] = sum[i] + g * g;
    param[i] = param[i] - (clr * g) / (Math.sqrt(sum[i]) + eps);
  }
}
