/**
 * The AdaGrad family's kernels (src/kernels): coordinates per second on the WebAssembly path (arrays
 * from alloc) and the reference, timed round-robin in one process, each call as the optimizers and the
 * learner make it.
 *
 * Dense: one step over 1e6 coordinates (plain AdaGrad beside the family for scale). Sparse, two shapes:
 * the learner's (one example: 100 distinct rows of 1 in a table of 2^18 weights) and an embedding
 * table's (1,000 rows of 64 in a table of 1e5 rows).
 *
 * Run alone: npx tsx bench/family-kernels.bench.ts (npm run bench:family-kernels); `npm run bench`
 * includes it.
 */
import { pathToFileURL } from 'node:url';
import { alloc, free, referenceKernels, setKernels, type Kernels } from '../src/kernels/index.js';
import type { AdagradScalars } from '../src/kernels/types.js';
import { fillRandom, timeRoundRobin, type Contender } from './measure.js';

export interface FamilyKernelRow {
  kernel: string;
  shape: string;
  coordinatesPerCall: number;
  /** Coordinates per second by path. */
  wasm: number;
  reference: number;
}

type Call = (k: Kernels, a: Record<string, Float32Array>, rows: Int32Array, values: Float32Array) => void;

const adagrad = (extra: Partial<AdagradScalars>): AdagradScalars => ({
  clr: 0.1,
  eps: 1e-10,
  gradSign: 1,
  weightDecay: 0,
  decoupledWeightDecay: 0,
  epsInside: false,
  skipZeroAccumulator: false,
  ...extra,
});

const ftrl = { alpha: 0.1, beta: 1, l1: 0.01, l2: 0.01, gradSign: 1 as const };
const da = { lr: 0.1, eps: 1e-10, l1: 1e-4, l2: 0.01, step: 100, gradSign: 1 as const };
const sparseAdamScalars = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 100, gradSign: 1 as const };
const rmsprop = {
  lr: 0.01,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  gradSign: 1 as const,
};

/** Each kernel: its state arrays, its dense call (if any) and its sparse call. */
const KERNELS: Array<{ name: string; state: string[]; dense?: Call; sparse: Call }> = [
  {
    name: 'adagrad',
    state: ['sum'],
    dense: (k, a) => k.adagradDense(a.p, a.g, a.sum, adagrad({})),
    sparse: (k, a, rows, v) => k.adagradSparse(a.p, a.sum, rows, v, v.length / rows.length, adagrad({})),
  },
  {
    name: 'adagrad l1',
    state: ['sum'],
    dense: (k, a) => k.adagradDense(a.p, a.g, a.sum, adagrad({ l1: 1e-4 })),
    sparse: (k, a, rows, v) =>
      k.adagradSparse(a.p, a.sum, rows, v, v.length / rows.length, adagrad({ l1: 1e-4 })),
  },
  {
    name: 'adagrad tfjs order',
    state: ['sum'],
    dense: (k, a) =>
      k.adagradDense(a.p, a.g, a.sum, adagrad({ epsInside: true, eps: 1e-7, tfjsOrder: true })),
    sparse: (k, a, rows, v) =>
      k.adagradSparse(
        a.p,
        a.sum,
        rows,
        v,
        v.length / rows.length,
        adagrad({ epsInside: true, eps: 1e-7, tfjsOrder: true }),
      ),
  },
  {
    name: 'ftrl',
    state: ['z', 'n'],
    dense: (k, a) => k.ftrlDense(a.p, a.g, a.z, a.n, ftrl),
    sparse: (k, a, rows, v) => k.ftrlSparse(a.p, a.z, a.n, rows, v, v.length / rows.length, ftrl),
  },
  {
    name: 'adagrad-da',
    state: ['s', 'G'],
    dense: (k, a) => k.adagradDaDense(a.p, a.g, a.s, a.G, da),
    sparse: (k, a, rows, v) => k.adagradDaSparse(a.p, a.s, a.G, rows, v, v.length / rows.length, da),
  },
  {
    name: 'sparse-adam',
    state: ['m', 'v'],
    sparse: (k, a, rows, v) =>
      k.sparseAdam(a.p, a.m, a.v, rows, v, v.length / rows.length, sparseAdamScalars),
  },
  {
    name: 'rmsprop (lazy)',
    state: ['sq'],
    sparse: (k, a, rows, v) => k.rmspropSparse(a.p, a.sq, rows, v, v.length / rows.length, rmsprop),
  },
];

