/**
 * The benchmark: `npm run bench` (or `npx tsx bench/run.ts [--quick] [--no-tfjs]`).
 *
 * Prints a table and writes bench/results.json: dense AdaGrad, Adam and RMSprop steps at 1e3 to 1e7
 * coordinates on our WebAssembly and reference kernels (through the public optimizer classes, with
 * parameters and gradients from alloc() and, separately, ordinary Float32Arrays), on TensorFlow.js's
 * WASM and CPU backends, and the memory-bandwidth limit measured in the same process; sparse AdaGrad
 * (1,000 rows of 64) in tables of 1e4 and 1e6 rows against TF.js's dense step over the same table; the
 * family's kernels (bench/family-kernels.bench.ts); and the learner's throughput (bench/learner.bench.ts).
 *
 * --quick: sizes up to 1e6 and no 1e6-row table (a check that everything runs, not figures to quote;
 * written to the temporary folder). --no-tfjs: leave TensorFlow.js out.
 */
import { rename, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Adagrad, Adam, RMSprop } from '../src/index.js';
import { alloc, free, kernelsInfo, setKernels, setParallelRunner } from '../src/kernels/index.js';
import { kernelThreadsRunner, startKernelThreads, stopKernelThreads } from '../src/kernels/node/threads.js';
import type { Optimizer } from '../src/optim/optimizer.js';
import { describeMachine } from './machine.js';
import { copyContender, fillRandom, time, timeRoundRobin, type Contender, type Timing } from './measure.js';
import { tfjsDenseStep, tfjsVersion, type TfBackend, type TfOptimizer } from './tfjs.js';
import { benchLearner } from './learner.bench.js';
import { benchFamilyKernels, printFamilyKernels } from './family-kernels.bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const withTfjs = !process.argv.includes('--no-tfjs');

const SIZES = quick ? [1e3, 1e5, 1e6] : [1e3, 1e5, 1e6, 1e7];
/** Bytes each step reads and writes per coordinate: AdaGrad and RMSprop read p, g, one state buffer and
 * write p and the buffer (5 floats); Adam reads p, g, m, v and writes p, m, v (7 floats). */
const BYTES: Record<TfOptimizer, number> = { adagrad: 20, rmsprop: 20, adam: 28 };

type OurPath =
  | 'wasm (alloc)'
  | 'wasm (ordinary arrays)'
  | 'wasm (alloc, checkFinite on)'
  | 'wasm (alloc, threads)'
  | 'reference';
type Path = OurPath | TfBackend;

interface Figure {
  /** CPU seconds per step (see bench/measure.ts); wall-clock seconds beside it. */
  secondsPerStep: number;
  wallSecondsPerStep: number;
  coordinatesPerSecond: number;
  fractionOfLimit: number;
  samples: number;
  batch: number;
}

interface DenseRow {
  optimizer: TfOptimizer;
  coordinates: number;
  bytesPerCoordinate: number;
  limit: { coordinatesPerSecond: number; copyBytesPerSecond: number };
  paths: Partial<Record<Path, Figure | { error: string }>>;
}

function makeOptimizer(
  kind: TfOptimizer,
  w: Float32Array,
  checkFinite: boolean,
): Optimizer<{ checkFinite: boolean }> {
  if (kind === 'adagrad') return new Adagrad({ w }, { lr: 0.01, checkFinite });
  if (kind === 'adam') return new Adam({ w }, { lr: 0.001, checkFinite });
  return new RMSprop({ w }, { lr: 0.01, alpha: 0.99, checkFinite });
}

/** One of our paths, stepping through the public optimizer API. */
function ourStep(kind: TfOptimizer, n: number, path: OurPath): { step: () => void; dispose: () => void } {
  setKernels(path === 'reference' ? 'reference' : 'wasm');
  const inKernelMemory = path !== 'wasm (ordinary arrays)' && path !== 'reference';
  const w = fillRandom(inKernelMemory ? alloc(n) : new Float32Array(n), 1);
  const g = fillRandom(inKernelMemory ? alloc(n) : new Float32Array(n), 2);
  const optimizer = makeOptimizer(kind, w, path === 'wasm (alloc, checkFinite on)');
  const grads = { w: g };
  return {
    step: () => optimizer.step(grads),
    // The optimizer's state stays in kernel memory (never freed in this version); the arrays we made go back.
    dispose: () => {
      free(w);
      free(g);
    },
  };
}

