/** `adagrad dataset NAME --out PREFIX`: the data layer's deterministic LIBSVM export of a corpus. */
import { type CommandSpec, Options, parseArgs } from '../args.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { CORPORA, exportDataset } from '../../data/node/index.js';
import { DEFAULT_BITS } from '../../data/hashing.js';
import { bitsOption } from './common-options.js';

export const datasetSpec: CommandSpec = {
  name: 'dataset',
  summary:
    'Writes a bundled corpus as LIBSVM files with a seeded train/test split.\nThe files are PREFIX.train.svm and PREFIX.test.svm (1-based indices), so liblinear, VW or\nscikit-learn can train on exactly our features.\ncorpora: spam (SpamAssassin, +1 spam / -1 ham, hashed words), boston (house prices, regression).',
  usage: 'adagrad dataset <spam|boston> --out PREFIX [--test-fraction 0.2] [--seed 1] [--bits N]',
  positionals: { min: 1, max: 1 },
  options: [
    { name: 'out', kind: 'string', placeholder: 'PREFIX', help: 'output prefix (required)' },
    {
      name: 'test-fraction',
      kind: 'number',
      min: 0,
      max: 1,
      minExclusive: true,
      maxExclusive: true,
      placeholder: 'F',
      help: 'fraction of records in the test file',
      defaultText: '0.2',
    },
    { name: 'seed', kind: 'integer', min: 0, max: 2 ** 32 - 1, help: 'seed of the split', defaultText: '1' },
    { ...bitsOption, help: 'hash space 2^bits for text' },
    { name: 'json', kind: 'boolean', help: 'print the result as JSON' },
    { name: 'quiet', kind: 'boolean', help: 'print only errors' },
    { name: 'help', kind: 'boolean', help: 'show this help' },
  ],
};

export function runDataset(args: readonly string[], io: Io): number {
  const parsed = parseArgs(datasetSpec, args);
  const options = new Options(parsed.options);
  const name = parsed.positionals[0];
  if (!(CORPORA as readonly string[]).includes(name)) {
    throw new UsageError(`dataset: unknown corpus '${name}'; expected one of ${CORPORA.join(', ')}`);
  }
  const prefix = options.string('out');
  if (prefix === undefined) throw new UsageError('dataset: --out PREFIX is required');
  const result = exportDataset(name, prefix, {
    testFraction: options.number('test-fraction', 0.2),
    seed: options.number('seed', 1),
    bits: options.number('bits', DEFAULT_BITS),
  });
  if (options.flag('json')) io.out(JSON.stringify(result) + '\n');
  else if (!options.flag('quiet')) {
    io.out(`wrote ${result.train.path} (${result.train.examples} examples)\n`);
    io.out(`wrote ${result.test.path} (${result.test.examples} examples)\n`);
  }
  return 0;
}
