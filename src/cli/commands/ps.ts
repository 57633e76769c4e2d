/**
 * `adagrad ps init|export|info|drop`: models in the parameter store (docs/parameter-store.md); and
 * `adagrad train --ps URL --workers N`, which is worker 1 itself and runs workers 2..N as
 * `adagrad worker` processes against the store, restarts one that dies (up to a limit), and writes
 * the ordinary model file at the end. Worker 1 runs in the command's own process because a
 * process's start (Node, the Redis client, connecting) costs about as much as a worker's share of a
 * short run; it is connected already.
 * src/ps (and the Redis client) is loaded only when one of these runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { ProgressEvent } from '../../learn/train.js';
import type { Format } from '../../data/format.js';
import type {
  ExportedModel,
  ModelSpec,
  ModelSpecInput,
  ShardOptions,
  WorkerSummary,
} from '../../ps/index.js';
import { type CommandSpec, type OptionSpec, Options, parseArgs } from '../args.js';
import { CliError, EXIT_INTERRUPTED, EXIT_OK, oneLine, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { type FeatureRecord, formatBytes, saveCliModel, savesWeightsOnly } from '../model.js';
import { formatProgressRow } from '../progress.js';
import {
  bitsOption,
  helpOption,
  jsonOption,
  lossOption,
  lrOption,
  presetOption,
  quietOption,
} from './common-options.js';

export const psUrlOption: OptionSpec = {
  name: 'ps',
  kind: 'string',
  placeholder: 'URL',
  help: 'the parameter store: redis://[user[:password]@]host:port (one server or any node of a Redis Cluster); the password may instead be in ADAGRAD_PS_PASSWORD',
};
export const psNameOption: OptionSpec = {
  name: 'name',
  kind: 'string',
  placeholder: 'MODEL',
  help: "the model's name in the store (its keys are adagrad:MODEL:*)",
};
export const fetchEveryOption: OptionSpec = {
  name: 'fetch-every',
  kind: 'integer',
  min: 1,
  max: 1_000_000,
  placeholder: 'K',
  help: "fetch the weights of the next K examples' features every K examples",
  defaultText: '2048 for 1 or 2 workers, 1024/N for N > 2 (256 for 4), chosen by npm run bench:ps',
};
export const pushEveryOption: OptionSpec = {
  name: 'push-every',
  kind: 'integer',
  min: 1,
  max: 1_000_000,
  placeholder: 'K',
  help: "push the gradient of the last K examples, summed by feature, every K examples (keep it equal to --fetch-every: a fetch between two pushes drops the worker's own unpushed steps from its copy)",
  defaultText: '2048 for 1 or 2 workers, 1024/N for N > 2 (256 for 4), chosen by npm run bench:ps',
};
const storeOptimizerOption: OptionSpec = {
  name: 'optimizer',
  kind: 'choice',
  choices: ['adagrad', 'ftrl'],
  help: 'the update applied inside Redis',
  defaultText: 'adagrad',
};
const blockSizeOption: OptionSpec = {
  name: 'block-size',
  kind: 'integer',
  min: 1,
  max: 65536,
  placeholder: 'B',
  help: 'coordinates per Redis key (a power of two)',
  defaultText: '4096',
};
const ftrlOptions: OptionSpec[] = [
  { name: 'beta', kind: 'number', min: 0, help: "ftrl: McMahan's beta", defaultText: '1' },
  { name: 'l1', kind: 'number', min: 0, help: 'ftrl: L1 strength', defaultText: '0' },
  { name: 'l2', kind: 'number', min: 0, help: 'ftrl: L2 strength', defaultText: '0' },
];

/** The options `train` takes for --ps (declared here so train.ts only lists them). */
export const psTrainOptions: readonly OptionSpec[] = [
  psUrlOption,
  {
    name: 'workers',
    kind: 'integer',
    min: 1,
    max: 256,
    placeholder: 'N',
    help: 'with --ps: local worker processes',
    defaultText: '1',
  },
  {
    ...psNameOption,
    help: 'with --ps: the model in the store',
    defaultText: 'the --model file name without extension',
  },
  fetchEveryOption,
  pushEveryOption,
  { ...blockSizeOption, help: 'with --ps: coordinates per Redis key (a power of two)' },
];