function figure(t: Timing, n: number, limitSeconds: number): Figure {
  return {
    secondsPerStep: t.seconds,
    wallSecondsPerStep: t.wallSeconds,
    coordinatesPerSecond: n / t.seconds,
    fractionOfLimit: limitSeconds / t.seconds,
    samples: t.samples,
    batch: t.batch,
  };
}

async function denseRow(kind: TfOptimizer, n: number): Promise<DenseRow> {
  const row: DenseRow = {
    optimizer: kind,
    coordinates: n,
    bytesPerCoordinate: BYTES[kind],
    limit: { coordinatesPerSecond: 0, copyBytesPerSecond: 0 },
    paths: {},
  };
  const ours: OurPath[] = ['wasm (alloc)', 'wasm (ordinary arrays)', 'reference'];
  if (kind === 'adagrad') ours.splice(1, 0, 'wasm (alloc, checkFinite on)');
  const runner = kernelThreadsRunner();
  if (runner !== null && n >= runner.minCoordinates) ours.splice(1, 0, 'wasm (alloc, threads)');
  const copy = copyContender(n, BYTES[kind]);
  const contenders: Contender[] = [copy];
  const disposers: Array<() => void> = [];
  for (const path of ours) {
    const s = ourStep(kind, n, path);
    const choice = path === 'reference' ? 'reference' : 'wasm';
    const threads = path === 'wasm (alloc, threads)' ? runner : null;
    contenders.push({
      name: path,
      step: s.step,
      before: () => {
        setKernels(choice);
        setParallelRunner(threads);
      },
    });
    disposers.push(s.dispose);
  }
  // TF.js's WASM backend runs in the same round-robin (the ratio to it is a target); its CPU backend,
  // two orders of magnitude slower, is timed on its own afterwards.
  const grad = fillRandom(new Float32Array(n), 2);
  let tfWasm: Awaited<ReturnType<typeof tfjsDenseStep>> | null = null;
  if (withTfjs) {
    try {
      tfWasm = await tfjsDenseStep('tfjs-wasm', kind, n, grad);
      contenders.push({ name: 'tfjs-wasm', step: tfWasm.step });
    } catch (e) {
      row.paths['tfjs-wasm'] = { error: String(e) };
    }
  }
  const timings = timeRoundRobin(contenders);
  setParallelRunner(null);
  tfWasm?.dispose();
  for (const d of disposers) d();
  // The limit is what the memory can do: the fastest copy sample, not the median (a neighbour's burst of
  // work slows a copy more than a compute-bound step; taking the fastest keeps the fraction honest).
  const copyTiming = timings.get('copy') as Timing;
  const limit = { seconds: copyTiming.fastestSeconds };
  row.limit = {
    coordinatesPerSecond: n / limit.seconds,
    copyBytesPerSecond: (copy.floats * 8) / limit.seconds,
  };
  for (const [name, t] of timings) {
    if (name !== 'copy') row.paths[name as Path] = figure(t, n, limit.seconds);
  }
  if (withTfjs) {
    try {
      const s = await tfjsDenseStep('tfjs-cpu', kind, n, grad);
      const t = time(s.step);
      s.dispose();
      row.paths['tfjs-cpu'] = figure(t, n, limit.seconds);
    } catch (e) {
      row.paths['tfjs-cpu'] = { error: String(e) };
    }
  }
  setKernels('auto');
  return row;
}

interface SparseRow {
  tableRows: number;
  rowSize: number;
  rowsPerStep: number;
  paths: Partial<
    Record<
      'wasm (alloc)' | 'reference' | 'tfjs-wasm (dense)' | 'tfjs-cpu (dense)',
      { secondsPerStep: number } | { error: string }
    >
  >;
}

/** 1,000 distinct random rows per step, from a few pre-drawn sets so that steps do not reuse one set. */
function rowSets(tableRows: number, rowsPerStep: number, sets: number): Int32Array[] {
  const out: Int32Array[] = [];
  let s = 12345;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
  for (let k = 0; k < sets; k++) {
    const chosen = new Set<number>();
    while (chosen.size < rowsPerStep) chosen.add(next() % tableRows);
    out.push(Int32Array.from(chosen));
  }
  return out;
}

