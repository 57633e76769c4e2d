/**
 * `npm run bench:tfjs`: a step of our optimizers through the TF.js adapter (adagrad/tfjs) against
 * TensorFlow.js's own optimizers, on its CPU and WebAssembly backends, for
 * - a dense layer of 1e6 weights (AdaGrad with the tfjs preset against tf.train.adagrad; Adam);
 * - an embedding table of 1e6 rows of 64 updated in 1,000 rows a step: TF.js's optimizers take the
 *   dense gradient (what tf.gather's gradient becomes) and update every row; the adapter takes the rows.
 * Timed round-robin per backend (bench/measure.ts: median CPU time of the samples after warm-up).
 *
 *   npx tsx bench/tfjs-adapter.bench.ts [--rows 1000000] [--samples 5]
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { tfjsOptimizer } from '../src/tfjs/index.js';
import { describeMachine } from './machine.js';
import { timeRoundRobin, type Contender } from './measure.js';
import { tfjsVersion, useTfBackend, type TfBackend } from './tfjs.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DENSE = 1_000_000;
const ROWS = arg('rows', 1_000_000);
const DIM = 64;
const TOUCHED = 1000;
const SAMPLES = arg('samples', 5);

interface Row {
  backend: TfBackend;
  case: string;
  tfjsMs?: number;
  adapterMs?: number;
  error?: string;
}

const random = (n: number, seed: number): Float32Array => {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.1;
  }
  return out;
};

/** Two contenders updating their own copy of the same variable with the same gradient. */
function pair(
  label: string,
  shape: number[],
  theirs: () => tf.Optimizer,
  ours: () => tf.Optimizer,
  sparse: { indices: number[]; values: Float32Array } | null,
): { contenders: Contender[]; dispose: () => void } {
  const size = shape.reduce((a, b) => a * b, 1);
  const start = tf.zeros(shape, 'float32');
  const vTheirs = tf.variable(start, true, `${label}-tfjs`);
  const vOurs = tf.variable(start, true, `${label}-adapter`);
  start.dispose();
  let dense: tf.Tensor;
  if (sparse === null) {
    dense = tf.tensor(random(size, 7), shape, 'float32');
  } else {
    // The dense gradient TF.js's optimizers get: zero except the touched rows.
    const values = new Float32Array(size);
    sparse.indices.forEach((r, j) => values.set(sparse.values.subarray(j * DIM, (j + 1) * DIM), r * DIM));
    dense = tf.tensor(values, shape, 'float32');
  }
  const optTheirs = theirs();
  const optOurs = ours();
  const gradOurs = sparse ?? dense;
  return {
    contenders: [
      { name: 'tfjs', step: () => optTheirs.applyGradients({ [vTheirs.name]: dense }) },
      {
        name: 'adapter',
        step: () => optOurs.applyGradients({ [vOurs.name]: gradOurs } as tf.NamedTensorMap),
      },
    ],
    dispose: () => {
      optTheirs.dispose();
      optOurs.dispose();
      vTheirs.dispose();
      vOurs.dispose();
      dense.dispose();
    },
  };
}

const rows: Row[] = [];
const indices = Array.from({ length: TOUCHED }, (_, j) => Math.floor((j * ROWS) / TOUCHED));
const sparse = { indices, values: random(TOUCHED * DIM, 3) };

for (const backend of ['tfjs-cpu', 'tfjs-wasm'] as TfBackend[]) {
  await useTfBackend(backend);
  const cases: Array<[string, () => ReturnType<typeof pair>]> = [
    [
      `dense 1e6, AdaGrad (tfjs preset)`,
      () =>
        pair(
          'dense-adagrad',
          [DENSE],
          () => tf.train.adagrad(0.01, 0.1),
          () => tfjsOptimizer('adagrad', { preset: 'tfjs', lr: 0.01 }),
          null,
        ),
    ],
    [
      `dense 1e6, Adam`,
      () =>
        pair(
          'dense-adam',
          [DENSE],
          () => tf.train.adam(0.001, 0.9, 0.999, 1e-8),
          () => tfjsOptimizer('adam', { lr: 0.001 }),
          null,
        ),
    ],
    [
      `embedding ${ROWS}x${DIM}, ${TOUCHED} rows a step, AdaGrad (tfjs preset)`,
      () =>
        pair(
          'embedding-adagrad',
          [ROWS, DIM],
          () => tf.train.adagrad(0.01, 0.1),
          () => tfjsOptimizer('adagrad', { preset: 'tfjs', lr: 0.01 }),
          sparse,
        ),
    ],
  ];
  for (const [name, make] of cases) {
    const row: Row = { backend, case: name };
    let made: ReturnType<typeof pair> | null = null;
    try {
      made = make();
      const t = timeRoundRobin(made.contenders, { samples: SAMPLES, warmup: 1 });
      row.tfjsMs = (t.get('tfjs')?.seconds ?? NaN) * 1e3;
      row.adapterMs = (t.get('adapter')?.seconds ?? NaN) * 1e3;
    } catch (e) {
      row.error = e instanceof Error ? e.message : String(e);
    } finally {
      made?.dispose();
    }
    rows.push(row);
    const ratio = row.tfjsMs !== undefined && row.adapterMs ? (row.tfjsMs / row.adapterMs).toFixed(1) : '-';
    console.log(
      `${backend.padEnd(9)} ${name.padEnd(58)} ${row.error ?? `TF.js ${row.tfjsMs?.toFixed(1)} ms, adapter ${row.adapterMs?.toFixed(1)} ms, TF.js/adapter ${ratio}x`}`,
    );
  }
}

const load = os.loadavg()[0];
console.log(`load average ${load.toFixed(2)} (1 min), TF.js ${tfjsVersion()}`);
writeFileSync(
  new URL('./tfjs-adapter-results.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), machine: describeMachine(), load, tfjs: tfjsVersion(), rows }, null, 2)}\n`,
);
