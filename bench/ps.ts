/**
 * The parameter store against local training on the spam export, 3 passes, in one run
 * (`npm run bench:ps`, which builds the command first; not a test). Both sides run the built
 * command, dist/bin/adagrad.js, as users do: `train --ps` starts its workers with it too.
 *
 * - local: `adagrad train` (3 passes, no holdout), its examples/s, wall time and test accuracy; run
 *   again just before each store run, whose ratio to local is to that neighbour (the load moves).
 * - the store: `adagrad train --ps --workers W --fetch-every K --push-every K` against a 3-master
 *   cluster and one server: examples/s (the run's, and its wall time), test accuracy, the
 *   coordinates pushed, and the CPU time Redis spent (INFO cpu over every node); the target's
 *   configuration five times at the default interval and at twice it, and at the default interval
 *   in blocks of 1,024 coordinates (the default block size before), alternating.
 * - one shard's limit: pushes of m coordinates into 1,024-coordinate blocks of one server, as
 *   coordinates updated per second of Redis CPU.
 * Results: bench/ps-results.json and the plot docs/ps-bench.svg.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lineChartSvg } from '../src/cli/svg-plot.js';
import { DEFAULT_BLOCK_SIZE, defaultInterval, ParameterStore, resolveModelSpec } from '../src/ps/index.js';
import { redisCli, startCluster, startRedis, type RedisServer } from '../test/ps-servers.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = [join(ROOT, 'dist/bin/adagrad.js')];
const PASSES = '3';

/** One command, its JSON lines, wall time and CPU time (user + system, its worker processes included). */
function adagrad(args: string[]): { records: Record<string, unknown>[]; wall: number; cpu: number } {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const wall = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`adagrad ${args.join(' ')}: ${result.stderr}`);
  const [, user, system] = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr) ?? ['', '0', '0'];
  const cpu = Number(user) + Number(system);
  const records = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { records, wall, cpu };
}

function accuracy(model: string, test: string): number {
  const { records } = adagrad(['predict', test, '--model', model, '--metrics', '--json']);
  return records[records.length - 1].accuracy as number;
}

function redisCpu(nodes: RedisServer[]): number {
  let total = 0;
  for (const n of nodes) {
    const text = redisCli(n.port, 'INFO', 'cpu');
    for (const field of ['used_cpu_user', 'used_cpu_sys']) {
      total += Number(new RegExp(`${field}:([\\d.]+)`).exec(text)?.[1] ?? 0);
    }
  }
  return total;
}

interface Run {
  server: 'cluster' | 'single';
  workers: number;
  interval: number;
  /** Coordinates per Redis key. */
  blockSize: number;
  examples: number;
  examplesPerSecond: number;
  featuresPerSecond: number;
  wallSeconds: number;
  /** CPU of the command and its workers, and of Redis: examples per CPU-second is load-independent. */
  cpuSeconds: number;
  testAccuracy: number;
  pushedCoordinates: number;
  redisCpuSeconds: number;
  /** Local training's examples/s measured just before this run, and this run's ratio to it. */
  localExamplesPerSecond: number;
  ofLocal: number;
  loadAverage: number[];
}

