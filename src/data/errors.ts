/**
 * Every error raised for bad data: the message names the source, the 1-based line, and what was
 * expected, in the compiler-style form `spam.svm:17: expected index:value, got 'abc'`.
 */
export class DataError extends Error {
  /** Source file name (or `<stdin>`, `<input>`), when known. */
  readonly file: string | undefined;
  /** 1-based line number, when the problem is on one line. */
  readonly line: number | undefined;
  /** The problem itself, without the location prefix. */
  readonly reason: string;

  constructor(reason: string, where: { file?: string; line?: number } = {}) {
    super(formatLocation(where.file, where.line) + reason);
    this.name = 'DataError';
    this.file = where.file;
    this.line = where.line;
    this.reason = reason;
  }

  /** The same error attributed to a file (parsers know the line; the reader knows the file). */
  inFile(file: string): DataError {
    return new DataError(this.reason, { file, line: this.line });
  }
}

function formatLocation(file: string | undefined, line: number | undefined): string {
  if (file !== undefined && line !== undefined) return `${file}:${line}: `;
  if (file !== undefined) return `${file}: `;
  if (line !== undefined) return `line ${line}: `;
  return '';
}

/** Shows an offending token in an error message, clipped so a huge line cannot flood the terminal. */
export function quoteToken(text: string): string {
  const clipped = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `'${clipped}'`;
}
