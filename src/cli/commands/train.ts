/**
 * `adagrad train`: online training with a progressive-validation table (Vowpal Wabbit's habits),
 * JSON lines on request, a model file written atomically, and Ctrl-C that saves before leaving.
 */
import { writeFileAtomic } from '../../data/node/index.js';
import type { Example, Format } from '../../data/index.js';
import type { AdagradPreset } from '../../optim/index.js';
import { type CommandSpec, Options, parseArgs } from '../args.js';
import { CliError, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { DEFAULT_LR, type LabelKind, LinearLearner, linkOf, type LossName } from '../learner/linear.js';
import { classificationMetrics } from '../learner/metrics.js';
import { type FeatureOptions, loadModel, readableModel, saveModel } from '../learner/model-file.js';
import type { OptimizerName } from '../optimizers.js';
import { formatProgressHeader, formatProgressRow, ProgressBar } from '../progress.js';
import { type ExampleSource, fileSource, spamDemo } from '../source.js';
import { train } from '../training.js';
import {
  bitsOption,
  classesOption,
  formatOption,
  helpOption,
  jsonOption,
  l2Option,
  labelColumnOption,
  lossOption,
  lrOption,
  optimizerOption,
  presetOption,
  quietOption,
  skipBadLinesOption,
} from './common-options.js';

export const trainSpec: CommandSpec = {
  name: 'train',
  summary:
    'Trains a linear model online on FILE (LIBSVM, VW text, CSV or JSON lines; - for stdin; .gz read\n' +
    'transparently), printing a progressive-validation table: each example is predicted before it is\n' +
    'learned, so the average loss estimates generalization. With no FILE, trains on the bundled\n' +
    'SpamAssassin corpus as a demo and reports accuracy on its held-out 20%.',
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
    l2Option,
    { name: 'passes', kind: 'integer', min: 1, max: 100_000, help: 'passes over the data', defaultText: '1' },
    {
      name: 'holdout-fraction',
      kind: 'number',
      min: 0,
      max: 1,
      maxExclusive: true,
      placeholder: 'F',
      help: 'every round(1/F)-th example is held out, never learned',
      defaultText: '0 for one pass, 0.1 for several',
    },
    {
      name: 'early-stop',
      kind: 'integer',
      min: 0,
      max: 100_000,
      help: 'stop after N passes without holdout improvement (0: never)',
      defaultText: '3',
    },
    formatOption,
    labelColumnOption,
    skipBadLinesOption,
    {
      name: 'cache',
      kind: 'boolean',
      help: 'keep a binary cache FILE.cache for later passes (rebuilt when stale)',
    },
    {
      name: 'resume',
      kind: 'boolean',
      help: 'continue training the model in --model (weights and optimizer state)',
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
    { name: 'hidden', kind: 'integer', min: 1, max: 10_000, help: 'mlp: hidden units', defaultText: '10' },
    jsonOption,
    quietOption,
    helpOption,
  ],
};

type Printer = (text: string) => void;

export async function runTrain(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(trainSpec, args);
  const o = new Options(parsed.options);
  const file = parsed.positionals[0];
  const modelPath = o.string('model');
  if (modelPath === undefined)
    throw new UsageError('train: --model M is required (where to write the model)');
  if (o.string('model-type', 'linear') === 'mlp') {
    throw new CliError('train: --model-type mlp is not available in this build yet (the linear learner is)');
  }
  if (o.has('hidden')) throw new UsageError('train: --hidden applies to --model-type mlp only');
  const json = o.flag('json');
  const quiet = o.flag('quiet');
  const text: Printer = json || quiet ? () => {} : (s) => io.out(s);
  const emit = (record: object): void => {
    if (json && !quiet) io.out(JSON.stringify(record) + '\n');
  };

  const passes = o.number('passes', 1);
  const holdoutFraction = o.number('holdout-fraction', passes > 1 ? 0.1 : 0);
  const patience = o.number('early-stop', 3);
  const resume = o.flag('resume');

  let learner: LinearLearner;
  let features: FeatureOptions;
  let passesBefore = 0;
  if (resume) {
    const saved = loadModel(modelPath);
    checkResumeOptions(o, saved.header);
    learner = saved.learner;
    features = saved.header.features;
    passesBefore = saved.header.passes;
  } else {
    const loss = o.string('loss', 'logistic') as LossName;
    if (loss === 'softmax' && !o.has('classes'))
      throw new UsageError('train: --loss softmax needs --classes K');
    if (loss !== 'softmax' && o.has('classes'))
      throw new UsageError('train: --classes applies to --loss softmax only');
    const optimizer = o.string('optimizer', 'adagrad') as OptimizerName;
    if (o.has('preset') && optimizer !== 'adagrad') {
      throw new UsageError(`train: --preset applies to --optimizer adagrad only, not ${optimizer}`);
    }
    learner = new LinearLearner({
      loss,
      bits: o.number('bits', 18),
      classes: o.number('classes', 2),
      l2: o.number('l2', 0),
      optimizer,
      preset: o.string('preset', 'pytorch') as AdagradPreset,
      lr: o.number('lr', DEFAULT_LR[optimizer]),
    });
    features = {
      format: file === undefined ? 'libsvm' : (o.string('format') ?? 'auto'),
      bits: learner.options.bits,
      ...(o.has('label-column') ? { labelColumn: o.string('label-column') } : {}),
    };
  }

  let source: ExampleSource;
  let demoTest: Example[] | undefined;
  if (file === undefined) {
    if (resume) throw new UsageError('train: --resume needs the FILE to continue on');
    const demo = spamDemo(learner.options.bits);
    source = demo.train;
    demoTest = demo.test;
    text(
      'no FILE given: training on the bundled SpamAssassin corpus as a demo (80% train, 20% test, seed 1)\n',
    );
    text(
      '  (the same split as `adagrad dataset spam --out PREFIX`; pass a file to train on your own data)\n',
    );
  } else {
    source = fileSource(file, {
      format: (o.string('format') ?? (features.format === 'auto' ? undefined : features.format)) as
        Format | undefined,
      bits: features.bits,
      labelColumn: features.labelColumn,
      skipBadLines: o.flag('skip-bad-lines'),
      cache: o.flag('cache'),
      onMessage: (message) => text(`cache: ${message}\n`),
    });
    features = { ...features, format: source.format };
  }

  const lo = learner.options;
  const describeOptimizer = `${lo.optimizer}${lo.optimizer === 'adagrad' ? ` (${lo.preset} convention)` : ''} lr ${lo.lr}${lo.l2 > 0 ? ` l2 ${lo.l2}` : ''}`;
  text(`${resume ? 'resuming' : 'training'} ${modelPath}: loss ${lo.loss}, link ${linkOf(lo.loss)}\n`);
  text(
    `optimizer ${describeOptimizer}, 2^${lo.bits} weights${learner.classes > 1 ? ` x ${learner.classes} classes` : ''}, ${passes} pass${passes > 1 ? 'es' : ''}${holdoutFraction > 0 ? `, holdout every ${Math.max(2, Math.round(1 / holdoutFraction))}th example` : ''}\n`,
  );
  emit({
    event: 'start',
    model: modelPath,
    data: source.name,
    format: source.format,
    loss: lo.loss,
    link: linkOf(lo.loss),
    optimizer: lo.optimizer,
    preset: lo.optimizer === 'adagrad' ? lo.preset : undefined,
    lr: lo.lr,
    l2: lo.l2,
    bits: lo.bits,
    classes: learner.classes,
    passes,
    holdoutFraction,
    resume,
  });
  text(formatProgressHeader());
  const bar = io.isTTY && !json && !quiet ? new ProgressBar(io) : undefined;
  const result = await train(
    learner,
    source,
    { passes, holdoutFraction, patience },
    {
      onRow: (row) => {
        bar?.clear();
        text(formatProgressRow(row));
        emit({ event: 'progress', ...row });
      },
      onPass: (summary) => {
        bar?.clear();
        if (passes > 1) {
          const holdout =
            summary.holdoutLoss === undefined ? '' : `, holdout loss ${summary.holdoutLoss.toFixed(6)}`;
          text(`pass ${summary.pass} done: average loss ${summary.averageLoss.toFixed(6)}${holdout}\n`);
        }
        emit({ event: 'pass', ...summary });
      },
      onBatch: (fraction, pass) => bar?.draw(fraction, pass, passes),
      shouldStop: io.interrupted,
    },
  );
  bar?.clear();

  const totalPasses = passesBefore + result.passes;
  const header = saveModel(modelPath, learner, features, totalPasses);
  const readablePath = o.string('readable-model');
  if (readablePath !== undefined) {
    writeFileAtomic(readablePath, JSON.stringify(readableModel({ learner, header }), null, 2) + '\n');
  }
  if (result.interrupted) {
    const message = `interrupted: saved the model and optimizer state to ${modelPath} after ${result.examples} examples (continue with --resume)`;
    if (!quiet) io.err(`adagrad: ${message}\n`);
    emit({ event: 'interrupted', model: modelPath, examples: result.examples });
  }

  const labels = describeLabels(learner.labelKind);
  let demoAccuracy: number | undefined;
  if (demoTest !== undefined) {
    const y = demoTest.map((ex) => (ex.label === 1 ? 1 : 0));
    const p = demoTest.map((ex) => learner.predict(ex));
    demoAccuracy = classificationMetrics(y, p).accuracy;
  }
  const summary = {
    event: 'summary',
    model: modelPath,
    data: source.name,
    examples: result.examples,
    passes: totalPasses,
    passesThisRun: result.passes,
    averageLoss: result.averageLoss,
    holdoutLoss: result.holdoutLoss ?? null,
    progressiveAccuracy: result.progressiveAccuracy ?? null,
    ...(demoAccuracy === undefined ? {} : { testAccuracy: demoAccuracy, testExamples: demoTest!.length }),
    badLines: source.badLines(),
    labels,
    link: linkOf(lo.loss),
    stoppedEarly: result.stoppedEarly,
    interrupted: result.interrupted,
    seconds: result.seconds,
    examplesPerSecond: result.examples / Math.max(result.seconds, 1e-9),
  };
  text('\n');
  text(
    `examples         ${result.examples}${source.badLines() > 0 ? ` (${source.badLines()} bad lines skipped)` : ''}\n`,
  );
  text(
    `passes           ${result.passes}${resume ? ` (${totalPasses} in all)` : ''}${result.stoppedEarly ? ' (stopped early: holdout loss stopped improving)' : ''}\n`,
  );
  text(`average loss     ${result.averageLoss.toFixed(6)} (progressive)\n`);
  if (result.holdoutLoss !== undefined) text(`holdout loss     ${result.holdoutLoss.toFixed(6)}\n`);
  if (result.progressiveAccuracy !== undefined) {
    text(`accuracy         ${(100 * result.progressiveAccuracy).toFixed(2)}% (progressive)\n`);
  }
  if (demoAccuracy !== undefined) {
    text(
      `test accuracy    ${(100 * demoAccuracy).toFixed(2)}% on the ${demoTest!.length} held-out messages\n`,
    );
  }
  text(`labels           ${labels}\n`);
  text(
    `time             ${result.seconds.toFixed(2)} s (${Math.round(summary.examplesPerSecond)} examples/s)\n`,
  );
  text(`model            ${modelPath}${readablePath ? ` (readable: ${readablePath})` : ''}\n`);
  emit(summary);
  return result.interrupted ? EXIT_INTERRUPTED : EXIT_OK;
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
      return 'only +1 seen';
  }
}

/** Options that would silently change the model on --resume are refused when they disagree. */
function checkResumeOptions(
  o: Options,
  header: { loss: string; bits: number; classes: number; learner: Record<string, unknown> },
): void {
  const clash = (flag: string, asked: unknown, saved: unknown): void => {
    if (asked !== undefined && asked !== saved) {
      throw new CliError(`--resume: the model was trained with --${flag} ${saved}, not ${asked}`);
    }
  };
  clash('loss', o.string('loss'), header.loss);
  clash('bits', o.number('bits'), header.bits);
  if (o.has('classes')) clash('classes', o.number('classes'), header.classes);
  clash('optimizer', o.string('optimizer'), header.learner.optimizer);
  clash('preset', o.string('preset'), header.learner.preset);
  clash('lr', o.number('lr'), header.learner.lr);
  clash('l2', o.number('l2'), header.learner.l2);
}