async function sparseRow(tableRows: number): Promise<SparseRow> {
  const rowSize = 64;
  const rowsPerStep = 1000;
  const n = tableRows * rowSize;
  const row: SparseRow = { tableRows, rowSize, rowsPerStep, paths: {} };
  const sets = rowSets(tableRows, rowsPerStep, 16);
  const values = fillRandom(new Float32Array(rowsPerStep * rowSize), 3);
  const contenders: Contender[] = [];
  const tables: Float32Array[] = [];
  for (const path of ['wasm (alloc)', 'reference'] as const) {
    const choice = path === 'reference' ? 'reference' : 'wasm';
    setKernels(choice);
    const emb = fillRandom(alloc(n), 4);
    tables.push(emb);
    const optimizer = new Adagrad({ emb }, { lr: 0.01, checkFinite: false });
    let k = 0;
    const step = () => optimizer.step({ emb: { indices: sets[k++ % sets.length], values } });
    // Every row set once before timing: the accumulator is created on the first step, and its pages
    // are first touched (page faults) when a row is first named; neither belongs to a steady step.
    for (let i = 0; i < sets.length; i++) step();
    contenders.push({ name: path, step, before: () => setKernels(choice) });
  }
  for (const [name, t] of timeRoundRobin(contenders, { samples: 9 })) {
    row.paths[name as 'wasm (alloc)' | 'reference'] = { secondsPerStep: t.seconds };
  }
  for (const emb of tables) free(emb);
  setKernels('auto');
  if (withTfjs) {
    const grad = fillRandom(new Float32Array(n), 5);
    for (const backend of ['tfjs-wasm', 'tfjs-cpu'] as const) {
      try {
        const s = await tfjsDenseStep(backend, 'adagrad', n, grad);
        const t = time(s.step, n > 1e7 ? { samples: 3, warmup: 0 } : {});
        s.dispose();
        row.paths[`${backend} (dense)`] = { secondsPerStep: t.seconds };
      } catch (e) {
        row.paths[`${backend} (dense)`] = { error: String(e) };
      }
    }
  }
  return row;
}

const fmtRate = (x: number): string =>
  x >= 1e9 ? `${(x / 1e9).toFixed(2)}G` : x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : `${(x / 1e3).toFixed(1)}k`;
