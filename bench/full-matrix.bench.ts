/**
 * FullMatrixAdagrad's step time against d, the number of coordinates (2 to 1024): G += g gᵀ, the
 * symmetric eigendecomposition of G and the preconditioned step, float64, one thread, CPU time
 * (bench/measure.ts). Prints a table and writes bench/full-matrix-results.json. --quick: d up to 256.
 *
 * Run: npm run bench:full-matrix
 */
import { rename, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FullMatrixAdagrad } from '../src/index.js';
import { describeMachine } from './machine.js';
import { time } from './measure.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const DIMENSIONS = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024].filter((d) => !quick || d <= 256);

interface Row {
  d: number;
  secondsPerStep: number;
  /** 9·d³, the eigendecomposition's flop count, over the step time. */
  gigaflopsPerSecond: number;
  stateBytes: number;
}

function measure(d: number): Row {
  const w = new Float64Array(d);
  const opt = new FullMatrixAdagrad({ w }, { lr: 0.01 });
  let t = 0;
  // Gradients of a fixed rotated quadratic, so G fills up as in use (full rank after d steps).
  const grad = new Float64Array(d);
  const step = () => {
    t++;
    for (let i = 0; i < d; i++) grad[i] = Math.sin(0.7 * t + 1.3 * i) + 0.1 * w[(i + 1) % d];
    opt.step({ w: grad });
  };
  for (let i = 0; i < Math.min(d, 16); i++) step(); // G with some rank before timing
  const timing = time(step, d >= 512 ? { samples: 3, warmup: 1 } : {});
  return {
    d,
    secondsPerStep: timing.seconds,
    gigaflopsPerSecond: (9 * d ** 3) / timing.seconds / 1e9,
    stateBytes: 8 * d * d,
  };
}

const fmt = (s: number): string =>
  s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`;

const loadAtStart = loadavg();
const rows: Row[] = [];
console.log('FullMatrixAdagrad, float64: time per step by d');
for (const d of DIMENSIONS) {
  const r = measure(d);
  rows.push(r);
  console.log(
    `  d = ${String(d).padStart(4)}: ${fmt(r.secondsPerStep).padStart(9)}  (${r.gigaflopsPerSecond.toFixed(2)} GFLOP/s at 9·d³)`,
  );
}
const results = {
  generatedAt: new Date().toISOString(),
  quick,
  machine: describeMachine(),
  loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
  method:
    'median CPU seconds per step (bench/measure.ts time(); 3 samples after 1 warm-up from d = 512), after min(d, 16) steps',
  rows,
};
const out = quick ? join(tmpdir(), 'adagrad-full-matrix-quick.json') : join(here, 'full-matrix-results.json');
await writeFile(`${out}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
await rename(`${out}.tmp`, out);
console.log(
  `wrote ${out} (load average ${loadAtStart[0].toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end)`,
);
