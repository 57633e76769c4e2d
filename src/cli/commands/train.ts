/**
 * `adagrad train`: online training with a progressive-validation table (Vowpal Wabbit's habits),
 * JSON lines on request, a model file written atomically, and Ctrl-C that saves before leaving.
 * The learner is src/learn's LinearLearner (or MlpRegressor for --model-type mlp).
 */
import { statSync } from 'node:fs';
import type { Example, Format } from '../../data/index.js';
// Modules, not the index files: every module loaded is start-up time (see main.ts).
import type { LabelKind } from '../../learn/labels.js';
import { LinearLearner } from '../../learn/linear.js';
import type { LossName } from '../../learn/losses.js';
import { classificationMetrics } from '../../learn/metrics.js';
import { MlpRegressor } from '../../learn/mlp.js';
import type { OptimizerName } from '../../learn/options.js';
import {
  checkSchedule,
  OptimizerInputError,
  scheduleAt,
  type AdagradPreset,
  type Schedule,
} from '../../optim/index.js';
import { type CommandSpec, Options, parseArgs } from '../args.js';
import { learnerFromFlags } from '../learner.js';
import { CliError, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import {
  describeLink,
  type FeatureRecord,
  formatBytes,
  loadCliModel,
  lossOf,
  type Model,
  saveCliModel,
  savesWeightsOnly,
} from '../model.js';
import { formatProgressHeader, formatProgressRow, ProgressBar } from '../progress.js';
import {
  bostonDemo,
  type ExampleSource,
  fileSource,
  passesSource,
  type FileSourceOptions,
  memorySource,
  readAll,
  spamDemo,
} from '../source.js';
import { train } from '../training.js';
import {
  bitsOption,
  classesOption,
  formatOption,
  helpOption,
  jsonOption,
  l1Option,
  l2Option,
  labelColumnOption,
  lossOption,
  lrOption,
  optimizerOption,
  presetOption,
  quietOption,
  skipBadLinesOption,
} from './common-options.js';
import { psTrainOptions, wantsParameterStore } from './ps.js';

export const trainSpec: CommandSpec = {
  name: 'train',
  summary:
    'Trains a model online on FILE and writes it to --model.\n' +
    'FILE is LIBSVM, VW text, CSV or JSON lines (- for stdin; .gz read transparently). Training prints\n' +
    'a progressive-validation table: each example is predicted before it is learned, so the average\n' +
    'loss estimates generalization. With no FILE, trains on the bundled SpamAssassin corpus as a demo\n' +
    '(Boston house prices for --model-type mlp) and reports accuracy on its held-out 20%.',
  usage: 'adagrad train [FILE] --model M [options]',
  positionals: { min: 0, max: 1 },
  options: [
    { name: 'model', kind: 'string', placeholder: 'M', help: 'model file to write (required)' },
    lossOption,
    classesOption,
    bitsOption,
    optimizerOption,
    presetOption,
    lrOption,
    l1Option,
    l2Option,
    { name: 'passes', kind: 'integer', min: 1, max: 100_000, help: 'passes over the data', defaultText: '1' },
    {
      name: 'lr-schedule',
      kind: 'string',
      placeholder: 'JSON',
      help: 'learning rate by pass (0 first), a schedule as JSON, e.g. \'{"type":"exponential","init":0.5,"rate":0.5}\'',
    },
    {
      name: 'holdout-fraction',
      kind: 'number',
      min: 0,
      max: 0.5,
      placeholder: 'F',
      help: 'every round(1/F)-th example is held out, never learned',
      defaultText: '0 for one pass, 0.1 for several',
    },
    {
      name: 'early-stop',
      kind: 'integer',
      min: 0,
      max: 100_000,
      placeholder: 'N',
      help: 'stop after N passes without holdout improvement (0: never)',
      defaultText: '3',
    },
    formatOption,
    labelColumnOption,
    skipBadLinesOption,
    {
      name: 'cache',
      kind: 'boolean',
      help: 'keep a binary cache FILE.cache for later passes (rebuilt when stale; the default with several passes over a file above 256 MiB or gzipped, whose passes otherwise replay it from memory)',
    },
    {
      name: 'no-cache',
      kind: 'boolean',
      help: 'with several passes, read FILE again each pass instead of keeping it in memory or FILE.cache',
    },
    {
      name: 'cache-file',
      kind: 'string',
      placeholder: 'PATH',
      help: 'where the cache lives (implies --cache; needed for stdin)',
      defaultText: 'FILE.cache',
    },
    {
      name: 'resume',
      kind: 'boolean',
      help: 'continue training the model in --model (weights and optimizer state)',
    },
    {
      name: 'weights-only',
      kind: 'boolean',
      help: 'write only the weights, not the optimizer state --resume needs (the default for a model with --l1)',
    },
    {
      name: 'keep-state',
      kind: 'boolean',
      help: 'with --l1: write the optimizer state too, so --resume can continue (a sparse model is otherwise saved as its nonzero weights, kilobytes)',
    },
    {
      name: 'readable-model',
      kind: 'string',
      placeholder: 'FILE.json',
      help: 'also write the options and largest weights as JSON',
    },
    {
      name: 'model-type',
      kind: 'choice',
      choices: ['linear', 'mlp'],
      help: 'model family',
      defaultText: 'linear',
    },
    { name: 'hidden', kind: 'integer', min: 1, max: 4096, help: 'mlp: hidden ReLU units', defaultText: '10' },
    ...psTrainOptions,
    jsonOption,
    quietOption,
    helpOption,
  ],
};

interface Plan {
  model: Model;
  features: FeatureRecord;
  source: ExampleSource;
  demoTest: Example[] | undefined;
}

export async function runTrain(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(trainSpec, args);
  const o = new Options(parsed.options);
  const file = parsed.positionals[0];
  if (wantsParameterStore(o)) return (await import('./ps.js')).runPsTrain(o, file, io);
  const modelPath = o.string('model');
  if (modelPath === undefined)
    throw new UsageError('train: --model M is required (where to write the model)');
  const json = o.flag('json');
  const quiet = o.flag('quiet');
  const text = (s: string): void => {
    if (!json && !quiet) io.out(s);
  };
  const emit = (record: object): void => {
    if (json && !quiet) io.out(JSON.stringify(record) + '\n');
  };

  const passes = o.number('passes', 1);
  const holdoutFraction = o.number('holdout-fraction', passes > 1 ? 0.1 : 0);
  const patience = o.number('early-stop', 3);
  const resume = o.flag('resume');
  const plan =
    o.string('model-type', 'linear') === 'mlp'
      ? await planMlp(o, file, text)
      : await planLinear(o, file, text);
  const { model, source, demoTest } = plan;
  let { features } = plan;
  const passesBefore = resume ? features.passes : 0;
  const loss = lossOf(model);
  const schedule = lrScheduleOf(o, model);
  const lrOfPass = (p: number): number => scheduleAt(schedule as Schedule, passesBefore + p);
  if (schedule !== undefined) (model as LinearLearner).setLearningRate(lrOfPass(0));

  if (model instanceof LinearLearner) {
    const lo = model.options;
    const rate =
      schedule === undefined
        ? `lr ${lo.lr}`
        : `lr by pass (${schedule.type} schedule) ${describeRates(Array.from({ length: passes }, (_, p) => lrOfPass(p)))}`;
    const optimizer = `${lo.optimizer}${lo.optimizer === 'adagrad' ? ` (${lo.preset} convention)` : ''} ${rate}${lo.l1 > 0 ? `, l1 ${lo.l1}` : ''}${lo.l2 > 0 ? `, l2 ${lo.l2}` : ''}`;
    text(
      `${resume ? 'resuming' : 'training'} ${modelPath}: loss ${lo.loss}, link ${describeLink(lo.loss)}\n`,
    );
    text(
      `optimizer ${optimizer}; 2^${lo.bits} weights${model.classes > 1 ? ` x ${model.classes} classes` : ''}`,
    );
  } else {
    const mo = model.options;
    text(
      `${resume ? 'resuming' : 'training'} ${modelPath}: network ${mo.inputs} inputs, ${mo.hidden} ReLU hidden, 1 output; squared error on standardized features\n`,
    );
    text(`optimizer ${mo.optimizer} lr ${mo.lr}`);
  }
  const period = holdoutFraction > 0 ? Math.max(2, Math.round(1 / holdoutFraction)) : 0;
  text(
    `; ${passes} pass${passes > 1 ? 'es' : ''}${period > 0 ? `, every ${period}th example held out` : ''}\n`,
  );
  if (model instanceof LinearLearner) text(`updates: ${model.describeUpdates()}\n`);
  emit({
    event: 'start',
    model: modelPath,
    data: source.name,
    format: source.format,
    modelType: model instanceof LinearLearner ? 'linear' : 'mlp',
    loss,
    link: model.link,
    options: model.options,
    ...(model instanceof LinearLearner ? { updates: model.describeUpdates() } : {}),
    passes,
    holdoutFraction,
    resume,
  });
  text(formatProgressHeader());
  const bar = io.isTTY && !json && !quiet ? new ProgressBar(io) : undefined;
  const result = await train(
    model,
    loss,
    source,
    { passes, holdoutFraction, patience },
    {
      onProgress: (event) => {
        bar?.clear();
        text(formatProgressRow(event));
        emit({ event: 'progress', ...event });
      },
      onPass: (event) => {
        bar?.clear();
        if (schedule !== undefined) (model as LinearLearner).setLearningRate(lrOfPass(event.pass));
        if (passes > 1) {
          const holdout = event.holdoutLoss === null ? '' : `, holdout loss ${event.holdoutLoss.toFixed(6)}`;
          text(
            `pass ${event.pass} done: average loss ${event.trainLoss.toFixed(6)}${holdout}${event.improved ? ' (best)' : ''}\n`,
          );
        }
        emit({ event: 'pass', ...event });
      },
      onTick: (fraction, pass) => bar?.draw(fraction, pass, passes),
      shouldStop: io.interrupted,
    },
  );
  bar?.clear();

  // CSV headers name the features once read: the readable model shows those names.
  const names = source.featureNames();
  features = { ...features, ...(names ? { featureNames: names } : {}), passes: passesBefore + result.passes };
  const readablePath = o.string('readable-model');
  const weightsOnly = savesWeightsOnly(model, {
    weightsOnly: o.flag('weights-only'),
    keepState: o.flag('keep-state'),
    interrupted: result.interrupted,
  });
  saveCliModel(modelPath, model, features, readablePath, weightsOnly);
  const modelBytes = statSync(modelPath).size;
  if (result.interrupted) {
    const message = weightsOnly
      ? `interrupted: saved the weights (no optimizer state: --weights-only) to ${modelPath} after ${result.examples} examples`
      : `interrupted: saved the model and optimizer state to ${modelPath} after ${result.examples} examples (continue with --resume)`;
    if (!quiet) io.err(`adagrad: ${message}\n`);
    emit({ event: 'interrupted', model: modelPath, examples: result.examples });
  }

  const labels = describeLabels(model.labelKind as LabelKind | undefined);
  const demo = demoTest === undefined ? undefined : demoMetrics(model, demoTest);
  const summary = {
    event: 'summary',
    model: modelPath,
    data: source.name,
    examples: result.examples,
    heldOut: result.heldOut,
    passes: features.passes,
    passesThisRun: result.passes,
    ...(model instanceof LinearLearner ? { nonzeroWeights: model.nonzeroWeights() } : {}),
    weightsOnly,
    modelBytes,
    averageLoss: result.averageLoss,
    holdoutLoss: result.holdoutLoss,
    progressiveAccuracy: result.progressiveAccuracy ?? null,
    ...(demo === undefined ? {} : { test: demo }),
    badLines: source.badLines(),
    labels,
    link: model.link,
    stoppedEarly: result.stoppedEarly,
    interrupted: result.interrupted,
    seconds: result.seconds,
    examplesPerSecond: result.examplesPerSecond,
  };
  const bad = source.badLines();
  text('\n');
  text(
    `examples         ${result.examples} learned${result.heldOut > 0 ? `, ${result.heldOut} held out` : ''}${bad > 0 ? ` (${bad} bad lines skipped)` : ''}\n`,
  );
  const passNote = result.stoppedEarly
    ? ' (stopped early: the holdout loss stopped improving)'
    : result.interrupted
      ? ' complete (interrupted)'
      : '';
  text(`passes           ${result.passes}${passNote}${resume ? `, ${features.passes} in all` : ''}\n`);
  text(`average loss     ${result.averageLoss.toFixed(6)} (progressive)\n`);
  if (result.holdoutLoss !== null) text(`holdout loss     ${result.holdoutLoss.toFixed(6)}\n`);
  if (result.progressiveAccuracy !== undefined) {
    text(`accuracy         ${(100 * result.progressiveAccuracy).toFixed(2)}% (progressive)\n`);
  }
  if (demo !== undefined) {
    text(
      demo.accuracy !== undefined
        ? `test accuracy    ${(100 * demo.accuracy).toFixed(2)}% on the ${demo.count} held-out examples\n`
        : `test RMSE        ${demo.rmse!.toFixed(4)} on the ${demo.count} held-out examples\n`,
    );
  }
  if (model instanceof LinearLearner) {
    text(`nonzero weights  ${summary.nonzeroWeights} of ${model.w.length}\n`);
  }
  text(`labels           ${labels}\n`);
  text(
    `time             ${result.seconds.toFixed(2)} s (${Math.round(result.examplesPerSecond)} examples/s)\n`,
  );
  const saved = `${weightsOnly ? 'weights only' : 'weights and optimizer state'}, ${formatBytes(modelBytes)}`;
  text(`model            ${modelPath} (${saved})${readablePath ? `, readable: ${readablePath}` : ''}\n`);
  emit(summary);
  return result.interrupted ? EXIT_INTERRUPTED : EXIT_OK;
}

async function planLinear(o: Options, file: string | undefined, text: (s: string) => void): Promise<Plan> {
  if (o.has('hidden')) throw new UsageError('train: --hidden applies to --model-type mlp only');
  const modelPath = o.string('model')!;
  let model: LinearLearner;
  let features: FeatureRecord;
  if (o.flag('resume')) {
    const saved = loadCliModel(modelPath);
    if (!(saved.model instanceof LinearLearner)) {
      throw new CliError(`--resume: ${modelPath} is an mlp model; add --model-type mlp`);
    }
    if (!saved.model.canLearn) {
      throw new CliError(
        `--resume: ${modelPath} holds weights only, not the optimizer state training needs (a model with --l1 is saved so unless --keep-state; --weights-only always)`,
      );
    }
    model = saved.model;
    features = saved.features;
    checkResumeOptions(o, model.options as unknown as Record<string, unknown>);
  } else {
    model = learnerFromFlags('train', {
      loss: o.string('loss') as LossName | undefined,
      bits: o.number('bits'),
      classes: o.number('classes'),
      l2: o.number('l2'),
      l1: o.number('l1'),
      optimizer: o.string('optimizer') as OptimizerName | undefined,
      preset: o.string('preset') as AdagradPreset | undefined,
      lr: o.number('lr'),
    });
    features = {
      format: o.string('format') ?? 'auto',
      bits: model.options.bits,
      ...(o.has('label-column') ? { labelColumn: o.string('label-column') } : {}),
      passes: 0,
    };
  }
  if (file === undefined) {
    if (o.flag('resume')) throw new UsageError('train: --resume needs the FILE to continue on');
    const demo = await spamDemo(model.options.bits);
    text(
      'no FILE given: training on the bundled SpamAssassin corpus as a demo (80% train, 20% test, seed 1;\n',
    );
    text('  the same split as `adagrad dataset spam --out PREFIX`; pass a FILE to train on your own data)\n');
    return { model, features: { ...features, format: 'libsvm' }, source: demo.train, demoTest: demo.test };
  }
  const source = await fileSourceFor(o, file, features, text, { intoMemory: false });
  return { model, features: { ...features, format: source.format }, source, demoTest: undefined };
}

/**
 * The network needs its inputs' count and their means and deviations before the first step, so its
 * training data is read into memory first (it is meant for small dense data such as Boston's).
 */
async function planMlp(o: Options, file: string | undefined, text: (s: string) => void): Promise<Plan> {
  for (const flag of ['loss', 'classes', 'bits', 'preset', 'l1', 'l2']) {
    if (o.has(flag) && !(flag === 'loss' && o.string('loss') === 'squared')) {
      throw new UsageError(
        `train: --${flag} does not apply to --model-type mlp (squared error, dense inputs)`,
      );
    }
  }
  const modelPath = o.string('model')!;
  let features: FeatureRecord = {
    format: o.string('format') ?? 'auto',
    bits: 28,
    ...(o.has('label-column') ? { labelColumn: o.string('label-column') } : {}),
    passes: 0,
  };
  let examples: Example[];
  let demoTest: Example[] | undefined;
  let name: string;
  let featureNames: string[] | undefined;
  if (file === undefined) {
    if (o.flag('resume')) throw new UsageError('train: --resume needs the FILE to continue on');
    const demo = await bostonDemo();
    ({ train: examples, test: demoTest, featureNames } = demo);
    name = 'boston corpus (train split, seed 1)';
    features = { ...features, format: 'libsvm', featureNames };
    text(
      'no FILE given: training the network on the bundled Boston house prices as a demo (80% train, 20% test, seed 1)\n',
    );
  } else {
    const source = await fileSourceFor(o, file, features, text, { intoMemory: true });
    examples = await readAll(source);
    name = source.name;
    featureNames = source.featureNames();
    features = { ...features, format: source.format, ...(featureNames ? { featureNames } : {}) };
  }
  let model: MlpRegressor;
  if (o.flag('resume')) {
    const saved = loadCliModel(modelPath);
    if (!(saved.model instanceof MlpRegressor))
      throw new CliError(`--resume: ${modelPath} is a linear model`);
    model = saved.model;
    features = { ...saved.features };
    checkResumeOptions(o, model.options as unknown as Record<string, unknown>);
  } else {
    let inputs = 0;
    for (const ex of examples) for (const i of ex.indices) inputs = Math.max(inputs, i + 1);
    const optimizer = o.string('optimizer', 'adagrad') as OptimizerName;
    model = new MlpRegressor({
      inputs,
      hidden: o.number('hidden', 10),
      optimizer,
      ...(o.has('lr') ? { lr: o.number('lr') } : {}),
    });
    model.fitStandardization(examples);
  }
  return { model, features, source: memorySource(name, examples, featureNames), demoTest };
}

function fileSourceFor(
  o: Options,
  file: string,
  features: FeatureRecord,
  text: (s: string) => void,
  { intoMemory }: { intoMemory: boolean },
): Promise<ExampleSource> {
  const format = o.string('format') ?? (features.format === 'auto' ? undefined : features.format);
  return fileSource(file, {
    format: format as Format | undefined,
    bits: features.bits,
    labelColumn: features.labelColumn,
    skipBadLines: o.flag('skip-bad-lines'),
    // Streamed, each example is learned before the next batch is read, so rows may share memory; read
    // into memory at once (the network), they are kept, and one reading needs no cache.
    reuseRows: !intoMemory,
    cache: cacheChoice(o, file, intoMemory),
    cachePath: o.string('cache-file'),
    onMessage: (message) => text(`cache: ${message}\n`),
  });
}

/**
 * Several passes over a file replay it from memory after the first when it is small enough, and read
 * a binary cache (about ten times faster than parsing) when it is larger (passesSource), unless
 * --no-cache; --cache asks for a cache even for a single pass. A cache that was not asked for is
 * given up, with a message, where it cannot be written, and none is made for data read into memory
 * once (the network's).
 */
function cacheChoice(o: Options, file: string, intoMemory: boolean): FileSourceOptions['cache'] {
  const asked = o.flag('cache') || o.has('cache-file');
  if (asked && o.flag('no-cache')) {
    throw new UsageError(`train: --no-cache contradicts --${o.flag('cache') ? 'cache' : 'cache-file'}`);
  }
  if (intoMemory && !asked) return false;
  return passesSource(file, {
    passes: o.number('passes', 1),
    cacheAsked: asked,
    noCache: o.flag('no-cache'),
  });
}

function demoMetrics(model: Model, test: Example[]): { count: number; accuracy?: number; rmse?: number } {
  if (model instanceof LinearLearner) {
    const metrics = classificationMetrics(
      test.map((ex) => ex.label),
      test.map((ex) => model.predict(ex)),
    );
    return { count: metrics.count, accuracy: metrics.accuracy };
  }
  let squared = 0;
  for (const ex of test) squared += (model.predict(ex) - ex.label) ** 2;
  return { count: test.length, rmse: Math.sqrt(squared / test.length) };
}

function describeLabels(kind: LabelKind | undefined): string {
  switch (kind) {
    case 'plusminus':
      return '+1/-1 seen (+1 is the positive class)';
    case 'zeroone':
      return '1/0 seen (1 is the positive class)';
    case 'real':
      return 'real-valued targets';
    case 'class':
      return 'class numbers';
    default:
      return 'only 1 seen (fits both +1/-1 and 1/0)';
  }
}

/** Options that would silently change the model on --resume are refused when they disagree. */
function checkResumeOptions(o: Options, saved: Record<string, unknown>): void {
  const asked: Record<string, unknown> = {
    loss: o.string('loss'),
    bits: o.number('bits'),
    classes: o.number('classes'),
    optimizer: o.string('optimizer'),
    preset: o.string('preset'),
    lr: o.number('lr'),
    l2: o.number('l2'),
    l1: o.number('l1'),
    hidden: o.number('hidden'),
  };
  for (const [flag, value] of Object.entries(asked)) {
    if (value !== undefined && flag in saved && saved[flag] !== value) {
      throw new CliError(
        `--resume: the model was trained with --${flag} ${String(saved[flag])}, not ${String(value)}`,
      );
    }
  }
}

/** --lr-schedule's JSON, checked: one readable line naming the field when it is not a valid schedule. */
function lrScheduleOf(o: Options, model: LinearLearner | MlpRegressor): Schedule | undefined {
  const text = o.string('lr-schedule');
  if (text === undefined) return undefined;
  if (!(model instanceof LinearLearner))
    throw new UsageError('train: --lr-schedule applies to linear models');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(
      `train: --lr-schedule must be a schedule as JSON, got ${JSON.stringify(text.slice(0, 60))}`,
    );
  }
  try {
    checkSchedule(value, '--lr-schedule');
    if (scheduleAt(value, 0) <= 0)
      throw new OptimizerInputError("--lr-schedule: the first pass's rate must be > 0");
  } catch (e) {
    if (e instanceof OptimizerInputError) throw new UsageError(`train: ${e.message}`);
    throw e;
  }
  return value;
}

/** The rates of the passes, the first six and the last: "0.5, 0.25, 0.125". */
function describeRates(rates: number[]): string {
  const shown = rates.length > 7 ? [...rates.slice(0, 6), NaN, rates[rates.length - 1]] : rates;
  return shown.map((r) => (Number.isNaN(r) ? '…' : String(Number(r.toPrecision(6))))).join(', ');
}
