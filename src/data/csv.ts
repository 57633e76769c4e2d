/**
 * CSV with a header line: comma-separated, fields optionally in double quotes ("" for a quote
 * inside), whitespace around fields ignored. The column named by `labelColumn` (default "label") is
 * the label; every other column is a dense numeric feature whose index is its position among the
 * feature columns (0-based, header order; featureNames lists them). Zeros are kept, so every row
 * has all features (the dense models need them). Empty fields are an error (no silent imputation).
 */
import type { Example } from './example.js';
import { DataError, quoteToken } from './errors.js';
import { checkBits } from './hashing.js';
import type { LineParser, ParseOptions } from './line-parser.js';
import { describeToken } from './libsvm.js';

export function csvParser(options: ParseOptions = {}): LineParser {
  const labelName = options.labelColumn ?? 'label';
  const maxFeatures = options.bits === undefined ? Infinity : 2 ** checkBits(options.bits);
  const decoder = new TextDecoder();
  let header: string[] | undefined;
  let labelIndex = -1;
  const parser: LineParser = {
    parse(bytes, start, end, line): Example | null {
      const text = decoder.decode(bytes.subarray(start, end));
      if (text.trim() === '') return null;
      const fields = splitCsvLine(text, line);
      if (header === undefined) {
        header = fields;
        labelIndex = header.indexOf(labelName);
        if (labelIndex < 0) {
          throw new DataError(
            `no label column ${quoteToken(labelName)} in the header; columns are ${header.map((h) => quoteToken(h)).join(', ')} ` +
              `(choose one with --label-column)`,
            { line },
          );
        }
        parser.featureNames = header.filter((_, i) => i !== labelIndex);
        if (parser.featureNames.length > maxFeatures) {
          throw new DataError(
            `${parser.featureNames.length} feature columns do not fit the hashed space of 2^${options.bits} (raise --bits)`,
            { line },
          );
        }
        return null;
      }
      if (fields.length !== header.length) {
        throw new DataError(`expected ${header.length} fields as in the header, got ${fields.length}`, {
          line,
        });
      }
      const indices = new Uint32Array(header.length - 1);
      const values = new Float32Array(header.length - 1);
      let label = 0;
      let j = 0;
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i];
        const value = field === '' ? NaN : Number(field);
        if (!Number.isFinite(value)) {
          const why = field === '' ? 'an empty field' : describeToken(field);
          throw new DataError(`expected a finite number in column ${quoteToken(header[i])}, got ${why}`, {
            line,
          });
        }
        if (i === labelIndex) {
          label = value;
        } else {
          indices[j] = j;
          values[j] = value;
          j++;
        }
      }
      return { label, weight: 1, indices, values, line };
    },
  };
  return parser;
}

/** Splits one CSV line into trimmed fields, honouring double quotes. */
export function splitCsvLine(text: string, line: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new DataError('unterminated quoted field', { line });
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
      if (i < text.length && text[i] !== ',') {
        throw new DataError(`expected ',' after a quoted field, got ${quoteToken(text.slice(i))}`, { line });
      }
    } else {
      const comma = text.indexOf(',', i);
      const stop = comma < 0 ? text.length : comma;
      field = text.slice(i, stop).trim();
      i = stop;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}
