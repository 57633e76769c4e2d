/**
 * `adagrad compare`: the same data, one training run per optimizer, a table and an SVG plot of
 * progressive loss against examples seen (a PNG too where asked).
 */
import { writeFileAtomic } from '../../data/node/index.js';
import type { Format } from '../../data/index.js';
import { DEFAULT_BITS } from '../../data/hashing.js';
import { type CommandSpec, nearest, Options, parseArgs } from '../args.js';
import { CliError, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { DEFAULT_LR, type LossName } from '../../learn/index.js';
import { learnerFromFlags } from '../learner.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../optimizers.js';
import { type ExampleSource, fileSource, passesSource, spamDemo } from '../source.js';
import { lineChartSvg } from '../svg-plot.js';
import { train, type TrainingResult } from '../training.js';
import {
  bitsOption,
  formatOption,
  helpOption,
  jsonOption,
  l1Option,
  l2Option,
  labelColumnOption,
  lossOption,
  quietOption,
  skipBadLinesOption,
} from './common-options.js';

export const compareSpec: CommandSpec = {
  name: 'compare',
  summary:
    'Trains one model per optimizer on the same data and compares them.\n' +
    'It prints a table of final progressive loss, accuracy and time, and plots progressive loss\n' +
    'against examples (SVG, log x axis), and counts the nonzero weights of each model (--l1: sparse\n' +
    'models with ftrl, adagrad-da and adagrad). Every optimizer but AdamW and Adadelta updates only\n' +
    'the features an example has (Adam and RMSprop lazily, as SparseAdam); those two move every\n' +
    'weight every step (O(2^bits) per example).\n' +
    'With no FILE, compares on the bundled spam corpus.',
  usage: 'adagrad compare [FILE] --optimizers adagrad,sgd,rmsprop,adam --plot out.svg [--png out.png]',
  positionals: { min: 0, max: 1 },
  options: [
    {
      name: 'optimizers',
      kind: 'string',
      placeholder: 'LIST',
      help: 'comma-separated optimizers',
      defaultText: 'adagrad,sgd,rmsprop,adam',
    },
    { name: 'plot', kind: 'string', placeholder: 'out.svg', help: 'write the SVG plot here' },
    { name: 'png', kind: 'string', placeholder: 'out.png', help: 'also render the plot to PNG' },
    {
      name: 'lr',
      kind: 'string',
      placeholder: 'RATES',
      help: 'one rate for all, or per optimizer: adagrad=0.5,adam=0.01',
      defaultText: "the learner's per optimizer",
    },
    lossOption,
    bitsOption,
    l1Option,
    l2Option,
    { name: 'passes', kind: 'integer', min: 1, max: 1000, help: 'passes over the data', defaultText: '1' },
    formatOption,
    labelColumnOption,
    skipBadLinesOption,
    jsonOption,
    quietOption,
    helpOption,
  ],
};

interface Run {
  optimizer: OptimizerName;
  lr: number;
  result: TrainingResult;
  nonzeroWeights: number;
}

export async function runCompare(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(compareSpec, args);
  const o = new Options(parsed.options);
  const file = parsed.positionals[0];
  const optimizers = parseOptimizers(o.string('optimizers', 'adagrad,sgd,rmsprop,adam'));
  const rates = parseRates(o.string('lr'), optimizers);
  const loss = o.string('loss', 'logistic') as LossName;
  if (loss === 'softmax')
    throw new UsageError('compare: --loss softmax is not supported here; use train --classes');
  const bits = o.number('bits', DEFAULT_BITS);
  const json = o.flag('json');
  const quiet = o.flag('quiet');
  const text = (s: string): void => {
    if (!json && !quiet) io.out(s);
  };

  let source: ExampleSource;
  if (file === undefined) {
    source = (await spamDemo(bits)).train;
    text('no FILE given: comparing on the bundled SpamAssassin corpus (train split)\n');
  } else {
    source = await fileSource(file, {
      format: o.string('format') as Format | undefined,
      bits,
      labelColumn: o.string('label-column'),
      skipBadLines: o.flag('skip-bad-lines'),
      // Every optimizer reads the data once: a small file is parsed for the first and kept for the
      // others; a larger one is read again by each (compare writes no cache beside its input).
      cache:
        passesSource(file, { passes: optimizers.length, cacheAsked: false, noCache: false }) === 'memory'
          ? 'memory'
          : false,
    });
  }

  const runs: Run[] = [];
  for (const optimizer of optimizers) {
    const lr = rates.get(optimizer)!;
    // --l1 goes to the optimizers that make sparse models; the others train without it.
    const l1 = L1_OPTIMIZERS.includes(optimizer) ? o.number('l1') : undefined;
    const learner = learnerFromFlags('compare', { loss, bits, l1, l2: o.number('l2'), optimizer, lr });
    text(`${optimizer}: ${learner.describeUpdates()}\n`);
    const result = await train(
      learner,
      loss,
      source,
      { passes: o.number('passes', 1), holdoutFraction: 0, patience: 0 },
      { shouldStop: io.interrupted },
    );
    const nonzeroWeights = learner.nonzeroWeights();
    runs.push({ optimizer, lr, result, nonzeroWeights });
    if (json && !quiet) {
      io.out(
        JSON.stringify({
          event: 'run',
          optimizer,
          lr,
          examples: result.examples,
          averageLoss: result.averageLoss,
          accuracy: result.progressiveAccuracy ?? null,
          nonzeroWeights,
          seconds: result.seconds,
          curve: result.curve,
        }) + '\n',
      );
    }
    if (result.interrupted) {
      io.err('adagrad: interrupted: compare stopped; no plot written\n');
      return EXIT_INTERRUPTED;
    }
  }

  text(
    `\n${'optimizer'.padEnd(13)}${'lr'.padStart(8)}${'examples'.padStart(10)}${'final loss'.padStart(12)}${'accuracy'.padStart(10)}${'nonzeros'.padStart(10)}${'time (s)'.padStart(10)}\n`,
  );
  for (const { optimizer, lr, result, nonzeroWeights } of runs) {
    const accuracy =
      result.progressiveAccuracy === undefined ? 'n/a' : `${(100 * result.progressiveAccuracy).toFixed(2)}%`;
    text(
      optimizer.padEnd(13) +
        String(lr).padStart(8) +
        String(result.examples).padStart(10) +
        result.averageLoss.toFixed(6).padStart(12) +
        accuracy.padStart(10) +
        String(nonzeroWeights).padStart(10) +
        result.seconds.toFixed(3).padStart(10) +
        '\n',
    );
  }
  text('(loss and accuracy are progressive: each example predicted before it is learned)\n');

  const plotPath = o.string('plot');
  const pngPath = o.string('png');
  if (plotPath !== undefined || pngPath !== undefined) {
    const svg = lineChartSvg(
      runs.map((r) => ({ name: `${r.optimizer} (lr ${r.lr})`, points: r.result.curve })),
      {
        title: `Progressive ${loss} loss on ${source.name}`,
        xLabel: 'examples seen (log scale)',
        yLabel: 'average progressive loss',
      },
    );
    if (plotPath !== undefined) {
      writeFileAtomic(plotPath, svg);
      text(`plot: ${plotPath}\n`);
    }
    if (pngPath !== undefined) {
      writeFileAtomic(pngPath, await renderPng(svg));
      text(`png: ${pngPath}\n`);
    }
  }
  if (json && !quiet) {
    io.out(
      JSON.stringify({
        event: 'summary',
        data: source.name,
        loss,
        bits,
        plot: plotPath ?? null,
        png: pngPath ?? null,
        l1: o.number('l1', 0),
        runs: runs.map(({ optimizer, lr, result, nonzeroWeights }) => ({
          optimizer,
          lr,
          examples: result.examples,
          averageLoss: result.averageLoss,
          accuracy: result.progressiveAccuracy ?? null,
          nonzeroWeights,
          seconds: result.seconds,
        })),
      }) + '\n',
    );
  }
  return EXIT_OK;
}

/** The optimizers --l1 applies to (the learner's sparse models). */
const L1_OPTIMIZERS: readonly OptimizerName[] = ['ftrl', 'adagrad-da', 'adagrad'];

function parseOptimizers(list: string): OptimizerName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('option --optimizers: expected a comma-separated list');
  for (const name of names) {
    if (!(OPTIMIZER_NAMES as readonly string[]).includes(name)) {
      const near = nearest(name, OPTIMIZER_NAMES);
      throw new UsageError(
        `option --optimizers: unknown optimizer '${name}'${near ? ` (did you mean ${near}?)` : ''}; expected some of ${OPTIMIZER_NAMES.join(', ')}`,
      );
    }
  }
  if (new Set(names).size !== names.length)
    throw new UsageError('option --optimizers: an optimizer is listed twice');
  return names as OptimizerName[];
}

