/**
 * A small table-driven argument parser. Each command declares its options once (name, kind, range,
 * help); the same table parses, validates, suggests the nearest flag for a typo, and writes --help.
 * Numbers are checked against their range here, so every message names the flag.
 */
import { UsageError } from './errors.js';

export type OptionKind = 'boolean' | 'string' | 'number' | 'integer' | 'choice';

export interface OptionSpec {
  name: string;
  kind: OptionKind;
  help: string;
  /** Shown in --help after the flag, e.g. FILE or N. */
  placeholder?: string;
  choices?: readonly string[];
  /** Inclusive lower bound, or exclusive when `minExclusive`. */
  min?: number;
  minExclusive?: boolean;
  /** Inclusive upper bound, or exclusive when `maxExclusive`. */
  max?: number;
  maxExclusive?: boolean;
  /** Shown in --help; the command applies its own defaults. */
  defaultText?: string;
}

export interface CommandSpec {
  name: string;
  /** What the command does, for its --help; its first sentence is its line in `adagrad --help`. */
  summary: string;
  usage: string;
  options: readonly OptionSpec[];
  /** Names of positional arguments, in order; the last may be optional (written `[FILE]`). */
  positionals: { min: number; max: number };
}

export type OptionValue = string | number | boolean;

export interface ParsedArgs {
  options: Map<string, OptionValue>;
  positionals: string[];
}

/** Parses `args` against the command's table; throws UsageError naming the flag on any problem. */
export function parseArgs(spec: CommandSpec, args: readonly string[]): ParsedArgs {
  const byName = new Map(spec.options.map((o) => [o.name, o]));
  const options = new Map<string, OptionValue>();
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = flag.replace(/^--?/, '');
    const option = byName.get(name);
    if (option === undefined || !flag.startsWith('--')) {
      throw new UsageError(unknownOptionMessage(flag, spec));
    }
    if (options.has(name)) throw new UsageError(`option --${name} given twice`);
    if (option.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      options.set(name, true);
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      if (i + 1 >= args.length)
        throw new UsageError(`option --${name} needs a value (${describeKind(option)})`);
      raw = args[++i];
    }
    options.set(name, convert(option, raw));
  }
  const { min, max } = spec.positionals;
  if (positionals.length < min) {
    throw new UsageError(`${spec.name}: missing argument (usage: ${spec.usage})`);
  }
  if (positionals.length > max) {
    throw new UsageError(`${spec.name}: unexpected argument '${positionals[max]}' (usage: ${spec.usage})`);
  }
  return { options, positionals };
}

function describeKind(option: OptionSpec): string {
  switch (option.kind) {
    case 'choice':
      return `one of ${option.choices!.join(', ')}`;
    case 'integer':
      return `an integer${rangeText(option)}`;
    case 'number':
      return `a number${rangeText(option)}`;
    default:
      return option.placeholder ?? 'a value';
  }
}

function rangeText(option: OptionSpec): string {
  const parts: string[] = [];
  if (option.min !== undefined) parts.push(`${option.minExclusive ? '>' : '>='} ${option.min}`);
  if (option.max !== undefined) parts.push(`${option.maxExclusive ? '<' : '<='} ${option.max}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

function convert(option: OptionSpec, raw: string): OptionValue {
  const flag = `--${option.name}`;
  if (option.kind === 'string') {
    if (raw === '') throw new UsageError(`option ${flag} needs a non-empty value`);
    return raw;
  }
  if (option.kind === 'choice') {
    if (!option.choices!.includes(raw)) {
      const near = nearest(raw, option.choices!);
      const hint = near === undefined ? '' : ` (did you mean ${near}?)`;
      throw new UsageError(
        `option ${flag}: unknown value '${raw}'${hint}; expected one of ${option.choices!.join(', ')}`,
      );
    }
    return raw;
  }
  // Number() accepts '', ' ', '0x10' and 'Infinity': only plain decimal numbers are numbers here.
  const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(value)) {
    throw new UsageError(`option ${flag}: expected ${describeKind(option)}, got '${raw}'`);
  }
  if (option.kind === 'integer' && !Number.isInteger(value)) {
    throw new UsageError(`option ${flag}: expected ${describeKind(option)}, got '${raw}'`);
  }
  const tooLow = option.min !== undefined && (option.minExclusive ? value <= option.min : value < option.min);
  const tooHigh =
    option.max !== undefined && (option.maxExclusive ? value >= option.max : value > option.max);
  if (tooLow || tooHigh) {
    throw new UsageError(`option ${flag}: ${raw} is out of range; expected ${describeKind(option)}`);
  }
  return value;
}

function unknownOptionMessage(flag: string, spec: CommandSpec): string {
  const name = flag.replace(/^-+/, '');
  const near = nearest(
    name,
    spec.options.map((o) => o.name),
  );
  const hint = near === undefined ? '' : ` (did you mean --${near}?)`;
  return `unknown option ${flag}${hint}; see adagrad ${spec.name} --help`;
}

/** The candidate closest to `word` by edit distance, when close enough to be a plausible typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = levenshtein(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Edit distance (insertions, deletions, substitutions), one row at a time. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Typed accessors so commands read options without casts. */
export class Options {
  constructor(private readonly values: Map<string, OptionValue>) {}
  has(name: string): boolean {
    return this.values.has(name);
  }
  flag(name: string): boolean {
    return this.values.get(name) === true;
  }
  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined ? fallback : String(v);
  }
  number(name: string): number | undefined;
  number(name: string, fallback: number): number;
  number(name: string, fallback?: number): number | undefined {
    const v = this.values.get(name);
    return v === undefined ? fallback : (v as number);
  }
}

/**
 * The command's line in `adagrad --help`: the summary's first sentence, whole (a summary is wrapped
 * at 100 columns, so its first line usually stops mid-sentence).
 */
export function firstSentence(summary: string): string {
  const flat = summary.replace(/\s*\n\s*/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  return end < 0 ? flat : flat.slice(0, end + 1);
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The --help text of a command, generated from its table. */
export function commandHelp(spec: CommandSpec): string {
  const rows = spec.options.map((o) => {
    const left = `  --${o.name}${o.kind === 'boolean' ? '' : ` ${o.placeholder ?? (o.kind === 'choice' ? o.choices!.join('|') : 'N')}`}`;
    const def = o.defaultText === undefined ? '' : ` (default ${o.defaultText})`;
    return [left, `${o.help}${def}`] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([l]) => l.length)) + 2);
  const lines = rows.map(([l, r]) =>
    l.length + 2 > width ? `${l}\n${' '.repeat(width)}${r}` : l.padEnd(width) + r,
  );
  return `usage: ${spec.usage}\n\n${spec.summary}\n\noptions:\n${lines.join('\n')}\n`;
}
