import { DataError } from './errors.js';
import { csvParser } from './csv.js';
import { jsonlParser } from './jsonl.js';
import { libsvmParser } from './libsvm.js';
import type { LineParser, ParseOptions } from './line-parser.js';
import { vwParser } from './vw.js';

export const FORMATS = ['libsvm', 'vw', 'csv', 'jsonl'] as const;
export type Format = (typeof FORMATS)[number];

const BY_EXTENSION: Record<string, Format> = {
  svm: 'libsvm',
  libsvm: 'libsvm',
  svmlight: 'libsvm',
  txt: 'libsvm',
  vw: 'vw',
  csv: 'csv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
};

/**
 * The format of `name` from its extension, looking through a trailing `.gz` (`a.svm.gz` is LIBSVM).
 * Throws a DataError naming the file and the choices when the extension says nothing.
 */
export function formatFromName(name: string): Format {
  const parts = name.toLowerCase().split('/').pop()!.split('.');
  if (parts[parts.length - 1] === 'gz') parts.pop();
  const extension = parts.length > 1 ? parts[parts.length - 1] : '';
  const format = BY_EXTENSION[extension];
  if (format === undefined) {
    throw new DataError(
      `cannot tell the format from the extension ${extension === '' ? '(none)' : `'.${extension}'`}: ` +
        `use .svm/.libsvm/.txt, .vw, .csv or .jsonl/.ndjson, or pass --format ${FORMATS.join('|')}`,
      { file: name },
    );
  }
  return format;
}

export function checkFormat(format: string): Format {
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new DataError(`unknown format '${format}': expected one of ${FORMATS.join(', ')}`);
  }
  return format as Format;
}

export function lineParser(format: Format, options: ParseOptions = {}): LineParser {
  switch (format) {
    case 'libsvm':
      return libsvmParser(options);
    case 'vw':
      return vwParser(options);
    case 'csv':
      return csvParser(options);
    case 'jsonl':
      return jsonlParser(options);
  }
}
