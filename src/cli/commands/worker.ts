/**
 * `adagrad worker FILE --ps URL --name MODEL --worker I/N`: one Downpour worker on its shard of
 * FILE (the lines starting in its N-th of the bytes; src/ps/shard.ts), against a model created with `adagrad ps init` (or
 * by `adagrad train --ps`, which runs its workers with this command). Restarted with the same
 * arguments, it continues from the position it recorded in the store.
 */
import type { ProgressEvent } from '../../learn/train.js';
import { type CommandSpec, Options, parseArgs } from '../args.js';
import { EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { formatProgressHeader, formatProgressRow } from '../progress.js';
import {
  formatOption,
  helpOption,
  jsonOption,
  labelColumnOption,
  quietOption,
  skipBadLinesOption,
} from './common-options.js';
import {
  AWAIT_SETUP_VARIABLE,
  fetchEveryOption,
  psNameOption,
  psUrlOption,
  pushEveryOption,
  shardOptions,
} from './ps.js';

export const workerSpec: CommandSpec = {
  name: 'worker',
  summary:
    'Runs one parameter-store worker on its shard of FILE (worker I of N reads the lines that start\n' +
    'in the I-th N-th of its bytes; a gzip file is read whole, keeping every N-th example):\n' +
    'fetches weights from the store, learns with progressive validation, pushes summed gradients\n' +
    'that Redis applies. Continues from its recorded position when restarted.',
  usage: 'adagrad worker FILE --ps URL --name MODEL --worker I/N [options]',
  positionals: { min: 1, max: 1 },
  options: [
    psUrlOption,
    psNameOption,
    { name: 'worker', kind: 'string', placeholder: 'I/N', help: 'this worker is I of N (1 <= I <= N)' },
    { name: 'passes', kind: 'integer', min: 1, max: 100_000, help: 'passes over the data', defaultText: '1' },
    fetchEveryOption,
    pushEveryOption,
    formatOption,
    labelColumnOption,
    skipBadLinesOption,
    jsonOption,
    quietOption,
    helpOption,
  ],
};

export async function runWorkerCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(workerSpec, args);
  const o = new Options(parsed.options);
  const file = parsed.positionals[0];
  const ps = await import('../../ps/index.js');
  const url = o.string('ps');
  if (url === undefined) throw new UsageError('worker: --ps URL is required (e.g. redis://127.0.0.1:6379)');
  const name = o.string('name');
  if (name === undefined) throw new UsageError('worker: --name MODEL is required');
  const idText = o.string('worker');
  if (idText === undefined) throw new UsageError('worker: --worker I/N is required');
  const worker = ps.parseWorkerId(idText);
  if (worker === undefined)
    throw new UsageError(`worker: --worker must be I/N with 1 <= I <= N, got '${idText}'`);
  if (file === '-' && worker.count > 1) throw new UsageError('worker: several workers cannot share stdin');
  const json = o.flag('json');
  const quiet = o.flag('quiet');
  const text = (s: string): void => {
    if (!json && !quiet) io.out(s);
  };
  const emit = (record: object): void => {
    if (json) io.out(JSON.stringify(record) + '\n');
  };

  const store = await ps.ParameterStore.open(url, name, process.env);
  try {
    // Started by train --ps while it sets the run up: connected now, it waits for the go.
    if (process.env[AWAIT_SETUP_VARIABLE] === '1' && !(await setUpDone())) return EXIT_INTERRUPTED;
    const spec = await store.requireSpec();
    const shard = await ps.openShard(file, worker, shardOptions(o, spec));
    text(
      `worker ${ps.workerName(worker)} of model '${name}' on ${store.server}${store.cluster ? ' (Redis Cluster)' : ''}\n`,
    );
    text(formatProgressHeader());
    const summary = await ps.onShard(shard, () =>
      ps.runWorker(store, spec, {
        worker,
        passes: o.number('passes', 1),
        fetchEvery: o.number('fetch-every', ps.defaultInterval(worker.count)),
        pushEvery: o.number('push-every', ps.defaultInterval(worker.count)),
        pass: () => shard.pass(),
        onProgress: (event: ProgressEvent) => {
          text(formatProgressRow(event));
          emit({ event: 'progress', ...event });
        },
        shouldStop: io.interrupted,
        onReconnect: (event) => {
          text(`${event.cause}; reconnected, going on from position ${event.position}\n`);
          emit({ event: 'reconnect', ...event });
        },
      }),
    );
    emit({ event: 'summary', ...summary, badLines: shard.badLines() });
    text('\n');
    text(
      `examples         ${summary.examples} learned${summary.skipped > 0 ? ` (${summary.skipped} skipped: pushed by an earlier run of this worker)` : ''}\n`,
    );
    text(`average loss     ${summary.averageLoss.toFixed(6)} (progressive)\n`);
    if (summary.progressiveAccuracy !== undefined) {
      text(`accuracy         ${(100 * summary.progressiveAccuracy).toFixed(2)}% (progressive)\n`);
    }
    text(
      `pushes           ${summary.pushes} (${summary.pushedCoordinates} coordinates), ${summary.fetches} fetches\n`,
    );
    text(
      `time             ${summary.seconds.toFixed(2)} s (${Math.round(summary.examplesPerSecond)} examples/s)\n`,
    );
    text(`position         ${summary.position} examples of this shard pushed\n`);
    return summary.interrupted ? EXIT_INTERRUPTED : EXIT_OK;
  } finally {
    await store.close();
  }
}

/** True once a line arrives on stdin; false when it closes first (the run was not set up). */
function setUpDone(): Promise<boolean> {
  return new Promise((resolve) => {
    process.stdin.once('data', () => {
      process.stdin.destroy();
      resolve(true);
    });
    process.stdin.once('end', () => resolve(false));
    process.stdin.once('error', () => resolve(false));
  });
}