function parseRates(text: string | undefined, optimizers: OptimizerName[]): Map<OptimizerName, number> {
  const rates = new Map(optimizers.map((name) => [name, DEFAULT_LR[name]]));
  if (text === undefined) return rates;
  const checkRate = (raw: string, what: string): number => {
    const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!(value > 0 && Number.isFinite(value)))
      throw new UsageError(`option --lr: ${what} must be a number > 0, got '${raw}'`);
    return value;
  };
  if (!text.includes('=')) {
    const value = checkRate(text, 'the rate');
    for (const name of optimizers) rates.set(name, value);
    return rates;
  }
  for (const part of text.split(',')) {
    const [name, raw] = part.split('=').map((s) => s.trim());
    if (!rates.has(name as OptimizerName)) {
      throw new UsageError(`option --lr: '${name}' is not among --optimizers ${optimizers.join(',')}`);
    }
    rates.set(name as OptimizerName, checkRate(raw ?? '', `the rate of ${name}`));
  }
  return rates;
}

async function renderPng(svg: string): Promise<Uint8Array> {
  try {
    const { Resvg } = await import('@resvg/resvg-js');
    const rendered = new Resvg(svg, { background: '#ffffff', fitTo: { mode: 'zoom', value: 2 } }).render();
    return rendered.asPng();
  } catch (error) {
    throw new CliError(
      `--png: could not render the plot (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
