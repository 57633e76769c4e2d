// Small deterministic sparse problems for the learner tests.
import type { Example } from '../src/data/example.js';
import { mulberry32 } from '../src/data/random.js';

export interface ProblemOptions {
  examples: number;
  bits: number;
  nonzeros: number;
  /** 'binary' ±1 labels, 'zeroone', 'real', or K classes. */
  labels: 'binary' | 'zeroone' | 'real' | number;
  /** Repeat some indices inside an example (LIBSVM keeps duplicates). */
  duplicates?: boolean;
  seed?: number;
}

/** Random sparse examples whose labels follow a hidden linear rule, so learning has something to find. */
export function sparseProblem(o: ProblemOptions): Example[] {
  const random = mulberry32(o.seed ?? 7);
  const size = 2 ** o.bits;
  const classes = typeof o.labels === 'number' ? o.labels : 1;
  const truth = Array.from({ length: size * classes }, () => random() * 2 - 1);
  const out: Example[] = [];
  for (let e = 0; e < o.examples; e++) {
    const picked = new Set<number>();
    while (picked.size < Math.min(o.nonzeros, size)) picked.add(Math.floor(random() * size));
    const idx = [...picked].sort((a, b) => a - b);
    if (o.duplicates && idx.length > 1 && e % 3 === 0) {
      idx.push(idx[0], idx[1]);
      idx.reverse();
    }
    const indices = Uint32Array.from(idx);
    const values = Float32Array.from(idx, () => random() * 2 - 0.5);
    const scores = Array.from({ length: classes }, (_, k) =>
      idx.reduce((s, i, j) => s + truth[i * classes + k] * values[j], 0),
    );
    let label: number;
    if (o.labels === 'binary') label = scores[0] > 0 ? 1 : -1;
    else if (o.labels === 'zeroone') label = scores[0] > 0 ? 1 : 0;
    else if (o.labels === 'real') label = scores[0] + 0.1 * (random() - 0.5);
    else label = scores.indexOf(Math.max(...scores));
    out.push({ label, weight: e % 5 === 4 ? 0.5 : 1, indices, values, line: e + 1 });
  }
  return out;
}