/** True when `train` runs against the store; its own options used without --ps are a usage error. */
export function wantsParameterStore(o: Options): boolean {
  if (o.has('ps')) return true;
  for (const name of ['workers', 'name', 'fetch-every', 'push-every', 'block-size']) {
    if (o.has(name)) throw new UsageError(`train: --${name} applies with --ps only`);
  }
  return false;
}

export const psSpec: CommandSpec = {
  name: 'ps',
  summary:
    'Models in the parameter store (Redis or Redis Cluster): init creates one (options, bits,\n' +
    'optimizer), export writes it as an ordinary model file, info describes it (size, updates,\n' +
    'workers seen), drop deletes it. Several models share a server under their names.',
  usage: 'adagrad ps init|export|info|drop --ps URL --name MODEL [options]',
  positionals: { min: 1, max: 1 },
  options: [
    psUrlOption,
    psNameOption,
    { name: 'model', kind: 'string', placeholder: 'M', help: 'export: the model file to write' },
    {
      name: 'weights-only',
      kind: 'boolean',
      help: 'export: write only the weights, as train --weights-only does (the default for a model with l1)',
    },
    {
      name: 'keep-state',
      kind: 'boolean',
      help: 'export: with l1, write the optimizer state too, as train --keep-state does, so train --resume can continue it',
    },
    lossOption,
    bitsOption,
    storeOptimizerOption,
    presetOption,
    lrOption,
    ...ftrlOptions,
    blockSizeOption,
    jsonOption,
    quietOption,
    helpOption,
  ],
};

const ACTIONS = ['init', 'export', 'info', 'drop'];

export async function runPs(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(psSpec, args);
  const o = new Options(parsed.options);
  const action = parsed.positionals[0];
  if (!ACTIONS.includes(action)) {
    throw new UsageError(`ps: unknown action '${action}'; expected init, export, info or drop`);
  }
  const { url, name } = storeArguments(o, 'ps');
  const modelOptions = ['loss', 'bits', 'optimizer', 'preset', 'lr', 'beta', 'l1', 'l2', 'block-size'];
  if (action !== 'init') {
    const given = modelOptions.find((flag) => o.has(flag));
    if (given !== undefined) throw new UsageError(`ps ${action}: --${given} applies to ps init only`);
  }
  if (action === 'export' && !o.has('model'))
    throw new UsageError('ps export: --model M is required (the file to write)');
  if (action !== 'export') {
    const given = ['model', 'weights-only', 'keep-state'].find((flag) => o.has(flag));
    if (given !== undefined) throw new UsageError(`ps ${action}: --${given} applies to ps export only`);
  }
  const text = (s: string): void => {
    if (!o.flag('json') && !o.flag('quiet')) io.out(s);
  };
  const emit = (record: object): void => {
    if (o.flag('json')) io.out(JSON.stringify(record) + '\n');
  };
  const ps = await import('../../ps/index.js');
  // The spec is checked before anything is sent: a bad option changes nothing in the store.
  const spec = action === 'init' ? ps.resolveModelSpec(specInput(o)) : undefined;
  const store = await ps.ParameterStore.open(url, name, process.env);
  try {
    if (action === 'init') {
      const outcome = await store.create(spec as ModelSpec);
      text(
        `${outcome === 'created' ? 'created' : 'already there, same options:'} model '${name}' in ${store.server}: ${describeSpec(spec as ModelSpec)}\n`,
      );
      emit({ event: 'init', name, outcome, spec });
    } else if (action === 'export') {
      const stored = await store.requireSpec();
      const exported = await ps.exportLearner(store, stored);
      const path = o.string('model') as string;
      const weightsOnly = saveStoreModel(path, exported, { format: 'auto', bits: stored.bits, passes: 0 }, o);
      const { updates } = exported.learner;
      const holds = weightsOnly ? 'weights only' : 'weights and optimizer state';
      text(
        `wrote ${path} (${holds}, ${formatBytes(statSync(path).size)}): model '${name}' after ${updates} updates (${describeSpec(stored)})\n`,
      );
      if (exported.stateless !== undefined) text(`${exported.stateless}\n`);
      emit({ event: 'export', name, model: path, updates, weightsOnly });
    } else if (action === 'info') {
      const info = await store.info();
      emit({ event: 'info', name, server: store.server, cluster: store.cluster, ...info });
      text(`model      ${name} on ${store.server}${store.cluster ? ' (Redis Cluster)' : ''}\n`);
      text(`options    ${describeSpec(info.spec)}\n`);
      text(
        `size       ${info.blocks} of ${ps.blockCountOf(info.spec)} blocks written, ${info.bytes} bytes\n`,
      );
      text(`updates    ${info.updates} examples pushed\n`);
      text(`labels     ${info.labelKind ?? 'none seen yet'}\n`);
      for (const w of info.workers) {
        const ago = w.seen > 0 ? `, last push ${((Date.now() - w.seen) / 1000).toFixed(1)} s ago` : '';
        text(`worker     ${w.worker}: position ${w.position}${ago}\n`);
      }
      if (info.workers.length === 0) text('workers    none seen\n');
    } else {
      const deleted = await store.drop();
      text(
        deleted > 0
          ? `dropped model '${name}' (${deleted} keys)\n`
          : `no model '${name}' in ${store.server}\n`,
      );
      emit({ event: 'drop', name, keys: deleted });
    }
  } finally {
    await store.close();
  }
  return EXIT_OK;
}

