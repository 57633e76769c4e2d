/**
 * One pass of AdaGrad against liblinear's logistic regression on the exported spam split, measured
 * in one run (not a test: `npx tsx bench/liblinear.ts`; needs Debian's liblinear-tools).
 *
 * - liblinear: `liblinear-train -s 0 -c C` (L2-regularized logistic regression, primal) for C in
 *   1, 10, 100, then `liblinear-predict`; wall time of each process.
 * - ours, as a user runs it: the package's bin, `node dist/bin/adagrad.js train` then `predict` (the
 *   bench builds dist/ first), wall time of each process, Node's start-up included.
 * - ours without Node's start-up: the same two commands through the CLI's run() in a fresh process
 *   (cold JIT), timed inside it: the same reading, training and predicting, without Node's ~0.1 s
 *   start-up and module loading per process (liblinear's C start-up is ~1 ms).
 * Every timing is the median of REPEATS runs. Results go to bench/liblinear-results.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportDataset } from '../src/data/node/index.js';
import { lastJson, liblinearAccuracy, requireTools, timedProcess } from './processes.js';
import { median } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const REPEATS = 5;
const CS = [1, 10, 100];

/**
 * Train then predict through the command's run() in a fresh Node process, timed inside it: the same
 * work as the two commands, with a cold JIT, but without Node's start-up and module loading.
 */
function timedFreshProcess(
  cliMain: string,
  trainArgs: string[],
  predictArgs: string[],
): {
  train: number;
  predict: number;
  accuracy: number;
} {
  // main.js loads a command's modules when it runs; load them here, outside the timings, as the
  // static imports of main.js did before.
  const commands = ['train', 'predict'].map((name) =>
    JSON.stringify(pathToFileURL(join(dirname(cliMain), 'commands', `${name}.js`)).href),
  );
  const script = `
    const { run } = await import(${JSON.stringify(pathToFileURL(cliMain).href)});
    await Promise.all([${commands.join(', ')}].map((url) => import(url)));
    let out = '';
    const io = { out: (s) => { out += s; }, err: () => {}, isTTY: false, interrupted: () => false };
    const t0 = performance.now();
    if (await run(${JSON.stringify(trainArgs)}, io) !== 0) throw new Error('train failed');
    const t1 = performance.now();
    out = '';
    if (await run(${JSON.stringify(predictArgs)}, io) !== 0) throw new Error('predict failed');
    const t2 = performance.now();
    const metrics = JSON.parse(out.trim().split('\\n').pop());
    console.log(JSON.stringify({ train: (t1 - t0) / 1000, predict: (t2 - t1) / 1000, accuracy: metrics.accuracy }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`in-process run failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { train: number; predict: number; accuracy: number };
}

async function main(): Promise<void> {
  requireTools('liblinear-train', 'liblinear-predict');
  const dir = mkdtempSync(join(tmpdir(), 'adagrad-liblinear-'));
  const split = exportDataset('spam', join(dir, 'spam'), { testFraction: 0.2, seed: 1 });
  const train = split.train.path;
  const test = split.test.path;
  console.log(
    `spam split: ${split.train.examples} train, ${split.test.examples} test (seed 1, 2^18 hashed features)`,
  );
  console.log('building dist/ for the command-line timings ...');
  for (const script of ['build:lib', 'build:cli']) {
    execFileSync('npm', ['run', script], { cwd: ROOT, stdio: 'ignore' });
  }
  const cliMain = join(ROOT, 'dist/cli/main.js');
  const cliBin = join(ROOT, 'dist/bin/adagrad.js');

  const ourModel = join(dir, 'adagrad.model');
  const trainArgs = ['train', train, '--model', ourModel, '--quiet'];
  const predictArgs = ['predict', test, '--model', ourModel, '--json', '--metrics'];
  // Rounds interleave every method, so a busy moment on a shared machine hits all of them alike.
  const times = new Map<string, { train: number[]; predict: number[]; accuracy: number }>();
  const record = (key: string, trainSeconds: number, predictSeconds: number, accuracy: number): void => {
    const entry = times.get(key) ?? { train: [], predict: [], accuracy };
    entry.train.push(trainSeconds);
    entry.predict.push(predictSeconds);
    entry.accuracy = accuracy;
    times.set(key, entry);
  };
  for (let r = 0; r < REPEATS; r++) {
    for (const C of CS) {
      const model = join(dir, `liblinear-C${C}.model`);
      const trained = timedProcess('liblinear-train', ['-s', '0', '-c', String(C), '-q', train, model]);
      const predicted = timedProcess('liblinear-predict', [test, model, join(dir, `liblinear-C${C}.out`)]);
      record(`C${C}`, trained.seconds, predicted.seconds, liblinearAccuracy(predicted.output));
    }
    const trained = timedProcess(process.execPath, [cliBin, ...trainArgs]);
    const predicted = timedProcess(process.execPath, [cliBin, ...predictArgs]);
    record(
      'cli',
      trained.seconds,
      predicted.seconds,
      lastJson<{ accuracy: number }>(predicted.output).accuracy,
    );
    const fresh = timedFreshProcess(cliMain, trainArgs, predictArgs);
    record('fresh', fresh.train, fresh.predict, fresh.accuracy);
  }
  const summarize = (key: string) => {
    const t = times.get(key)!;
    return { accuracy: t.accuracy, trainSeconds: median(t.train), predictSeconds: median(t.predict) };
  };
  const liblinear = CS.map((C) => ({ C, ...summarize(`C${C}`) }));
  const ours = [
    { how: 'adagrad CLI, 2 processes', ...summarize('cli') },
    { how: 'adagrad, Node start-up excluded', ...summarize('fresh') },
  ];

  const rows = [
    ...liblinear.map((l) => ({ name: `liblinear -s 0 -c ${l.C}`, ...l })),
    ...ours.map((o) => ({ name: `${o.how}, 1 pass`, ...o })),
  ];
  console.log(
    `\n${'method'.padEnd(42)}${'accuracy'.padStart(10)}${'train s'.padStart(10)}${'predict s'.padStart(11)}${'total s'.padStart(10)}`,
  );
  for (const row of rows) {
    console.log(
      row.name.padEnd(42) +
        `${(100 * row.accuracy).toFixed(2)}%`.padStart(10) +
        row.trainSeconds.toFixed(3).padStart(10) +
        row.predictSeconds.toFixed(3).padStart(11) +
        (row.trainSeconds + row.predictSeconds).toFixed(3).padStart(10),
    );
  }
  const bestLiblinear = Math.max(...liblinear.map((l) => l.accuracy));
  const defaultC = liblinear.find((l) => l.C === 1)!;
  const defaultTotal = defaultC.trainSeconds + defaultC.predictSeconds;
  const targets = {
    accuracyAtLeastLiblinearBest: ours[0].accuracy >= bestLiblinear,
    cliFasterThanLiblinearC1: ours[0].trainSeconds + ours[0].predictSeconds < defaultTotal,
    startupExcludedFasterThanLiblinearC1: ours[1].trainSeconds + ours[1].predictSeconds < defaultTotal,
  };
  console.log(`\ntargets: ${JSON.stringify(targets)}`);
  const results = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
    data: { corpus: 'spam', train: split.train.examples, test: split.test.examples, seed: 1, bits: 18 },
    repeats: REPEATS,
    timing: 'median wall seconds',
    liblinear,
    ours,
    targets,
  };
  writeFileSync(join(ROOT, 'bench/liblinear-results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('wrote bench/liblinear-results.json');
  rmSync(dir, { recursive: true, force: true });
}

await main();
