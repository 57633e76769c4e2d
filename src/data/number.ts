/**
 * A decimal number parser that reads bytes in place, for the readers' hot loops (no substring, no
 * per-token allocation). It is exact: it returns precisely what `Number(text)` returns for every
 * token it accepts.
 *
 * Syntax: [+-] digits [. digits] [(e|E) [+-] digits], with at least one digit in the mantissa (".5"
 * and "5." are fine). Fast path (Clinger 1990): when the significant digits fit in 15 decimal
 * digits the mantissa m is an exact double, and when |e| <= 22 so is 10^|e|; one IEEE multiply or
 * divide m·10^e then rounds correctly, which is what Number() returns. Anything else (long
 * mantissas, large exponents) is handed to Number() on the token's text.
 */

const POWERS_OF_TEN = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** Where the last readNumber call stopped: the byte after the number, or the start when it failed. */
export let numberEnd = 0;

/**
 * Reads a number starting at `bytes[pos]` and stopping at the first byte that cannot continue it
 * (the caller checks that a separator follows). Returns NaN when no number starts at `pos`
 * (numberEnd = pos); the caller turns that into a DataError naming the token.
 */
export function readNumber(bytes: Uint8Array, pos: number, end: number): number {
  const start = pos;
  let negative = false;
  let c = pos < end ? bytes[pos] : 0;
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45;
    pos++;
  }
  let mantissa = 0;
  let significantDigits = 0;
  let digits = 0;
  let decimalExponent = 0;
  while (pos < end) {
    c = bytes[pos] - 48;
    if (c < 0 || c > 9) break;
    if (significantDigits > 0 || c !== 0) significantDigits++;
    mantissa = mantissa * 10 + c;
    digits++;
    pos++;
  }
  if (pos < end && bytes[pos] === 46 /* . */) {
    pos++;
    while (pos < end) {
      c = bytes[pos] - 48;
      if (c < 0 || c > 9) break;
      if (significantDigits > 0 || c !== 0) significantDigits++;
      mantissa = mantissa * 10 + c;
      decimalExponent--;
      digits++;
      pos++;
    }
  }
  if (digits === 0) {
    numberEnd = start;
    return NaN;
  }
  if (pos < end && (bytes[pos] | 0x20) === 101 /* e or E */) {
    let p = pos + 1;
    let exponentNegative = false;
    if (p < end && (bytes[p] === 45 || bytes[p] === 43)) {
      exponentNegative = bytes[p] === 45;
      p++;
    }
    let exponent = 0;
    let exponentDigits = 0;
    while (p < end) {
      c = bytes[p] - 48;
      if (c < 0 || c > 9) break;
      if (exponent < 100000) exponent = exponent * 10 + c;
      exponentDigits++;
      p++;
    }
    // "1e" or "1e+" is not a number for Number(); leave pos before the 'e' so the caller sees junk.
    if (exponentDigits > 0) {
      decimalExponent += exponentNegative ? -exponent : exponent;
      pos = p;
    }
  }
  numberEnd = pos;
  if (significantDigits <= 15 && decimalExponent >= -22 && decimalExponent <= 22) {
    const magnitude =
      decimalExponent >= 0
        ? mantissa * POWERS_OF_TEN[decimalExponent]
        : mantissa / POWERS_OF_TEN[-decimalExponent];
    return negative ? -magnitude : magnitude;
  }
  return Number(latin1(bytes, start, pos));
}

/** Reads an unsigned decimal integer (no sign, no fraction). Returns -1 when none starts at `pos`. */
export function readUnsigned(bytes: Uint8Array, pos: number, end: number): number {
  const start = pos;
  let value = 0;
  while (pos < end) {
    const c = bytes[pos] - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
    pos++;
  }
  numberEnd = pos;
  return pos === start ? -1 : value;
}

/** The bytes as a string, one char per byte (exact for the ASCII a number is made of). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text;
}