function storeArguments(o: Options, command: string): { url: string; name: string } {
  const url = o.string('ps');
  if (url === undefined)
    throw new UsageError(`${command}: --ps URL is required (e.g. redis://127.0.0.1:6379)`);
  const name = o.string('name');
  if (name === undefined) throw new UsageError(`${command}: --name MODEL is required`);
  return { url, name };
}

function specInput(o: Options): ModelSpecInput {
  const optimizer = o.string('optimizer', 'adagrad');
  if (optimizer !== 'ftrl') {
    for (const flag of ['beta', 'l1', 'l2']) {
      if (o.has(flag)) throw new UsageError(`--${flag} applies to --optimizer ftrl only`);
    }
  } else if (o.has('preset')) {
    throw new UsageError('--preset applies to --optimizer adagrad only');
  }
  return {
    loss: o.string('loss') as ModelSpec['loss'] | undefined,
    bits: o.number('bits'),
    optimizer: optimizer as ModelSpec['optimizer'],
    preset: o.string('preset') as ModelSpec['preset'] | undefined,
    lr: o.number('lr'),
    beta: o.number('beta'),
    l1: o.number('l1'),
    l2: o.number('l2'),
    blockSize: o.number('block-size'),
  };
}

function describeSpec(s: ModelSpec): string {
  const optimizer =
    s.optimizer === 'adagrad'
      ? `adagrad (${s.preset} convention) lr ${s.lr}`
      : `ftrl alpha ${s.lr}, beta ${s.beta}, l1 ${s.l1}, l2 ${s.l2}`;
  return `loss ${s.loss}, 2^${s.bits} weights, ${optimizer}, ${s.blockSize} coordinates per key`;
}

// ----- train --ps --workers N -----

/** Restarts of one worker before the run gives up. */
export const MAX_RESTARTS = 3;

/**
 * Set (to 1) in the environment of the workers `train --ps` starts before it has set the run up:
 * such a worker connects, then waits for a line on its stdin before it reads the model.
 */
export const AWAIT_SETUP_VARIABLE = 'ADAGRAD_PS_AWAIT_SETUP';

