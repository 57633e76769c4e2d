/**
 * The learner's in-memory training throughput: logistic loss, AdaGrad (the library's sparse step per example),
 * 2^18 weights, counted in nonzero features learned per second of CPU time (median of timed passes
 * after warm-up, bench/measure.ts). Two data sets:
 *
 * - `spam`: the SpamAssassin corpus as the learner sees it by default (hashed log-count words, unit
 *   rows, sorted unique indices), one pass = 6046 messages;
 * - `uniform`: 20,000 synthetic rows of 100 nonzeros spread uniformly over the 2^18 weights, the
 *   cache-unfriendly case.
 *
 * Run: npx tsx bench/learner.bench.ts (npm run bench calls benchLearner()). Target: >= 40 million/s.
 */
import { pathToFileURL } from 'node:url';
import type { Example } from '../src/data/example.js';
import { loadCorpus } from '../src/data/node/index.js';
import { mulberry32 } from '../src/data/random.js';
import { LinearLearner } from '../src/learn/index.js';
import { time } from './measure.js';

const BITS = 18;

function uniformRows(count: number, nonzeros: number): Example[] {
  const random = mulberry32(11);
  return Array.from({ length: count }, (_, line) => {
    const picked = new Set<number>();
    while (picked.size < nonzeros) picked.add(Math.floor(random() * 2 ** BITS));
    const indices = Uint32Array.from([...picked].sort((a, b) => a - b));
    const values = new Float32Array(nonzeros).fill(1 / Math.sqrt(nonzeros));
    return { label: random() < 0.5 ? 1 : -1, weight: 1, indices, values, line: line + 1 };
  });
}

interface Throughput {
  nnzPerSecond: number;
  examplesPerSecond: number;
  nonzerosPerExample: number;
  secondsPerPass: number;
}

function measure(examples: Example[]): Throughput {
  const nonzeros = examples.reduce((s, ex) => s + ex.indices.length, 0);
  const learner = new LinearLearner({ loss: 'logistic', bits: BITS, optimizer: 'adagrad' });
  let sink = 0;
  const timing = time(() => {
    for (let i = 0; i < examples.length; i++) sink += learner.learn(examples[i]).loss;
  });
  if (!Number.isFinite(sink)) throw new Error('the benchmark learner diverged');
  return {
    nnzPerSecond: nonzeros / timing.seconds,
    examplesPerSecond: examples.length / timing.seconds,
    nonzerosPerExample: nonzeros / examples.length,
    secondsPerPass: timing.seconds,
  };
}

/** For bench/run.ts: the spam figure as nnzPerSecond, the uniform one beside it. */
export async function benchLearner(): Promise<{ nnzPerSecond: number } & Record<string, unknown>> {
  const spam = measure(loadCorpus('spam', { bits: BITS }).examples);
  const uniform = measure(uniformRows(20_000, 100));
  return {
    nnzPerSecond: spam.nnzPerSecond,
    task: 'logistic, AdaGrad (library sparse step per example), 2^18 weights, in memory, one core, CPU time',
    spam,
    uniform,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchLearner();
  const m = (x: number): string => `${(x / 1e6).toFixed(1)} M`;
  for (const name of ['spam', 'uniform'] as const) {
    const t = result[name] as Throughput;
    console.log(
      `${name}: ${m(t.nnzPerSecond)} nonzeros/s, ${(t.examplesPerSecond / 1e3).toFixed(0)} k examples/s (${t.nonzerosPerExample.toFixed(0)} nonzeros each), ${(t.secondsPerPass * 1e3).toFixed(1)} ms per pass`,
    );
  }
}
