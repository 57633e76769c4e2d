import type { Example } from './example.js';

/** Per-format parser of one line of bytes. Formats keep their own state (the CSV header). */
export interface LineParser {
  /**
   * The example on line `line` (1-based) of `bytes[start, end)`, or null when the line holds none
   * (blank, comment, CSV header). Throws DataError (with the line, without the file) on bad input.
   */
  parse(bytes: Uint8Array, start: number, end: number, line: number): Example | null;
  /** Names of the feature indices, when the format knows them (CSV: its header). */
  featureNames?: string[];
  /** The rows handed out so far are done with: their memory may hold the next rows. */
  recycle?(): void;
}

/** Options every format understands. */
export interface ParseOptions {
  /**
   * Hash space size 2^bits (1..28). Hashed formats (VW, JSON lines) map names into [0, 2^bits);
   * LIBSVM and CSV, whose indices are given, reject indices beyond the space. Default 18 for hashed
   * formats; unchecked for LIBSVM and CSV when left out.
   */
  bits?: number;
  /** CSV: the header name of the label column (default "label"). */
  labelColumn?: string;
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/** The whitespace-delimited token at `pos`, as text, for error messages. */
export function tokenAt(bytes: Uint8Array, pos: number, end: number, stopAt = -1): string {
  let stop = pos;
  while (stop < end && !isSpace(bytes[stop]) && bytes[stop] !== stopAt) stop++;
  return new TextDecoder().decode(bytes.subarray(pos, stop)) || '<end of line>';
}