interface WorkerState {
  index: number;
  restarts: number;
  summary: WorkerSummary | undefined;
  lastError: string | undefined;
  child: ChildProcess | undefined;
}

export async function runPsTrain(o: Options, file: string | undefined, io: Io): Promise<number> {
  const modelPath = o.string('model');
  if (modelPath === undefined)
    throw new UsageError('train: --model M is required (where to write the model)');
  if (file === undefined)
    throw new UsageError('train --ps: FILE is required (the workers read their shards from it)');
  if (file === '-') throw new UsageError('train --ps: workers cannot share stdin; give a FILE');
  for (const flag of [
    'model-type',
    'hidden',
    'classes',
    'l2',
    'lr-schedule',
    'holdout-fraction',
    'early-stop',
    'readable-model',
    'cache',
    'no-cache',
    'cache-file',
  ]) {
    if (o.has(flag)) throw new UsageError(`train --ps: --${flag} is not supported with the parameter store`);
  }
  const url = o.string('ps') as string;
  const name = o.string('name') ?? defaultName(modelPath);
  const workers = o.number('workers', 1);
  const passes = o.number('passes', 1);
  const resume = o.flag('resume');
  const json = o.flag('json');
  const quiet = o.flag('quiet');
  const text = (s: string): void => {
    if (!json && !quiet) io.out(s);
  };
  const emit = (record: object): void => {
    if (json && !quiet) io.out(JSON.stringify(record) + '\n');
  };

  const states: WorkerState[] = Array.from({ length: workers }, (_, i) => ({
    index: i + 1,
    restarts: 0,
    summary: undefined,
    lastError: undefined,
    child: undefined,
  }));
  let failure: string | undefined;
  let interrupted = false;
  const workerArgs = (index: number): string[] => [
    'worker',
    file,
    '--ps',
    withoutPassword(url),
    '--name',
    name,
    '--worker',
    `${index}/${workers}`,
    '--passes',
    String(passes),
    '--json',
    ...forward(o, ['fetch-every', 'push-every', 'format', 'label-column']),
    ...(o.flag('skip-bad-lines') ? ['--skip-bad-lines'] : []),
  ];
  const childEnv = { ...process.env, ...passwordEnv(url) };

  const stopOthers = (): void => {
    for (const other of states) other.child?.kill('SIGTERM');
  };
  const progressRow = (index: number, event: ProgressEvent): void => {
    text(`${String(index).padEnd(8)}${formatProgressRow(event)}`);
    emit({ event: 'progress', ...event, worker: index });
  };
  const reconnected = (index: number, event: { cause: string; position: number }): void => {
    if (!quiet)
      io.err(
        `adagrad: worker ${index}/${workers}: ${event.cause}; reconnected, going on from its recorded position ${event.position}\n`,
      );
    emit({ event: 'reconnect', worker: index, cause: event.cause, position: event.position });
  };

  /**
   * Worker `state` as a child process. Started with `setUp`, before this process has set the run up:
   * its start (Node, the Redis client, connecting) overlaps that, and it reads nothing of the model
   * until `go` arrives on its stdin (AWAIT_SETUP_VARIABLE); so does a restart, which gets it at once
   * once the run is set up.
   */
  const runOne = (state: WorkerState, setUp?: Promise<void>): Promise<void> =>
    new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [...process.execArgv, process.argv[1], ...workerArgs(state.index)],
        {
          env: setUp === undefined ? childEnv : { ...childEnv, [AWAIT_SETUP_VARIABLE]: '1' },
          stdio: [setUp === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
          // Its own process group: a Ctrl-C reaches it once, forwarded by this process (below).
          detached: true,
        },
      );
      state.child = child;
      if (setUp !== undefined) {
        child.stdin!.on('error', () => undefined); // it died first: its exit says how
        void setUp.then(() => child.stdin!.end('go\n'));
      }
      createInterface({ input: child.stdout! }).on('line', (line) => {
        let record: { event?: string } & Record<string, unknown>;
        try {
          record = JSON.parse(line) as typeof record;
        } catch {
          return;
        }
        if (record.event === 'progress') {
          progressRow(state.index, record as unknown as ProgressEvent);
        } else if (record.event === 'reconnect') {
          reconnected(state.index, record as unknown as { cause: string; position: number });
        } else if (record.event === 'summary') {
          state.summary = record as unknown as WorkerSummary;
        }
      });
      createInterface({ input: child.stderr! }).on('line', (line) => {
        // The worker's one-line error (not the stack ADAGRAD_DEBUG=1 adds after it).
        if (line.startsWith('adagrad: ')) state.lastError = line.slice('adagrad: '.length);
      });
      child.on('exit', (code, signal) => {
        state.child = undefined;
        if (code === 0) return resolve();
        if (code === EXIT_INTERRUPTED || io.interrupted()) {
          interrupted = true;
          return resolve();
        }
        const died = signal !== null || (code !== 1 && code !== 2);
        if (died && failure === undefined && state.restarts < MAX_RESTARTS) {
          state.restarts++;
          const how = signal ?? `exit ${code}`;
          if (!quiet)
            io.err(
              `adagrad: worker ${state.index}/${workers} died (${how}); restarting it from its recorded position (${state.restarts} of ${MAX_RESTARTS})\n`,
            );
          emit({ event: 'restart', worker: state.index, cause: how, restart: state.restarts });
          // Not before the run is set up, if it died that early.
          return resolve(runOne(state, setUp));
        }
        failure ??= died
          ? `worker ${state.index}/${workers} died ${MAX_RESTARTS + 1} times (last: ${signal ?? `exit ${code}`}${state.lastError ? `: ${state.lastError}` : ''}); giving up`
          : `worker ${state.index}/${workers} failed: ${state.lastError ?? `exit ${code}`}`;
        // One worker's real error ends the run: the others would only repeat it.
        stopOthers();
        resolve();
      });
    });

  let go = (): void => undefined;
  const setUp = new Promise<void>((resolve) => (go = resolve));
  const children = states.slice(1).map((state) => runOne(state, setUp));

  const ps = await import('../../ps/index.js');
  const asked = ps.resolveModelSpec(specInput(o));
  const store = await ps.ParameterStore.open(url, name, process.env);
  let spec: ModelSpec;
  let continuing = false;
  try {
    const stored = await store.spec();
    if (resume) {
      if (stored === undefined) {
        throw new CliError(`--resume: no model '${name}' in the parameter store at ${store.server}`);
      }
      checkResumeAgainst(o, stored);
      spec = stored;
      const run = await store.run();
      continuing =
        run !== undefined &&
        !run.finished &&
        run.workers === workers &&
        run.data === file &&
        run.passes === passes;
    } else {
      if (stored !== undefined) {
        await store.create(asked); // names the differing option, if any
        throw new CliError(
          `model '${name}' already exists in the parameter store at ${store.server}; --resume continues it, adagrad ps drop deletes it`,
        );
      }
      await store.create(asked);
      spec = asked;
    }
    if (!continuing) await store.resetPositions();
    await store.setRun({ data: file, workers, passes, finished: false });
  } catch (error) {
    failure ??= oneLine(error); // the children started early stop, none restarted
    for (const state of states) state.child?.kill('SIGKILL');
    await Promise.all(children);
    await store.close();
    throw error;
  }

  text(
    `${resume ? 'resuming' : 'training'} ${modelPath} with ${workers} worker${workers > 1 ? 's' : ''} against model '${name}' on ${store.server}${store.cluster ? ' (Redis Cluster)' : ''}${continuing ? ', from their recorded positions' : ''}\n`,
  );
  text(`${describeSpec(spec)}; ${passes} pass${passes > 1 ? 'es' : ''}\n`);
  emit({
    event: 'start',
    model: modelPath,
    name,
    server: store.server,
    cluster: store.cluster,
    workers,
    passes,
    spec,
    resume,
  });
  text(`worker  ${'average    since         example   current   current   current   pass   examples/s'}\n`);
  text(`        ${'loss       last          counter     label   predict  features'}\n`);

  /** Worker 1, here: an error of its own ends the run as a worker process's would. */
  const runHere = async (state: WorkerState): Promise<void> => {
    const worker = { index: state.index, count: workers };
    if (failure !== undefined) return; // a worker process failed while the run was set up
    try {
      const shard = await ps.openShard(file, worker, shardOptions(o, spec));
      const summary = await ps.onShard(shard, () =>
        ps.runWorker(store, spec, {
          worker,
          passes,
          fetchEvery: o.number('fetch-every', ps.defaultInterval(workers)),
          pushEvery: o.number('push-every', ps.defaultInterval(workers)),
          pass: () => shard.pass(),
          onProgress: (event) => progressRow(state.index, event),
          onReconnect: (event) => reconnected(state.index, event),
          // Ctrl-C, or another worker's real error.
          shouldStop: () => io.interrupted() || failure !== undefined,
        }),
      );
      // As a worker process reports it.
      state.summary = { ...summary, badLines: shard.badLines() } as WorkerSummary;
      if (summary.interrupted) interrupted = true;
    } catch (error) {
      failure ??= `worker ${state.index}/${workers} failed: ${oneLine(error)}`;
      stopOthers();
    }
  };

  const forwardInterrupt = (): void => {
    for (const state of states) state.child?.kill('SIGINT');
  };
  process.on('SIGINT', forwardInterrupt);
  const started = performance.now();
  go();
  try {
    await Promise.all([runHere(states[0]), ...children]);
    if (failure !== undefined) throw new CliError(failure);
    if (!interrupted) await store.setRun({ data: file, workers, passes, finished: true });
    const exported = await ps.exportLearner(store, spec);
    const { learner } = exported;
    const features: FeatureRecord = {
      format: o.string('format') ?? 'auto',
      bits: spec.bits,
      ...(o.has('label-column') ? { labelColumn: o.string('label-column') } : {}),
      passes,
    };
    const weightsOnly = saveStoreModel(modelPath, exported, features, o, interrupted);
    const seconds = (performance.now() - started) / 1000;
    const summaries = states.map((s) => s.summary).filter((s): s is WorkerSummary => s !== undefined);
    const examples = summaries.reduce((sum, s) => sum + s.examples, 0);
    const weighted = (pick: (s: WorkerSummary) => number | undefined): number | null => {
      const withValue = summaries.filter((s) => pick(s) !== undefined && s.examples > 0);
      const n = withValue.reduce((sum, s) => sum + s.examples, 0);
      return n === 0 ? null : withValue.reduce((sum, s) => sum + (pick(s) as number) * s.examples, 0) / n;
    };
    const averageLoss = weighted((s) => s.averageLoss);
    const accuracy = weighted((s) => s.progressiveAccuracy ?? undefined);
    text('\nworker  examples  average loss  accuracy  examples/s  pushes  restarts\n');
    for (const state of states) {
      const s = state.summary;
      if (s === undefined) continue;
      text(
        `${`${state.index}/${workers}`.padEnd(8)}${String(s.examples).padStart(8)}  ${s.averageLoss.toFixed(6).padStart(12)}  ${s.progressiveAccuracy === undefined || s.progressiveAccuracy === null ? '       -' : `${(100 * s.progressiveAccuracy).toFixed(2)}%`.padStart(8)}  ${String(Math.round(s.examplesPerSecond)).padStart(10)}  ${String(s.pushes).padStart(6)}  ${String(state.restarts).padStart(8)}\n`,
      );
    }
    text(
      `${'total'.padEnd(8)}${String(examples).padStart(8)}  ${(averageLoss ?? 0).toFixed(6).padStart(12)}  ${accuracy === null ? '       -' : `${(100 * accuracy).toFixed(2)}%`.padStart(8)}  ${String(Math.round(examples / seconds)).padStart(10)}\n`,
    );
    text(
      `\nupdates          ${learner.updates} examples pushed to model '${name}'${resume ? ' (all runs)' : ''}\n`,
    );
    text(`time             ${seconds.toFixed(2)} s (${Math.round(examples / seconds)} examples/s)\n`);
    text(
      `model            ${modelPath} (${weightsOnly ? 'weights only' : 'weights and optimizer state'}, ${formatBytes(statSync(modelPath).size)})\n`,
    );
    if (exported.stateless !== undefined) text(`                 ${exported.stateless}\n`);
    emit({
      event: 'summary',
      model: modelPath,
      name,
      examples,
      updates: learner.updates,
      averageLoss,
      progressiveAccuracy: accuracy,
      workers: states.map((s) => ({ worker: s.index, restarts: s.restarts, ...s.summary })),
      interrupted,
      weightsOnly,
      seconds,
      examplesPerSecond: examples / seconds,
    });
    if (interrupted) {
      if (!quiet)
        io.err(
          `adagrad: interrupted: saved the store's model to ${modelPath}; the workers' positions are kept (continue with --resume)\n`,
        );
      return EXIT_INTERRUPTED;
    }
    return EXIT_OK;
  } finally {
    process.off('SIGINT', forwardInterrupt);
    for (const state of states) state.child?.kill('SIGKILL');
    await store.close();
  }
}