/** Distinct random rows, a few pre-drawn sets so that calls do not reuse one set. */
function rowSets(tableRows: number, perCall: number, sets: number, seed: number): Int32Array[] {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  return Array.from({ length: sets }, () => {
    const chosen = new Set<number>();
    while (chosen.size < perCall) chosen.add(next() % tableRows);
    return Int32Array.from(chosen);
  });
}

interface Shape {
  label: string;
  tableRows: number;
  rowSize: number;
  /** Rows named per call; 0 for a dense step over the whole table. */
  rowsPerCall: number;
}

export function benchFamilyKernels(quick = false): FamilyKernelRow[] {
  const wasm = setKernels('wasm');
  const shapes: Shape[] = [
    { label: 'dense, 1e6 coordinates', tableRows: quick ? 1e5 : 1e6, rowSize: 1, rowsPerCall: 0 },
    { label: 'sparse, 100 rows of 1 in 2^18 (an example)', tableRows: 2 ** 18, rowSize: 1, rowsPerCall: 100 },
    { label: 'sparse, 1,000 rows of 64 in 1e5', tableRows: 1e5, rowSize: 64, rowsPerCall: 1000 },
  ];
  const out: FamilyKernelRow[] = [];
  for (const shape of shapes) {
    const n = shape.tableRows * shape.rowSize;
    const sets = rowSets(shape.tableRows, Math.max(shape.rowsPerCall, 1), 16, 777);
    const values = fillRandom(alloc(Math.max(shape.rowsPerCall, 1) * shape.rowSize), 3);
    for (const kernel of KERNELS) {
      const call = shape.rowsPerCall === 0 ? kernel.dense : kernel.sparse;
      if (call === undefined) continue;
      const contenders: Contender[] = [];
      const arrays: Float32Array[] = [];
      for (const [path, k] of [
        ['wasm', wasm],
        ['reference', referenceKernels],
      ] as const) {
        const a: Record<string, Float32Array> = { p: fillRandom(alloc(n), 1), g: fillRandom(alloc(n), 2) };
        for (const name of kernel.state) a[name] = alloc(n).fill(0.5);
        arrays.push(...Object.values(a));
        let j = 0;
        const step = () => call(k, a, sets[j++ % sets.length], values);
        for (let i = 0; i < sets.length; i++) step(); // every row touched once before timing
        contenders.push({ name: path, step });
      }
      const timings = timeRoundRobin(contenders);
      const perCall = shape.rowsPerCall === 0 ? n : shape.rowsPerCall * shape.rowSize;
      const rate = (path: string) => perCall / (timings.get(path)?.seconds ?? NaN);
      out.push({
        kernel: kernel.name,
        shape: shape.label,
        coordinatesPerCall: perCall,
        wasm: rate('wasm'),
        reference: rate('reference'),
      });
      for (const a of arrays) free(a);
    }
    free(values);
  }
  setKernels('auto');
  return out;
}

const fmtRate = (x: number): string =>
  x >= 1e9
    ? `${(x / 1e9).toFixed(2)} G`
    : x >= 1e6
      ? `${(x / 1e6).toFixed(1)} M`
      : `${(x / 1e3).toFixed(1)} k`;

export function printFamilyKernels(rows: FamilyKernelRow[]): void {
  console.log('\nfamily kernels: coordinates per second, wasm (alloc) / reference (ratio)');
  for (const shape of [...new Set(rows.map((r) => r.shape))]) {
    console.log(`  ${shape}`);
    for (const r of rows.filter((x) => x.shape === shape)) {
      console.log(
        `    ${r.kernel.padEnd(20)} ${fmtRate(r.wasm).padStart(8)} / ${fmtRate(r.reference).padStart(8)}  (${(r.wasm / r.reference).toFixed(1)}x)`,
      );
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printFamilyKernels(benchFamilyKernels(process.argv.includes('--quick')));
}