const fmtSeconds = (s: number): string =>
  s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`;
const isFigure = (x: Figure | { error: string } | undefined): x is Figure =>
  x !== undefined && 'secondsPerStep' in x;

function printDense(rows: DenseRow[]): void {
  for (const kind of ['adagrad', 'adam', 'rmsprop'] as const) {
    const mine = rows.filter((r) => r.optimizer === kind);
    const paths = [...new Set(mine.flatMap((r) => Object.keys(r.paths)))] as Path[];
    console.log(
      `\n${kind}: dense step, coordinates per second (fraction of the copy limit), ${BYTES[kind]} bytes/coordinate`,
    );
    const header = ['n', 'limit', ...paths];
    const lines = mine.map((r) => [
      r.coordinates.toExponential(0),
      fmtRate(r.limit.coordinatesPerSecond),
      ...paths.map((p) => {
        const f = r.paths[p];
        if (f === undefined) return '-';
        return isFigure(f)
          ? `${fmtRate(f.coordinatesPerSecond)} (${Math.round(f.fractionOfLimit * 100)}%)`
          : 'error';
      }),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const show = (cells: string[]) => console.log(cells.map((c, i) => c.padStart(widths[i])).join('  '));
    show(header);
    for (const l of lines) show(l);
  }
}

function printSparse(rows: SparseRow[]): void {
  console.log(
    '\nsparse AdaGrad: 1,000 rows of 64 per step; time per step (TF.js: its dense step over the whole table)',
  );
  for (const r of rows) {
    const cells = Object.entries(r.paths).map(
      ([p, v]) => `${p} ${'secondsPerStep' in v ? fmtSeconds(v.secondsPerStep) : 'error'}`,
    );
    console.log(`  table of ${r.tableRows.toExponential(0)} rows: ${cells.join(' | ')}`);
  }
}

interface Target {
  target: string;
  measured: string;
  met: boolean;
}

function targets(dense: DenseRow[], sparse: SparseRow[]): Target[] {
  const out: Target[] = [];
  const at = (n: number) => dense.find((r) => r.optimizer === 'adagrad' && r.coordinates === n);
  const rate = (r: DenseRow | undefined, p: Path) => {
    const f = r?.paths[p];
    return isFigure(f) ? f : undefined;
  };
  const big = at(1e7);
  const wasmBig = rate(big, 'wasm (alloc)');
  if (wasmBig) {
    out.push({
      target: 'dense AdaGrad at 1e7: >= 80% of the copy limit',
      measured: `${Math.round(wasmBig.fractionOfLimit * 100)}%`,
      met: wasmBig.fractionOfLimit >= 0.8,
    });
  }
  for (const n of [1e6, 1e7]) {
    const ours = rate(at(n), 'wasm (alloc)');
    for (const [backend, factor] of [
      ['tfjs-wasm', 4],
      ['tfjs-cpu', 50],
    ] as const) {
      const theirs = rate(at(n), backend);
      if (ours && theirs) {
        const ratio = theirs.secondsPerStep / ours.secondsPerStep;
        out.push({
          target: `dense AdaGrad at ${n.toExponential(0)}: >= ${factor}x ${backend}`,
          measured: `${ratio.toFixed(1)}x`,
          met: ratio >= factor,
        });
      }
    }
  }
  const mid = rate(at(1e5), 'wasm (alloc)');
  if (mid) {
    out.push({
      target: 'dense AdaGrad at 1e5: >= 800M coordinates/s',
      measured: `${fmtRate(mid.coordinatesPerSecond)}/s`,
      met: mid.coordinatesPerSecond >= 8e8,
    });
  }
  const small = sparse.find((r) => r.tableRows === 1e4)?.paths['wasm (alloc)'];
  const large = sparse.find((r) => r.tableRows === 1e6)?.paths['wasm (alloc)'];
  if (small && large && 'secondsPerStep' in small && 'secondsPerStep' in large) {
    const ratio = large.secondsPerStep / small.secondsPerStep;
    out.push({
      target: 'sparse step, 1e6-row table within 1.5x of 1e4-row',
      measured: `${ratio.toFixed(2)}x`,
      met: ratio <= 1.5,
    });
  }
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = { ...describeMachine(), tfjs: tfjsVersion() };
  // Other processes on a shared machine disturb the figures: the load averages say how much.
  const loadAtStart = loadavg();
  setKernels('auto');
  console.log(
    `${machine.cpu} (${machine.cores} cores), Node ${machine.node}, kernels: ${kernelsInfo().active}`,
  );

  // Worker threads are timed as a path of their own (one per core besides this one), only for steps
  // large enough to use them; every other path runs on one thread.
  const { threads } = await startKernelThreads();
  setParallelRunner(null);
  const dense: DenseRow[] = [];
  for (const kind of ['adagrad', 'adam', 'rmsprop'] as const) {
    for (const n of SIZES) {
      dense.push(await denseRow(kind, n));
      process.stdout.write('.');
    }
  }
  printDense(dense);
  await stopKernelThreads();

  const sparse: SparseRow[] = [];
  for (const tableRows of quick ? [1e4] : [1e4, 1e6]) sparse.push(await sparseRow(tableRows));
  printSparse(sparse);

  const familyKernels = benchFamilyKernels(quick);
  printFamilyKernels(familyKernels);

  const learner = await benchLearner();
  console.log(
    `\nlearner (${learner.task}): ${(learner.nnzPerSecond / 1e6).toFixed(1)} M nonzero features per second`,
  );

  const checks = targets(dense, sparse);
  console.log('\ntargets:');
  for (const t of checks) console.log(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.target}: ${t.measured}`);

  const results = {
    generatedAt: new Date().toISOString(),
    quick,
    machine,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
    kernels: kernelsInfo(),
    method: {
      statistic:
        'median of timed samples after warm-up (7 samples after 2 warm-ups; 3 after 1 when one step takes over 0.25 s); a sample is a batch of steps lasting at least 10 ms',
      steps:
        'our paths step through the public optimizer classes (Adagrad, Adam, RMSprop) with checkFinite off unless stated; TF.js paths time optimizer.applyGradients with the gradient tensor made beforehand',
      limit:
        'a Float32Array.prototype.set copy moving as many bytes (read + written) as the step: bytesPerCoordinate / 2 bytes copied per coordinate, timed in the same round-robin as the row; its fastest sample (not its median) is the limit',
      tfjsWasm:
        'single-threaded SIMD build, .wasm files loaded from the package dist folder with setWasmPaths',
      threads: `the path 'wasm (alloc, threads)' splits steps of 1e6 coordinates and more between this thread and ${threads} worker thread(s); every other path uses one thread`,
    },
    dense,
    sparse,
    familyKernels,
    learner,
    targets: checks,
    seconds: (Date.now() - started) / 1000,
  };
  // Quick runs are a smoke test, not figures to commit: they go to the temporary folder.
  const out = quick ? join(tmpdir(), 'adagrad-bench-quick.json') : join(here, 'results.json');
  const temporary = `${out}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(results, null, 2)}\n`);
  await rename(temporary, out);
  console.log(
    `\nwrote ${out} in ${results.seconds.toFixed(0)} s (load average ${loadAtStart[0].toFixed(1)} at the start, ${results.loadAverage.atEnd[0].toFixed(1)} at the end)`,
  );
}

await main();