/** What a worker's shard is read with: the store's bits and the command's input options. */
export function shardOptions(o: Options, spec: ModelSpec): ShardOptions {
  return {
    format: o.string('format') as Format | undefined,
    bits: spec.bits,
    labelColumn: o.string('label-column'),
    skipBadLines: o.flag('skip-bad-lines'),
  };
}

/**
 * Writes the store's model as local training writes its model, by the same rule for what goes in
 * (savesWeightsOnly: a model with l1 as its nonzero weights unless --keep-state, an interrupted run
 * with its state); returns whether the file holds the weights alone.
 */
function saveStoreModel(
  path: string,
  exported: ExportedModel,
  features: FeatureRecord,
  o: Options,
  interrupted = false,
): boolean {
  const weightsOnly =
    exported.stateless !== undefined ||
    savesWeightsOnly(exported.learner, {
      weightsOnly: o.flag('weights-only'),
      keepState: o.flag('keep-state'),
      interrupted,
    });
  saveCliModel(path, exported.learner, features, undefined, weightsOnly);
  return weightsOnly;
}

function defaultName(modelPath: string): string {
  const base = basename(modelPath)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_.-]/g, '_');
  return base === '' ? 'model' : base.slice(0, 64);
}

function forward(o: Options, flags: string[]): string[] {
  return flags.flatMap((flag) => (o.has(flag) ? [`--${flag}`, String(o.string(flag))] : []));
}

/** The URL without its password: children get the password in their environment, not in argv. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function passwordEnv(url: string): Record<string, string> {
  try {
    const password = new URL(url).password;
    return password === '' ? {} : { ADAGRAD_PS_PASSWORD: decodeURIComponent(password) };
  } catch {
    return {};
  }
}

/** Options given with --resume must match the stored model's. */
function checkResumeAgainst(o: Options, stored: ModelSpec): void {
  const asked: Record<string, unknown> = {
    loss: o.string('loss'),
    bits: o.number('bits'),
    optimizer: o.string('optimizer'),
    preset: o.string('preset'),
    lr: o.number('lr'),
    blockSize: o.number('block-size'),
  };
  for (const [key, value] of Object.entries(asked)) {
    if (value !== undefined && stored[key as keyof ModelSpec] !== value) {
      throw new CliError(
        `--resume: model in the store has ${key} ${String(stored[key as keyof ModelSpec])}, not ${String(value)}`,
      );
    }
  }
}
