import { OptimizerInputError } from './errors.js';
import type { CheckedDense } from './gradients.js';
import {
  Optimizer,
  resolveCommon,
  type CommonOptions,
  type ParamState,
  type StateDict,
  type OptionsOf,
  type ParamsOrGroups,
} from './optimizer.js';
import { symmetricEigen } from './symmetric-eigen.js';
import type { FloatArray, Gradients } from './types.js';
import { describe, nonNegative, rejectUnknownOptions } from './validate.js';

export interface FullMatrixAdagradOptions extends CommonOptions {
  lr: number;
  /** δ in H = δI + G^½; see DEFAULT_FULL_MATRIX_EPS. */
  eps: number;
}

/**
 * The default δ, 1e-3. While G = Σ g gᵀ is rank-deficient (the first d steps), its null space holds
 * only rounding noise: eigenvalues of about ±1e-16·‖G‖ (roots ~1e-8·‖g‖) along arbitrary eigenvectors,
 * and gradient components of ~1e-16·‖g‖ there. A tiny δ divides that noise by ~δ, so the step depends on
 * the eigensolver. Measured (a JAMA-style QL solver against a cyclic Jacobi one, rotated quadratics of
 * d = 3..12 over 2d steps): the trajectories disagree by up to 8% with δ = 1e-10, 2e-3 with 1e-8,
 * 1e-5 with 1e-6, 3e-7 with 1e-4 and 1e-8 with 1e-3 for gradients of norm ~1-10 (3e-6 for norms
 * ~1e3). δ = 1e-3 is also far below √G's real eigenvalues for any gradient that matters (‖g‖ ≫ 1e-3),
 * so steps stay those of the paper's small-δ limit.
 */
export const DEFAULT_FULL_MATRIX_EPS = 1e-3;

/** Above this many coordinates, G (d² float64s) and an O(d³) step per call are not sensible. */
export const FULL_MATRIX_MAX_COORDINATES = 2048;

/** The state dict: the per-parameter step counts, and G over all coordinates (row-major, d² numbers). */
export interface FullMatrixAdagradStateDict extends StateDict {
  matrix: number[];
}

function resolveFullMatrixOptions(given: Record<string, unknown>): FullMatrixAdagradOptions {
  const name = 'FullMatrixAdagrad';
  rejectUnknownOptions(name, given, ['lr', 'eps', 'checkFinite']);
  return {
    lr: nonNegative(name, 'lr', given.lr ?? 0.01),
    eps: nonNegative(name, 'eps', given.eps ?? DEFAULT_FULL_MATRIX_EPS),
    ...resolveCommon(name, given),
  };
}

const mebibytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 24 ? 1 : 0)} MiB`;

/**
 * Full-matrix AdaGrad (Duchi, Hazan & Singer 2011): one preconditioner over all coordinates of all its
 * parameters together (concatenated in the order of the params object),
 *
 *   G ← G + g gᵀ;   x ← x − lr·(δI + G^½)⁻¹ g
 *
 * with G^½ from a symmetric eigendecomposition G = V Λ Vᵀ (eigenvalues below 0, rounding noise, taken as
 * 0): x ← x − lr·V (δ + √Λ)⁻¹ Vᵀ g. It adapts to correlated coordinates (a rotated valley) where the
 * diagonal form cannot. Cost: O(d²) memory (G and a copy, 16·d² bytes) and O(d³) time per step (about
 * 9·d³ flops); at most FULL_MATRIX_MAX_COORDINATES coordinates. Float64 is its natural precision; float32
 * parameters work (the arithmetic is float64, each new weight rounded once). A parameter without a
 * gradient in a step counts as a zero gradient: it still moves through its correlations with the others.
 * Dense gradients only.
 */
export class FullMatrixAdagrad extends Optimizer<FullMatrixAdagradOptions> {
  readonly name = 'FullMatrixAdagrad';
  /** d, the number of coordinates of all parameters together. */
  readonly dimension: number;
  private readonly offsets = new Map<FloatArray, number>();
  private readonly matrix: Float64Array;
  private readonly gathered: Float64Array;

  constructor(params: ParamsOrGroups, options: OptionsOf<FullMatrixAdagradOptions> = {}) {
    super(params, options);
    if (this.paramGroups.length > 1) {
      throw new OptimizerInputError(
        'FullMatrixAdagrad keeps one preconditioner over all its parameters, so it takes one param group',
      );
    }
    let d = 0;
    for (const [name, p] of Object.entries(this.params)) {
      if (this.offsets.has(p)) {
        throw new OptimizerInputError(`FullMatrixAdagrad: parameter '${name}' is the same array as another`);
      }
      this.offsets.set(p, d);
      d += p.length;
    }
    if (d > FULL_MATRIX_MAX_COORDINATES) {
      throw new OptimizerInputError(
        `FullMatrixAdagrad: the parameters have ${d} coordinates together; G would be ${d}×${d} float64s (${mebibytes(8 * d * d)}, and as much again for each step's eigendecomposition) and every step ~${(9 * d ** 3).toExponential(1)} flops. It takes at most ${FULL_MATRIX_MAX_COORDINATES} coordinates: use Adagrad (the diagonal form) for more`,
      );
    }
    this.dimension = d;
    this.matrix = new Float64Array(d * d);
    this.gathered = new Float64Array(d);
  }

  protected resolveOptions(given: Record<string, unknown>): FullMatrixAdagradOptions {
    return resolveFullMatrixOptions(given);
  }

  protected bufferNames(): readonly string[] {
    return [];
  }

  /**
   * One step: every gradient is checked first (as for every optimizer), then G takes g gᵀ and every
   * parameter moves.
   */
  override step(grads: Gradients): void {
    this.gathered.fill(0);
    super.step(grads); // checks everything, then applyDense gathers each gradient into `gathered`
    this.update();
  }

  protected applyDense(param: FloatArray, grad: CheckedDense, _st: ParamState): void {
    const at = this.offsets.get(param) as number;
    const g = grad.values;
    for (let i = 0; i < g.length; i++) this.gathered[at + i] = g[i];
  }

  private update(): void {
    const d = this.dimension;
    const g = this.gathered;
    const G = this.matrix;
    for (let i = 0; i < d; i++) {
      const gi = g[i];
      if (gi === 0) continue;
      const row = i * d;
      for (let j = 0; j < d; j++) G[row + j] += gi * g[j];
    }
    const step = this.preconditioned(g);
    for (const [p, at] of this.offsets) {
      for (let i = 0; i < p.length; i++) p[i] -= this.opts.lr * step[i + at];
    }
  }

  /** (δI + G^½)⁻¹ v, through G = V Λ Vᵀ. */
  private preconditioned(v: Float64Array): Float64Array {
    const d = this.dimension;
    const { values, vectors } = symmetricEigen(this.matrix.slice(), d);
    const out = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      const row = k * d;
      let y = 0;
      for (let j = 0; j < d; j++) y += vectors[row + j] * v[j];
      const z = y / (this.opts.eps + Math.sqrt(Math.max(values[k], 0)));
      for (let j = 0; j < d; j++) out[j] += z * vectors[row + j];
    }
    return out;
  }

  protected accumulatorBuffer(): null {
    return null;
  }

  /** The parameter's block of G's diagonal: each coordinate's own sum of squared gradients. */
  override accumulator(name: string): FloatArray {
    const out = super.accumulator(name);
    const at = this.offsets.get(this.params[name]) as number;
    for (let i = 0; i < out.length; i++) out[i] = this.matrix[(at + i) * this.dimension + at + i];
    return out;
  }

  /** lr times the diagonal of (δI + G^½)⁻¹: the step per unit of a gradient along one coordinate alone. */
  override effectiveLearningRate(name: string): Float64Array {
    const param = this.params[name];
    if (param === undefined) throw new OptimizerInputError(`${this.name}: unknown parameter '${name}'`);
    const d = this.dimension;
    const at = this.offsets.get(param) as number;
    const { values, vectors } = symmetricEigen(this.matrix.slice(), d);
    const out = new Float64Array(param.length);
    for (let k = 0; k < d; k++) {
      const scale = this.opts.lr / (this.opts.eps + Math.sqrt(Math.max(values[k], 0)));
      for (let i = 0; i < out.length; i++) out[i] += scale * vectors[k * d + at + i] ** 2;
    }
    return out;
  }

  protected effectiveRate(): number {
    throw new Error('FullMatrixAdagrad computes effectiveLearningRate for a whole parameter');
  }

  override stateDict(): FullMatrixAdagradStateDict {
    return { ...super.stateDict(), matrix: Array.from(this.matrix) };
  }

  /** Restores a stateDict(), G included; checks it all first and changes nothing on a mismatch. */
  override loadStateDict(dict: unknown): void {
    if (typeof dict !== 'object' || dict === null) return super.loadStateDict(dict);
    const m = (dict as Partial<FullMatrixAdagradStateDict>).matrix;
    const d = this.dimension;
    if (!Array.isArray(m) || m.length !== d * d) {
      throw new OptimizerInputError(
        `FullMatrixAdagrad.loadStateDict: 'matrix' must be an array of ${d}×${d} = ${d * d} numbers, got ${describe(m)}`,
      );
    }
    const bad = m.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0) {
      throw new OptimizerInputError(
        `FullMatrixAdagrad.loadStateDict: 'matrix' holds ${describe(m[bad])} at ${bad}`,
      );
    }
    super.loadStateDict(dict);
    this.matrix.set(m as number[]);
  }
}
