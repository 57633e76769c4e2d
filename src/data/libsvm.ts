/**
 * LIBSVM / SVMlight text: `label index:value index:value ... [# comment]`, whitespace-separated.
 * `qid:N` (SVMlight ranking groups) is accepted and ignored; `#` starts a comment; blank and
 * comment-only lines hold no example. Indices are kept as written (usually 1-based; 0 is accepted,
 * as scikit-learn writes zero-based files); with `bits` set, an index above 2^bits is rejected
 * (1-based indices 1..2^bits fill a 2^bits table exactly; take `index & (2^bits - 1)`).
 * Indices need not be sorted; duplicates are kept (the learner sums them).
 *
 * Parsed from bytes in place with readNumber: no strings, no regexes, no split.
 */
import type { Example } from './example.js';
import { DataError, quoteToken } from './errors.js';
import { checkBits } from './hashing.js';
import { type LineParser, type ParseOptions, isSpace, tokenAt } from './line-parser.js';
import { numberEnd, readNumber, readUnsigned } from './number.js';
import { RowBuilder } from './row-builder.js';

const HASH = 35;
const COLON = 58;

export function libsvmParser(options: ParseOptions = {}): LineParser {
  const maxIndex = options.bits === undefined ? 0xffffffff : 2 ** checkBits(options.bits);
  const row = new RowBuilder();
  return {
    parse(bytes, start, end, line): Example | null {
      let pos = start;
      while (pos < end && isSpace(bytes[pos])) pos++;
      if (pos === end || bytes[pos] === HASH) return null;

      const label = readNumber(bytes, pos, end);
      if (!endsToken(bytes, numberEnd, end)) {
        throw new DataError(`expected a numeric label, got ${describeToken(tokenAt(bytes, pos, end))}`, {
          line,
        });
      }
      checkFinite(label, bytes, pos, end, line, 'label');
      pos = numberEnd;

      row.reset();
      for (;;) {
        while (pos < end && isSpace(bytes[pos])) pos++;
        if (pos === end || bytes[pos] === HASH) break;
        const tokenStart = pos;
        if (isQid(bytes, pos, end)) {
          const qid = readUnsigned(bytes, pos + 4, end);
          if (qid < 0 || !endsToken(bytes, numberEnd, end)) {
            throw new DataError(`expected qid:integer, got ${quoteToken(tokenAt(bytes, tokenStart, end))}`, {
              line,
            });
          }
          pos = numberEnd;
          continue;
        }
        const index = readUnsigned(bytes, pos, end);
        if (index < 0 || numberEnd === end || bytes[numberEnd] !== COLON) {
          throw new DataError(`expected index:value, got ${quoteToken(tokenAt(bytes, tokenStart, end))}`, {
            line,
          });
        }
        if (index > maxIndex) {
          throw new DataError(
            `index ${index} is beyond the hashed space of 2^${options.bits} = ${maxIndex} features ` +
              `(raise --bits)`,
            { line },
          );
        }
        pos = numberEnd + 1;
        const value = readNumber(bytes, pos, end);
        if (!endsToken(bytes, numberEnd, end)) {
          throw new DataError(
            `expected index:value with a numeric value, got ${describeToken(tokenAt(bytes, tokenStart, end))}`,
            { line },
          );
        }
        checkFinite(value, bytes, tokenStart, end, line, `value of feature ${index}`);
        pos = numberEnd;
        row.push(index, value);
      }
      const { indices, values } = row.take();
      return { label, weight: 1, indices, values, line };
    },
  };
}

/** A number must end at whitespace, a comment or the end of the line ("1.5x" is not a number). */
function endsToken(bytes: Uint8Array, pos: number, end: number): boolean {
  return pos === end || isSpace(bytes[pos]) || bytes[pos] === HASH;
}

function isQid(bytes: Uint8Array, pos: number, end: number): boolean {
  return (
    pos + 3 < end &&
    bytes[pos] === 113 &&
    bytes[pos + 1] === 105 &&
    bytes[pos + 2] === 100 &&
    bytes[pos + 3] === COLON
  );
}

export function checkFinite(
  value: number,
  bytes: Uint8Array,
  tokenStart: number,
  end: number,
  line: number,
  what: string,
): void {
  if (!Number.isFinite(value)) {
    throw new DataError(
      `${what} is not a finite number: ${quoteToken(tokenAt(bytes, tokenStart, end))} (NaN and Infinity are not allowed)`,
      { line },
    );
  }
}

const NON_FINITE = /(^|[:+-])(nan|inf|infinity)$/i;

/** Quotes a bad token, and says why when it spells NaN or Infinity. */
export function describeToken(token: string): string {
  return NON_FINITE.test(token)
    ? `${quoteToken(token)} (NaN and Infinity are not allowed)`
    : quoteToken(token);
}
