import { describe, expect, it } from 'vitest';
import { type CommandSpec, levenshtein, nearest, parseArgs } from '../src/cli/args.js';
import { UsageError } from '../src/cli/errors.js';
import { trainSpec } from '../src/cli/commands/train.js';

const spec: CommandSpec = trainSpec;

function usageError(args: string[]): string {
  try {
    parseArgs(spec, args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${args.join(' ')} to be refused`);
}

describe('levenshtein and nearest', () => {
  it('counts edits as in the textbook examples', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('lr', 'lr')).toBe(0);
  });

  it('suggests only plausible typos', () => {
    expect(nearest('lrr', ['lr', 'l2', 'loss'])).toBe('lr');
    expect(nearest('pases', ['passes', 'preset'])).toBe('passes');
    expect(nearest('zzzzzzzz', ['lr', 'passes'])).toBeUndefined();
  });
});

describe('parseArgs', () => {
  it('reads values in both spellings and positionals', () => {
    const parsed = parseArgs(spec, ['data.svm', '--lr', '0.25', '--passes=3', '--json']);
    expect(parsed.positionals).toEqual(['data.svm']);
    expect(parsed.options.get('lr')).toBe(0.25);
    expect(parsed.options.get('passes')).toBe(3);
    expect(parsed.options.get('json')).toBe(true);
  });

  it('names the nearest flag for an unknown one', () => {
    expect(usageError(['--lrr', '1'])).toBe(
      'unknown option --lrr (did you mean --lr?); see adagrad train --help',
    );
  });

  it.each([
    [['--bits', '0'], '--bits: 0 is out of range'],
    [['--bits', '29'], '--bits: 29 is out of range'],
    [['--bits', '18.5'], '--bits: expected an integer'],
    [['--lr', '0'], '--lr: 0 is out of range'],
    [['--lr', '-1'], '--lr: -1 is out of range'],
    [['--lr', 'fast'], "--lr: expected a number > 0, got 'fast'"],
    [['--lr', 'Infinity'], "got 'Infinity'"],
    [['--passes', '0'], '--passes: 0 is out of range'],
    [['--passes', '1.5'], '--passes: expected an integer'],
    [['--holdout-fraction', '1'], '--holdout-fraction: 1 is out of range'],
    [['--holdout-fraction', '-0.1'], '--holdout-fraction: -0.1 is out of range'],
    [['--loss', 'logstic'], "unknown value 'logstic' (did you mean logistic?)"],
    [['--lr'], 'option --lr needs a value'],
    [['--lr', '1', '--lr', '2'], 'option --lr given twice'],
    [['a.svm', 'b.svm'], "unexpected argument 'b.svm'"],
  ])('refuses %j naming the flag', (args, message) => {
    expect(usageError(args)).toContain(message);
  });

  it('accepts the edges of the ranges', () => {
    expect(parseArgs(spec, ['--bits', '1']).options.get('bits')).toBe(1);
    expect(parseArgs(spec, ['--bits', '28']).options.get('bits')).toBe(28);
    expect(parseArgs(spec, ['--holdout-fraction', '0']).options.get('holdout-fraction')).toBe(0);
    expect(parseArgs(spec, ['--lr', '1e-3']).options.get('lr')).toBe(0.001);
  });
});
