/**
 * LIBSVM / SVMlight text: `label index:value index:value ... [# comment]`, whitespace-separated.
 * `qid:N` (SVMlight ranking groups) is accepted and ignored; `#` starts a comment; blank and
 * comment-only lines hold no example. Indices are kept as written (usually 1-based; 0 is accepted,
 * as scikit-learn writes zero-based files); with `bits` set, an index above 2^bits is rejected
 * (1-based indices 1..2^bits fill a 2^bits table exactly; take `index & (2^bits - 1)`).
 * Indices need not be sorted; duplicates are kept (the learner sums them).
 *
 * Parsed from bytes in place: no strings, no regexes, no split. Nearly every token of a real file
 * is `digits:[-]digits[.digits]`, so parseFeatures reads those in one loop without a call per
 * number (short command-line runs spend much of their parse before V8 has optimized it, where calls
 * and boxed numbers are dear); any other token (an exponent, a long mantissa, qid, an error) goes
 * to readToken, the general reader, which reads it exactly as readNumber would.
 */
import type { Example } from './example.js';
import { DataError, quoteToken } from './errors.js';
import { checkBits } from './hashing.js';
import { type LineParser, type ParseOptions, isSpace, tokenAt } from './line-parser.js';
import { numberEnd, readNumber, readUnsigned } from './number.js';
import { RowBuilder } from './row-builder.js';

const HASH = 35;
const COLON = 58;
const SPACE = 32;
const MINUS = 45;
const DOT = 46;
/** Digits a mantissa may have for mantissa / 10^k to be exact and correctly rounded (Clinger). */
const EXACT_DIGITS = 15;
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

export function libsvmParser(options: ParseOptions = {}): LineParser {
  const maxIndex = options.bits === undefined ? 0xffffffff : 2 ** checkBits(options.bits);
  const row = new RowBuilder();

  /** One token the fast loop did not take, at `pos`; returns where it ends. */
  const readToken = (bytes: Uint8Array, pos: number, end: number, line: number): number => {
    const tokenStart = pos;
    if (isQid(bytes, pos, end)) {
      const qid = readUnsigned(bytes, pos + 4, end);
      if (qid < 0 || !endsToken(bytes, numberEnd, end)) {
        throw new DataError(`expected qid:integer, got ${quoteToken(tokenAt(bytes, tokenStart, end))}`, {
          line,
        });
      }
      return numberEnd;
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
    row.push(index, value);
    return numberEnd;
  };

  /**
   * The features from `pos` to the end of the line into `row`. The fast loop accepts exactly the
   * tokens readToken would accept with the same result: an index of at most 10 digits within the
   * space, and a value of at most 15 digits with no exponent, ended by whitespace, `#` or the end.
   */
  const parseFeatures = (bytes: Uint8Array, pos: number, end: number, line: number): void => {
    for (;;) {
      while (pos < end && (bytes[pos] === SPACE || isSpace(bytes[pos]))) pos++;
      if (pos === end || bytes[pos] === HASH) return;
      const tokenStart = pos;
      let index = 0;
      for (; pos < end; pos++) {
        const digit = bytes[pos] - 48;
        if (digit < 0 || digit > 9) break;
        index = index * 10 + digit;
      }
      if (
        pos === tokenStart ||
        pos === end ||
        bytes[pos] !== COLON ||
        pos - tokenStart > 10 ||
        index > maxIndex
      ) {
        pos = readToken(bytes, tokenStart, end, line);
        continue;
      }
      pos++;
      const negative = pos < end && bytes[pos] === MINUS;
      if (negative) pos++;
      let mantissa = 0;
      let digits = 0;
      let fraction = -1;
      for (; pos < end; pos++) {
        const digit = bytes[pos] - 48;
        if (digit >= 0 && digit <= 9) {
          mantissa = mantissa * 10 + digit;
          digits++;
        } else if (bytes[pos] === DOT && fraction < 0) {
          fraction = digits;
        } else {
          break;
        }
      }
      const decimals = fraction < 0 ? 0 : digits - fraction;
      if (digits === 0 || digits > EXACT_DIGITS || !endsToken(bytes, pos, end)) {
        pos = readToken(bytes, tokenStart, end, line);
        continue;
      }
      // readNumber's arithmetic: one correctly rounded division, then the sign.
      const magnitude = decimals === 0 ? mantissa : mantissa / POWERS_OF_TEN[decimals];
      row.push(index, negative ? -magnitude : magnitude);
    }
  };

  return {
    recycle: () => row.recycle(),
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

      row.reset();
      parseFeatures(bytes, numberEnd, end, line);
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
