/**
 * `adagrad predict`: one prediction per example (probabilities for logistic models, said in the
 * header), and metrics when the input has labels. The input is read exactly as the training data
 * was (format, bits, label column, from the model file); asking for anything else is an error.
 */
// Modules, not the index files: every module loaded is start-up time (see main.ts).
import { AtomicWriter } from '../../data/node/atomic.js';
import { resolveFormat } from '../../data/node/read.js';
import { DataError } from '../../data/errors.js';
import type { Format } from '../../data/format.js';
import { type CommandSpec, Options, parseArgs } from '../args.js';
import { CliError, EXIT_OK } from '../errors.js';
import type { Io } from '../io.js';
import { labelFor } from '../../learn/labels.js';
import { LinearLearner } from '../../learn/linear.js';
import type { LossName } from '../../learn/losses.js';
import { classificationMetrics, multiclassMetrics, regressionMetrics, rocAuc } from '../../learn/metrics.js';
import { type FeatureRecord, loadCliModel, lossOf, type Model } from '../model.js';
import { fileSource } from '../source.js';
import {
  bitsOption,
  formatOption,
  helpOption,
  jsonOption,
  labelColumnOption,
  lossOption,
  quietOption,
  skipBadLinesOption,
} from './common-options.js';

export const predictSpec: CommandSpec = {
  name: 'predict',
  summary:
    'Predicts every example of FILE with a trained model.\n' +
    'Predictions are the probability of the positive class for logistic models, the value for squared\n' +
    'loss, the margin for hinge, the class for softmax. When the input has labels, reports accuracy,\n' +
    'log loss, AUC, precision/recall/F1 (RMSE, MAE, R² for regression).',
  usage: 'adagrad predict FILE --model M [--out PRED] [--json]',
  positionals: { min: 1, max: 1 },
  options: [
    { name: 'model', kind: 'string', placeholder: 'M', help: 'model file (required)' },
    {
      name: 'out',
      kind: 'string',
      placeholder: 'PRED',
      help: 'write predictions here (atomically) instead of stdout',
    },
    { name: 'metrics', kind: 'boolean', help: 'print only the metrics, no predictions' },
    { ...bitsOption, help: "must equal the model's (checked)", defaultText: "the model's" },
    { ...formatOption, defaultText: "the model's" },
    { ...lossOption, help: "must equal the model's (checked)", defaultText: "the model's" },
    { ...labelColumnOption, defaultText: "the model's" },
    skipBadLinesOption,
    jsonOption,
    quietOption,
    helpOption,
  ],
};

export async function runPredict(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(predictSpec, args);
  const o = new Options(parsed.options);
  const file = parsed.positionals[0];
  const modelPath = o.string('model');
  if (modelPath === undefined) throw new CliError('predict: --model M is required');
  const { model, features } = loadCliModel(modelPath);
  const loss = lossOf(model);
  const format = checkCompatible(o, model, features, file);
  const json = o.flag('json');
  const quiet = o.flag('quiet');
  const outPath = o.string('out');
  const printPredictions = !o.flag('metrics');
  const field =
    loss === 'logistic'
      ? 'probability'
      : loss === 'softmax'
        ? 'class'
        : loss === 'hinge'
          ? 'margin'
          : 'prediction';

  const source = await fileSource(file, {
    format,
    bits: features.bits,
    labelColumn: o.string('label-column') ?? features.labelColumn,
    skipBadLines: o.flag('skip-bad-lines'),
    cache: false,
    // Each example is predicted before the next batch is read; only numbers are kept.
    reuseRows: true,
  });
  const writer = outPath !== undefined && printPredictions ? new AtomicWriter(outPath) : undefined;
  const pending: string[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending.length = 0;
    if (writer !== undefined) await writer.write(Buffer.from(text));
    else if (!quiet) io.out(text);
  };
  if (printPredictions && !json) pending.push(`# ${describeOutput(model, loss)}\n`);

  const labels: number[] = [];
  const predictions: number[] = [];
  const classes = model instanceof LinearLearner ? model.options.classes : 1;
  const firstClass = model instanceof LinearLearner ? model.options.firstClass : 0;
  try {
    for await (const batch of source.pass()) {
      for (const ex of batch) {
        const prediction = model.predict(ex);
        // Checked (a label that does not fit the loss is an error naming the line), kept raw.
        labelFor(loss, ex.label, { line: ex.line }, { classes, firstClass });
        labels.push(loss === 'softmax' ? ex.label - firstClass : ex.label);
        predictions.push(prediction);
        if (printPredictions) {
          pending.push(
            json ? `${JSON.stringify({ line: ex.line, [field]: prediction })}\n` : `${prediction}\n`,
          );
        }
      }
      await flush();
    }
    await flush();
    await writer?.commit();
  } catch (error) {
    await writer?.abort();
    if (error instanceof DataError && error.file === undefined) throw error.inFile(source.name);
    throw error;
  }

  const metrics = computeMetrics(loss, labels, predictions);
  const summary = {
    event: 'metrics',
    model: modelPath,
    data: source.name,
    output: field,
    ...metrics,
    badLines: source.badLines(),
  };
  // With predictions on stdout, text metrics go to stderr so the prediction column stays clean.
  const toStdout = writer !== undefined || !printPredictions || json;
  const say = (s: string): void => {
    if (!quiet) (toStdout ? io.out : io.err)(s);
  };
  if (json) {
    if (!quiet) io.out(JSON.stringify(summary) + '\n');
  } else {
    if (writer !== undefined) say(`wrote ${predictions.length} predictions (${field}) to ${outPath}\n`);
    say(formatMetrics(metrics));
  }
  return EXIT_OK;
}

