/**
 * The browser-safe core of every reader: feed it byte chunks, get examples back. It numbers lines,
 * attributes errors to the source, counts and skips bad lines when asked, and refuses an input that
 * yields no example. The Node readers (node/read.ts) only add files, stdin and gzip around it.
 */
import type { Example, ReadStats } from './example.js';
import { emptyStats } from './example.js';
import { DataError } from './errors.js';
import { type Format, checkFormat, lineParser } from './format.js';
import type { LineParser, ParseOptions } from './line-parser.js';
import { LineSplitter } from './lines.js';

export interface ExampleParserOptions extends ParseOptions {
  format: Format;
  /** Name used in error messages (a file name, `<stdin>`); default `<input>`. */
  source?: string;
  /** Count and skip malformed lines instead of throwing. */
  skipBadLines?: boolean;
  /** Told about each skipped line (the DataError names file and line). */
  onBadLine?: (error: DataError) => void;
  /**
   * Reuse the memory of the examples' indices and values: those returned by push() or finish()
   * are valid only until the next call. For consumers done with a batch before they read the next
   * (a pass of a learner, a prediction run); it spares new memory for every row, which costs more
   * than filling it.
   */
  reuseRows?: boolean;
}

export class ExampleParser {
  readonly stats: ReadStats = emptyStats();
  readonly source: string;
  private readonly parser: LineParser;
  private readonly splitter = new LineSplitter();
  private readonly skipBadLines: boolean;
  private readonly onBadLine: ((error: DataError) => void) | undefined;
  private readonly reuseRows: boolean;
  private batch: Example[] = [];
  private readonly handleLine = (bytes: Uint8Array, start: number, end: number): void => {
    const line = ++this.stats.lines;
    // A UTF-8 byte-order mark (spreadsheet exports write one) is not part of the first line.
    if (
      line === 1 &&
      end - start >= 3 &&
      bytes[start] === 0xef &&
      bytes[start + 1] === 0xbb &&
      bytes[start + 2] === 0xbf
    ) {
      start += 3;
    }
    let example: Example | null;
    try {
      example = this.parser.parse(bytes, start, end, line);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      const located = error.inFile(this.source);
      if (!this.skipBadLines) throw located;
      this.stats.badLines++;
      this.onBadLine?.(located);
      return;
    }
    if (example !== null) {
      this.stats.examples++;
      this.batch.push(example);
    }
  };

  constructor(options: ExampleParserOptions) {
    this.parser = lineParser(checkFormat(options.format), options);
    this.source = options.source ?? '<input>';
    this.skipBadLines = options.skipBadLines ?? false;
    this.onBadLine = options.onBadLine;
    this.reuseRows = options.reuseRows ?? false;
  }

  /** Names of the feature indices when the format knows them (CSV header), once read. */
  get featureNames(): string[] | undefined {
    return this.parser.featureNames;
  }

  /** Parses every complete line in `chunk`; returns their examples (the partial last line waits). */
  push(chunk: Uint8Array): Example[] {
    this.stats.bytes += chunk.length;
    if (this.reuseRows) this.parser.recycle?.();
    this.splitter.push(chunk, this.handleLine);
    return this.take();
  }

  /** Parses the last line; throws when the whole input held no example. */
  finish(): Example[] {
    if (this.reuseRows) this.parser.recycle?.();
    this.splitter.finish(this.handleLine);
    const rest = this.take();
    if (this.stats.examples === 0) {
      const why =
        this.stats.lines === 0
          ? 'the input is empty'
          : `${this.stats.lines} line(s) read, ${this.stats.badLines} bad line(s) skipped`;
      throw new DataError(`no examples: ${why}`, { file: this.source });
    }
    return rest;
  }

  private take(): Example[] {
    const batch = this.batch;
    this.batch = [];
    return batch;
  }
}

/** Parses a whole in-memory input (text or bytes) at once. */
export function parseExamples(input: string | Uint8Array, options: ExampleParserOptions): Example[] {
  const parser = new ExampleParser(options);
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const examples = parser.push(bytes);
  for (const example of parser.finish()) examples.push(example);
  return examples;
}
