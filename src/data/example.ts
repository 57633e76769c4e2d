/**
 * The record every reader yields and the learner consumes: one labelled, weighted sparse row.
 * The learner builds against exactly these names, so keep them stable.
 */
export interface Example {
  /** As read from the source; the learner maps it to its loss (e.g. 0/1 or -1/+1 for logistic). */
  label: number;
  /** Importance weight: 1 unless the format gives one (VW's `label weight`). */
  weight: number;
  /** Feature indices: < 2^bits when hashed, or the raw (usually 1-based) LIBSVM index. */
  indices: Uint32Array;
  /** Feature values, same length as `indices`. */
  values: Float32Array;
  /** 1-based source line, for error messages. */
  line: number;
  /** VW tag, when present. */
  tag?: string;
}

/** Counts a reader keeps while it streams; filled in as it goes, final when the iteration ends. */
export interface ReadStats {
  /** Lines seen, including blank, comment and skipped lines (the CSV header counts too). */
  lines: number;
  /** Examples yielded. */
  examples: number;
  /** Malformed lines skipped because `skipBadLines` was set. */
  badLines: number;
  /** Input bytes consumed (after gunzip). */
  bytes: number;
}

export function emptyStats(): ReadStats {
  return { lines: 0, examples: 0, badLines: 0, bytes: 0 };
}
