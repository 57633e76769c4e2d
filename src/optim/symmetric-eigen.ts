/**
 * Eigendecomposition of a real symmetric matrix: Householder reduction to tridiagonal form, then the
 * implicit QL algorithm (tred2 and tql2 of EISPACK, as in JAMA's EigenvalueDecomposition, which is in
 * the public domain). About 9·n³ flops; float64 throughout.
 *
 * Storage: `a` holds the n×n matrix, row-major (symmetric, so either order). It is overwritten by the
 * eigenvectors, one per row: eigenvector k is a[k·n .. k·n + n). Keeping each vector contiguous (JAMA's
 * V[r][c] lives at a[c·n + r]) makes every inner loop below run along memory.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    tridiagonalize(a, n, d, e);
    diagonalize(a, n, d, e);
  }
  return { values: d, vectors: a };
}

/** tred2: V (stored transposed in `u`) accumulates the Householder reflections; d, e the tridiagonal. */
function tridiagonalize(u: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = u[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = u[j * n + i - 1];
        u[j * n + i] = 0;
        u[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        const col = j * n;
        f = d[j];
        u[i * n + j] = f;
        g = e[j] + u[col + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += u[col + k] * d[k];
          e[k] += u[col + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const col = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) u[col + k] -= f * e[k] + g * d[k];
        d[j] = u[col + i - 1];
        u[col + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    u[i * n + n - 1] = u[i * n + i];
    u[i * n + i] = 1;
    const h = d[i + 1];
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = u[next + k] / h;
      for (let j = 0; j <= i; j++) {
        const col = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += u[next + k] * u[col + k];
        for (let k = 0; k <= i; k++) u[col + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) u[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = u[j * n + n - 1];
    u[j * n + n - 1] = 0;
  }
  u[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** tql2: the implicit QL iteration on the tridiagonal (d, e), rotating the vectors in `u` along. */
function diagonalize(u: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      for (let iteration = 0; ; iteration++) {
        if (iteration > 30 * n) throw new Error('symmetricEigen: the QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const vi = i * n;
          const vj = vi + n;
          for (let k = 0; k < n; k++) {
            h = u[vj + k];
            u[vj + k] = s * u[vi + k] + c * h;
            u[vi + k] = c * u[vi + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]) > eps * tst1)) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
}
