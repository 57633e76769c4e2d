/**
 * `adagrad trace`: the explainer's trajectories on the command line. The path comes from the
 * library's trace() with the library's optimizer, so it is the very curve the lesson page draws.
 */
import { type CommandSpec, Options, parseArgs } from '../args.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { OPTIMIZER_NAMES, type OptimizerName, PRESET_NAMES } from '../optimizers.js';
import { getLandscape, LANDSCAPE_IDS, type LandscapeId, trace } from '../../landscapes/index.js';
import { type AdagradPreset, createOptimizer } from '../../optim/index.js';

/** Rates that make each optimizer's path on the default valley worth looking at. */
const TRACE_LR: Record<OptimizerName, number> = {
  adagrad: 0.4,
  sgd: 0.05,
  rmsprop: 0.05,
  adam: 0.1,
  adamw: 0.1,
  adadelta: 1,
  ftrl: 0.5,
  'adagrad-da': 0.4,
  'adagrad-norm': 0.4,
  'sparse-adam': 0.1,
  'full-matrix-adagrad': 0.4,
};

export const traceSpec: CommandSpec = {
  name: 'trace',
  summary:
    "Runs an optimizer on a 2-D landscape and prints every step.\nEach step has its position, loss, gradient, the optimizer's accumulator and its effective\nper-coordinate learning rate (the explainer's figures, as data).",
  usage:
    'adagrad trace [--landscape valley] [--optimizer adagrad] [--lr 0.4] [--steps 100] [--format csv|json]',
  positionals: { min: 0, max: 0 },
  options: [
    {
      name: 'landscape',
      kind: 'choice',
      choices: LANDSCAPE_IDS,
      help: 'the 2-D function',
      defaultText: 'valley',
    },
    {
      name: 'optimizer',
      kind: 'choice',
      choices: OPTIMIZER_NAMES,
      help: 'the optimizer',
      defaultText: 'adagrad',
    },
    {
      name: 'preset',
      kind: 'choice',
      choices: PRESET_NAMES,
      help: "AdaGrad's convention",
      defaultText: 'pytorch',
    },
    {
      name: 'lr',
      kind: 'number',
      min: 0,
      minExclusive: true,
      placeholder: 'RATE',
      help: 'learning rate',
      defaultText: '0.4 for adagrad',
    },
    { name: 'steps', kind: 'integer', min: 0, max: 1_000_000, help: 'number of steps', defaultText: '100' },
    {
      name: 'start',
      kind: 'string',
      placeholder: 'X,Y',
      help: 'start point',
      defaultText: "the landscape's",
    },
    {
      name: 'sparsity',
      kind: 'number',
      min: 0,
      max: 1,
      placeholder: 'P',
      help: 'probability of dropping the y gradient each step',
      defaultText: '0',
    },
    {
      name: 'seed',
      kind: 'integer',
      min: 0,
      max: 2 ** 32 - 1,
      help: 'seed of the sparsity draws',
      defaultText: '1',
    },
    { name: 'format', kind: 'choice', choices: ['csv', 'json'], help: 'output format', defaultText: 'csv' },
    { name: 'help', kind: 'boolean', help: 'show this help' },
  ],
};

const COLUMNS = [
  'step',
  'x',
  'y',
  'loss',
  'gx',
  'gy',
  'acc_x',
  'acc_y',
  'rate_x',
  'rate_y',
  'dropped_y',
] as const;

export function runTrace(args: readonly string[], io: Io): number {
  const options = new Options(parseArgs(traceSpec, args).options);
  const landscape = getLandscape(options.string('landscape', 'valley') as LandscapeId);
  const optimizer = options.string('optimizer', 'adagrad') as OptimizerName;
  const lr = options.number('lr', TRACE_LR[optimizer]);
  const preset = options.string('preset') as AdagradPreset | undefined;
  const start = options.has('start') ? parseStart(options.string('start', '')) : landscape.defaultStart;
  const result = trace(
    (params) => createOptimizer(optimizer, params, { lr, preset }),
    landscape,
    start,
    options.number('steps', 100),
    { sparsity: options.number('sparsity', 0), seed: options.number('seed', 1) },
  );
  const rows: (number | boolean | null)[][] = [
    [0, start[0], start[1], landscape.f(start[0], start[1]), null, null, null, null, null, null, null],
  ];
  result.steps.forEach((s, i) => {
    rows.push([
      i + 1,
      s.to[0],
      s.to[1],
      s.loss,
      s.grad[0],
      s.grad[1],
      s.accumulator[0],
      s.accumulator[1],
      s.effectiveLr[0],
      s.effectiveLr[1],
      s.droppedY,
    ]);
  });
  if (options.string('format', 'csv') === 'json') {
    io.out(
      JSON.stringify({
        landscape: landscape.id,
        optimizer,
        lr,
        ...(preset ? { preset } : {}),
        start,
        diverged: result.diverged,
        columns: COLUMNS,
        steps: rows.map((row) => Object.fromEntries(COLUMNS.map((c, j) => [c, row[j]]))),
      }) + '\n',
    );
  } else {
    io.out(
      `# ${optimizer} lr=${lr} on ${landscape.id}${result.diverged ? ' (diverged: stopped early)' : ''}\n`,
    );
    io.out(COLUMNS.join(',') + '\n');
    for (const row of rows) io.out(row.map((v) => (v === null ? '' : String(v))).join(',') + '\n');
  }
  return 0;
}

function parseStart(text: string): [number, number] {
  const parts = text.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || !numbers.every(Number.isFinite)) {
    throw new UsageError(`option --start: expected two numbers X,Y, got '${text}'`);
  }
  return [numbers[0], numbers[1]];
}
