/**
 * JSON lines: one object per line, `{ "label": number, "text": string }` with optional
 * `"weight": number >= 0` and `"tag": string`. The text is tokenized with `tokenize` and hashed
 * into a unit-length log-count row with `hashedBagOfWords` (features.ts), in the default namespace.
 * Blank lines hold no example.
 */
import type { Example } from './example.js';
import { DataError, quoteToken } from './errors.js';
import { hashedBagOfWords } from './features.js';
import { DEFAULT_BITS, checkBits } from './hashing.js';
import type { LineParser, ParseOptions } from './line-parser.js';
import { tokenize } from './tokenize.js';

export function jsonlParser(options: ParseOptions = {}): LineParser {
  const bits = checkBits(options.bits ?? DEFAULT_BITS);
  const decoder = new TextDecoder();
  return {
    parse(bytes, start, end, line): Example | null {
      const text = decoder.decode(bytes.subarray(start, end));
      if (text.trim() === '') return null;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        throw new DataError(`expected a JSON object: ${(error as Error).message}`, { line });
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw new DataError(
          `expected a JSON object like {"label": 1, "text": "..."}, got ${quoteToken(text)}`,
          {
            line,
          },
        );
      }
      const { label, text: body, weight, tag } = record as Record<string, unknown>;
      if (typeof label !== 'number' || !Number.isFinite(label)) {
        throw new DataError(
          `expected "label" to be a finite number, got ${quoteToken(JSON.stringify(label) ?? 'nothing')}`,
          {
            line,
          },
        );
      }
      if (typeof body !== 'string') {
        throw new DataError(
          `expected "text" to be a string, got ${quoteToken(JSON.stringify(body) ?? 'nothing')}`,
          {
            line,
          },
        );
      }
      if (weight !== undefined && (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0)) {
        throw new DataError(
          `expected "weight" to be a finite number >= 0, got ${quoteToken(JSON.stringify(weight))}`,
          {
            line,
          },
        );
      }
      if (tag !== undefined && typeof tag !== 'string') {
        throw new DataError(`expected "tag" to be a string, got ${quoteToken(JSON.stringify(tag))}`, {
          line,
        });
      }
      const row = hashedBagOfWords(tokenize(body), bits);
      const example: Example = { label, weight: weight ?? 1, indices: row.indices, values: row.values, line };
      if (tag !== undefined) example.tag = tag;
      return example;
    },
  };
}