function describeOutput(model: Model, loss: LossName): string {
  const kind = model instanceof LinearLearner ? model.labelKind : undefined;
  switch (loss) {
    case 'logistic':
      return `probability of the positive class (label ${kind === 'zeroone' ? '1' : '+1'}), logistic model`;
    case 'squared':
      return model instanceof LinearLearner
        ? 'predicted value (w·x + b), squared-loss model'
        : 'predicted value, network (squared error)';
    case 'hinge':
      return 'margin w·x + b (positive: class +1), hinge-loss model';
    case 'softmax':
      return `predicted class (0..${(model as LinearLearner).classes - 1}), softmax model`;
  }
}

/** Options that change how the input is read or what is predicted must match the model's. */
function checkCompatible(o: Options, model: Model, features: FeatureRecord, file: string): Format {
  const clash = (flag: string, asked: unknown, saved: unknown): void => {
    if (asked !== undefined && asked !== saved) {
      throw new CliError(
        `predict: the model was trained with --${flag} ${String(saved)}, but --${flag} ${String(asked)} was asked`,
      );
    }
  };
  if (model instanceof LinearLearner) clash('bits', o.number('bits'), features.bits);
  else if (o.has('bits'))
    throw new CliError('predict: --bits does not apply to a network model (dense inputs)');
  clash('loss', o.string('loss'), lossOf(model));
  const format = resolveFormat(file, o.string('format') as Format | undefined);
  const trained = features.format;
  if (trained !== 'auto' && format !== trained) {
    throw new CliError(
      `predict: the model was trained on ${trained} input, but ${file} is read as ${format}` +
        (o.has('format') ? '' : ` (pass --format ${trained} if it is ${trained})`),
    );
  }
  return format;
}

type Metrics = Record<string, number | null>;

function computeMetrics(loss: LossName, labels: number[], predictions: number[]): Metrics {
  if (loss === 'squared') return { ...regressionMetrics(labels, predictions) };
  if (loss === 'softmax') {
    const { count, accuracy } = multiclassMetrics(labels, predictions);
    return { count, accuracy };
  }
  if (loss === 'hinge') {
    // Margins, not probabilities: class by sign, AUC by margin; log loss does not apply.
    const m = classificationMetrics(
      labels,
      predictions.map((s) => (s > 0 ? 1 : 0)),
    );
    const { count, accuracy, precision, recall, f1 } = m;
    return { count, accuracy, auc: rocAuc(labels, predictions), precision, recall, f1 };
  }
  return { ...classificationMetrics(labels, predictions) };
}

function formatMetrics(metrics: Metrics): string {
  const names: Record<string, string> = {
    count: 'examples',
    accuracy: 'accuracy',
    logLoss: 'log loss',
    auc: 'AUC',
    precision: 'precision',
    recall: 'recall',
    f1: 'F1',
    rmse: 'RMSE',
    mae: 'MAE',
    r2: 'R²',
  };
  return Object.entries(metrics)
    .map(([key, value]) => {
      const shown =
        value === null || Number.isNaN(value)
          ? 'n/a (all labels alike)'
          : key === 'count'
            ? String(value)
            : key === 'accuracy' || key === 'precision' || key === 'recall'
              ? `${(100 * value).toFixed(2)}%`
              : value.toFixed(6);
      return `${(names[key] ?? key).padEnd(11)}${shown}\n`;
    })
    .join('');
}