const loadAtStart = loadavg();
const dir = mkdtempSync(join(tmpdir(), 'adagrad-bench-ps-'));
const cluster = await startCluster();
const single = await startRedis();
try {
  adagrad(['dataset', 'spam', '--out', join(dir, 'spam'), '--quiet']);
  const train = join(dir, 'spam.train.svm');
  const test = join(dir, 'spam.test.svm');

  const localModel = join(dir, 'local.model');
  /** Local training's examples/s (and wall and CPU): run once first, then again beside every store run. */
  const trainLocally = () => {
    const run = adagrad([
      'train',
      train,
      '--model',
      localModel,
      '--passes',
      PASSES,
      '--holdout-fraction',
      '0',
      '--json',
    ]);
    const summary = run.records.find((r) => r.event === 'summary') as {
      examples: number;
      examplesPerSecond: number;
    };
    return { examples: summary.examples, examplesPerSecond: summary.examplesPerSecond, run };
  };
  const first = trainLocally();
  const local = {
    examples: first.examples,
    examplesPerSecond: first.examplesPerSecond,
    wallSeconds: first.run.wall,
    cpuSeconds: first.run.cpu,
    testAccuracy: accuracy(localModel, test),
  };
  console.log('local', local);

  // 2 workers on the cluster across intervals (the target's configuration), then the defaults
  // (defaultInterval) for 1 and 4 workers and for one server.
  const plan: [Run['server'], number, number, number][] = [
    ['cluster', 2, 256, DEFAULT_BLOCK_SIZE],
    ['cluster', 2, 1024, DEFAULT_BLOCK_SIZE],
    ['cluster', 2, 2048, DEFAULT_BLOCK_SIZE],
    ['cluster', 2, 4096, DEFAULT_BLOCK_SIZE],
    ['cluster', 1, 2048, DEFAULT_BLOCK_SIZE],
    ['cluster', 4, 256, DEFAULT_BLOCK_SIZE],
    ['single', 2, 2048, DEFAULT_BLOCK_SIZE],
  ];
  let count = 0;
  const measure = (
    server: Run['server'],
    workers: number,
    interval: number,
    blockSize = DEFAULT_BLOCK_SIZE,
  ): Run => {
    const nodes = server === 'cluster' ? cluster.nodes : [single];
    const url = server === 'cluster' ? cluster.url : single.url;
    const model = join(dir, `${server}-${workers}-${interval}-${blockSize}-${++count}.model`);
    // The load changes within a run of this benchmark: each store run is compared with a local run
    // made just before it.
    const beside = trainLocally().examplesPerSecond;
    const cpuBefore = redisCpu(nodes);
    const run = adagrad([
      'train',
      train,
      '--model',
      model,
      '--passes',
      PASSES,
      '--ps',
      url,
      '--workers',
      String(workers),
      '--fetch-every',
      String(interval),
      '--push-every',
      String(interval),
      '--block-size',
      String(blockSize),
      '--json',
    ]);
    const summary = run.records.find((r) => r.event === 'summary') as {
      examples: number;
      examplesPerSecond: number;
      seconds: number;
      workers: { pushedCoordinates: number; featuresPerSecond: number; seconds: number }[];
    };
    const features = summary.workers.reduce((sum, w) => sum + w.featuresPerSecond * w.seconds, 0);
    const result: Run = {
      server,
      workers,
      interval,
      blockSize,
      examples: summary.examples,
      examplesPerSecond: summary.examplesPerSecond,
      featuresPerSecond: features / summary.seconds,
      wallSeconds: run.wall,
      cpuSeconds: run.cpu,
      testAccuracy: accuracy(model, test),
      pushedCoordinates: summary.workers.reduce((sum, w) => sum + w.pushedCoordinates, 0),
      redisCpuSeconds: redisCpu(nodes) - cpuBefore,
      localExamplesPerSecond: beside,
      ofLocal: summary.examplesPerSecond / beside,
      loadAverage: loadavg(),
    };
    console.log(result, `throughput ${result.ofLocal.toFixed(2)} of local`);
    return result;
  };
  const runs = plan.map(([server, workers, interval, blockSize]) =>
    measure(server, workers, interval, blockSize),
  );
  // The target's configuration, five rounds of: the default interval, twice it (faster, less
  // accurate), and the default interval in blocks of 1,024 (the default block size before), each
  // beside its own local run and the three alternating, so that the load drifts alike over them: the
  // median ratio is the figure the load moves least.
  const configurations = [
    { interval: defaultInterval(2), blockSize: DEFAULT_BLOCK_SIZE },
    { interval: 2 * defaultInterval(2), blockSize: DEFAULT_BLOCK_SIZE },
    { interval: defaultInterval(2), blockSize: 1024 },
  ];
  const rounds = Array.from({ length: 5 }, () =>
    configurations.map(({ interval, blockSize }) => measure('cluster', 2, interval, blockSize)),
  );
  const targets = configurations.map(({ interval, blockSize }, c) => {
    const targetRuns = rounds.map((round) => round[c]);
    const ratios = targetRuns.map((r) => r.ofLocal).sort((a, b) => a - b);
    const target = {
      server: 'cluster',
      workers: 2,
      interval,
      blockSize,
      ratios: targetRuns.map((r) => r.ofLocal),
      medianOfLocal: ratios[2],
      testAccuracy: targetRuns.map((r) => r.testAccuracy),
      cpuSeconds: targetRuns.map((r) => r.cpuSeconds),
      redisCpuSeconds: targetRuns.map((r) => r.redisCpuSeconds),
      loadAverage: targetRuns.map((r) => r.loadAverage[0]),
    };
    console.log('target', target);
    return target;
  });

  // One shard's limit: Redis CPU per coordinate updated, for pushes of m coordinates per block.
  const shard: { coordinatesPerCall: number; callsPerCpuSecond: number; coordinatesPerCpuSecond: number }[] =
    [];
  const store = await ParameterStore.open(single.url, 'shard-limit');
  try {
    const spec = resolveModelSpec({ bits: 18, blockSize: 1024 });
    await store.create(spec);
    for (const m of [64, 256, 512, 1024]) {
      const offsets = Uint16Array.from({ length: m }, (_, i) => Math.floor((i * 1024) / m));
      const grads = Float32Array.from({ length: m }, (_, i) => 0.01 * ((i % 7) - 3));
      const calls = 400;
      const cpuBefore = redisCpu([single]);
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < calls; i++)
        pending.push(
          store.pushBlock(
            spec,
            i % 256,
            offsets,
            grads,
            grads.map((g) => g * g),
          ),
        );
      await Promise.all(pending);
      const cpu = redisCpu([single]) - cpuBefore;
      shard.push({
        coordinatesPerCall: m,
        callsPerCpuSecond: calls / cpu,
        coordinatesPerCpuSecond: (calls * m) / cpu,
      });
      console.log(shard[shard.length - 1]);
    }
    await store.drop();
  } finally {
    await store.close();
  }

  const results = {
    date: new Date().toISOString(),
    loadAverage: { start: loadAtStart, end: loadavg() },
    passes: 3,
    local,
    runs,
    targets,
    shard,
  };
  writeFileSync(join(ROOT, 'bench/ps-results.json'), JSON.stringify(results, null, 2) + '\n');
  const byInterval = runs.filter(
    (r) => r.server === 'cluster' && r.workers === 2 && r.blockSize === DEFAULT_BLOCK_SIZE,
  );
  writeFileSync(
    join(ROOT, 'docs/ps-bench.svg'),
    lineChartSvg(
      [
        {
          name: 'examples/s ÷ local',
          points: byInterval.map((r) => [r.interval, r.ofLocal]),
        },
        {
          name: 'accuracy, store',
          points: byInterval.map((r) => [r.interval, r.testAccuracy]),
        },
        { name: 'accuracy, local', points: byInterval.map((r) => [r.interval, local.testAccuracy]) },
      ],
      {
        title: 'spam, 3 passes, 2 workers on a 3-master cluster',
        xLabel: 'fetch and push interval K (examples, log scale)',
        yLabel: 'ratio to local; test accuracy',
      },
    ),
  );
  console.log('wrote bench/ps-results.json and docs/ps-bench.svg');
} finally {
  await cluster.stop();
  await single.stop();
  rmSync(dir, { recursive: true, force: true });
}
