/**
 * Vowpal Wabbit text format:
 *
 *   label [weight] ['tag] |namespace[:scale] feature[:value] ... |other ...
 *
 * The part before the first `|` holds the label, an optional importance weight (default 1) and an
 * optional tag (written with a leading `'`, which is dropped; a bare non-numeric word is also taken
 * as the tag). Each `|` opens a namespace: a name right after the bar (none, `| a b`, is the default
 * namespace ""), optionally `:scale` multiplying its values. A feature is `name` (value 1) or
 * `name:value`. Names are hashed with featureIndex(namespace, name, bits) (see hashing.ts), read as
 * UTF-8 bytes in place. Comment lines start with `#` (after optional spaces).
 */
import type { Example } from './example.js';
import { DataError, quoteToken } from './errors.js';
import { DEFAULT_BITS, checkBits } from './hashing.js';
import { type LineParser, type ParseOptions, isSpace, tokenAt } from './line-parser.js';
import { describeToken } from './libsvm.js';
import { murmur3Bytes } from './murmur3.js';
import { latin1, numberEnd, readNumber } from './number.js';
import { RowBuilder } from './row-builder.js';

const BAR = 124;
const COLON = 58;
const QUOTE = 39;

export function vwParser(options: ParseOptions = {}): LineParser {
  const bits = checkBits(options.bits ?? DEFAULT_BITS);
  const mask = (1 << bits) - 1;
  const row = new RowBuilder();
  const decoder = new TextDecoder();
  return {
    recycle: () => row.recycle(),
    parse(bytes, start, end, line): Example | null {
      let pos = start;
      while (pos < end && isSpace(bytes[pos])) pos++;
      if (pos === end || bytes[pos] === 35 /* # */) return null;
      const bar = bytes.indexOf(BAR, pos);
      if (bar < 0 || bar >= end) {
        throw new DataError(`expected 'label [weight] ['tag] |namespace feature[:value] ...', found no '|'`, {
          line,
        });
      }

      // Header: label [weight] [tag]
      let label = NaN;
      let weight = 1;
      let tag: string | undefined;
      let fields = 0;
      while (pos < bar) {
        while (pos < bar && isSpace(bytes[pos])) pos++;
        if (pos === bar) break;
        const tokenStart = pos;
        while (pos < bar && !isSpace(bytes[pos])) pos++;
        if (bytes[tokenStart] === QUOTE) {
          tag = decoder.decode(bytes.subarray(tokenStart + 1, pos));
          continue;
        }
        const value = readNumber(bytes, tokenStart, pos);
        const numeric = numberEnd === pos;
        if (numeric && !Number.isFinite(value)) {
          throw new DataError(
            `${fields === 0 ? 'label' : 'weight'} is not a finite number: ${describeToken(latin1(bytes, tokenStart, pos))}`,
            { line },
          );
        }
        if (fields === 0 && numeric) label = value;
        else if (fields === 1 && numeric) {
          if (value < 0) throw new DataError(`importance weight must be >= 0, got ${value}`, { line });
          weight = value;
        } else if (!numeric && tag === undefined && fields > 0) {
          tag = decoder.decode(bytes.subarray(tokenStart, pos));
        } else {
          const token = decoder.decode(bytes.subarray(tokenStart, pos));
          throw new DataError(
            fields === 0
              ? `expected a numeric label before '|', got ${describeToken(token)}`
              : `expected 'label [weight] ['tag]' before '|', got extra ${quoteToken(token)}`,
            { line },
          );
        }
        fields++;
      }
      if (fields === 0) {
        throw new DataError(`expected a label before '|' (unlabelled examples are not supported)`, { line });
      }

      // Namespaces and features.
      row.reset();
      pos = bar;
      let seed = 0;
      let scale = 1;
      while (pos < end) {
        if (bytes[pos] === BAR) {
          pos++;
          const nameStart = pos;
          while (pos < end && !isSpace(bytes[pos]) && bytes[pos] !== COLON && bytes[pos] !== BAR) pos++;
          seed = murmur3Bytes(bytes, 0, nameStart, pos);
          scale = 1;
          if (pos < end && bytes[pos] === COLON) {
            scale = readNumber(bytes, pos + 1, end);
            if (
              numberEnd === pos + 1 ||
              (numberEnd < end && !isSpace(bytes[numberEnd]) && bytes[numberEnd] !== BAR)
            ) {
              throw new DataError(
                `expected |namespace:scale with a numeric scale, got ${describeToken(tokenAt(bytes, nameStart - 1, end))}`,
                { line },
              );
            }
            if (!Number.isFinite(scale)) {
              throw new DataError(
                `namespace scale is not finite: ${quoteToken(tokenAt(bytes, nameStart - 1, end))}`,
                {
                  line,
                },
              );
            }
            pos = numberEnd;
          }
          continue;
        }
        if (isSpace(bytes[pos])) {
          pos++;
          continue;
        }
        const nameStart = pos;
        while (pos < end && !isSpace(bytes[pos]) && bytes[pos] !== COLON && bytes[pos] !== BAR) pos++;
        const nameEnd = pos;
        let value = 1;
        if (pos < end && bytes[pos] === COLON) {
          value = readNumber(bytes, pos + 1, end);
          if (
            numberEnd === pos + 1 ||
            (numberEnd < end && !isSpace(bytes[numberEnd]) && bytes[numberEnd] !== BAR)
          ) {
            throw new DataError(
              `expected feature[:value] with a numeric value, got ${describeToken(tokenAt(bytes, nameStart, end, BAR))}`,
              { line },
            );
          }
          if (!Number.isFinite(value)) {
            throw new DataError(
              `value of feature ${quoteToken(decoder.decode(bytes.subarray(nameStart, nameEnd)))} is not finite ` +
                `(NaN and Infinity are not allowed)`,
              { line },
            );
          }
          pos = numberEnd;
        }
        if (nameEnd === nameStart) {
          throw new DataError(
            `expected a feature name before ':', got ${quoteToken(tokenAt(bytes, nameStart, end))}`,
            {
              line,
            },
          );
        }
        row.push((murmur3Bytes(bytes, seed, nameStart, nameEnd) & mask) >>> 0, value * scale);
      }
      const { indices, values } = row.take();
      const example: Example = { label, weight, indices, values, line };
      if (tag !== undefined) example.tag = tag;
      return example;
    },
  };
}
