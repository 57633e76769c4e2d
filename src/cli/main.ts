#!/usr/bin/env node
/**
 * The `adagrad` command. The only place in the project that prints or exits: every failure becomes
 * one line on stderr (a stack only with ADAGRAD_DEBUG=1), exit 2 for usage mistakes, 1 for the rest,
 * 130 after Ctrl-C (training saves first).
 */
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandHelp, type CommandSpec, firstSentence, nearest, wrap } from './args.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, exitCodeFor, oneLine, UsageError } from './errors.js';
import { type Io, processIo } from './io.js';

interface Command {
  spec: CommandSpec;
  run(args: readonly string[], io: Io): number | Promise<number>;
}

/**
 * Each command's module is loaded when that command runs (or for the help): Node loads ES modules
 * one by one, ~0.5 ms each, and a short `train` or `predict` needs fewer than half of them.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  train: async () => {
    const { trainSpec, runTrain } = await import('./commands/train.js');
    return { spec: trainSpec, run: runTrain };
  },
  predict: async () => {
    const { predictSpec, runPredict } = await import('./commands/predict.js');
    return { spec: predictSpec, run: runPredict };
  },
  compare: async () => {
    const { compareSpec, runCompare } = await import('./commands/compare.js');
    return { spec: compareSpec, run: runCompare };
  },
  trace: async () => {
    const { traceSpec, runTrace } = await import('./commands/trace.js');
    return { spec: traceSpec, run: runTrace };
  },
  dataset: async () => {
    const { datasetSpec, runDataset } = await import('./commands/dataset.js');
    return { spec: datasetSpec, run: runDataset };
  },
  worker: async () => {
    const { workerSpec, runWorkerCommand } = await import('./commands/worker.js');
    return { spec: workerSpec, run: runWorkerCommand };
  },
  ps: async () => {
    const { psSpec, runPs } = await import('./commands/ps.js');
    return { spec: psSpec, run: runPs };
  },
};
const NAMES = Object.keys(COMMANDS);

export function version(): string {
  // src/cli/main.ts, dist/cli/main.js and the bundled dist/bin/adagrad.js all sit two levels below package.json.
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return pkg.version;
}

/** The width the help is written for (summaries are wrapped at it). */
const HELP_COLUMNS = 100;

async function mainHelp(): Promise<string> {
  const specs = await Promise.all(NAMES.map(async (name) => (await COMMANDS[name]()).spec));
  const width = Math.max(...specs.map((spec) => spec.name.length)) + 4;
  const indent = ' '.repeat(2 + width);
  const commands = specs.map((spec) =>
    wrap(firstSentence(spec.summary), HELP_COLUMNS - indent.length)
      .map((line, i) => (i === 0 ? `  ${spec.name.padEnd(width)}` : indent) + line)
      .join('\n'),
  );
  return (
    'usage: adagrad <command> [options]\n\n' +
    'Online learning with AdaGrad on sparse data, and the optimizer family on the command line.\n\n' +
    `commands:\n${commands.join('\n')}\n\n` +
    'adagrad <command> --help   options of a command\n' +
    'adagrad --version          the version\n\n' +
    'Errors are one line on stderr; exit 1 for bad input, 2 for a bad command line, 130 after Ctrl-C.\n' +
    'ADAGRAD_DEBUG=1 prints the stack of an error.\n'
  );
}

/** Runs the command line `argv` (without node and the script); returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // No command is a usage mistake: the help goes to stderr, as with other errors.
    io.err(await mainHelp());
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(await mainHelp());
    return EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.out(`adagrad ${version()}\n`);
    return EXIT_OK;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    const near = nearest(name.replace(/^-+/, ''), NAMES);
    const what = name.startsWith('-') ? 'option' : 'command';
    throw new UsageError(
      `unknown ${what} '${name}'${near ? ` (did you mean ${near}?)` : ''}; see adagrad --help`,
    );
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command.spec));
    return EXIT_OK;
  }
  return command.run(rest, io);
}

export async function main(argv: readonly string[]): Promise<number> {
  const state = { interrupted: false };
  const io = processIo(state);
  const onSigint = (): void => {
    // A second Ctrl-C leaves at once, as users expect when saving hangs.
    if (state.interrupted) process.exit(EXIT_INTERRUPTED);
    state.interrupted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(argv, io);
  } catch (error) {
    process.stderr.write(`adagrad: ${oneLine(error)}\n`);
    if (process.env.ADAGRAD_DEBUG === '1' && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    return exitCodeFor(error);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function isEntryPoint(): boolean {
  if (process.argv[1] === undefined) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2));
  // Let pending output drain rather than calling process.exit(), which may cut a piped stdout short.
  process.exitCode = code;
}
