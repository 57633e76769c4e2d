import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numberEnd, readNumber } from '../src/data/number.js';

const encoder = new TextEncoder();

function parse(text: string): { value: number; end: number } {
  const bytes = encoder.encode(text);
  const value = readNumber(bytes, 0, bytes.length);
  return { value, end: numberEnd };
}

function expectSameAsNumber(text: string): void {
  const { value, end } = parse(text);
  expect(end, text).toBe(text.length);
  expect(Object.is(value, Number(text)), `${text}: got ${value}, Number() gives ${Number(text)}`).toBe(true);
}

describe('readNumber equals Number() exactly', () => {
  it.each([
    '0',
    '-0',
    '+1',
    '1',
    '-1',
    '0.1',
    '.5',
    '5.',
    '1e3',
    '1E-3',
    '2.5e+10',
    '123456789012345',
    '1234567890123456789',
    '0.000001',
    '1e-22',
    '1e22',
    '1e23',
    '1e-23',
    '9007199254740993',
    '3.141592653589793',
    '1e308',
    '2.2250738585072014e-308',
    '4.9e-324',
    '0.30000000000000004',
    '-1.7976931348623157e308',
    '000123.4500',
    '1e400',
    '-1e400',
  ])('%s', (text) => expectSameAsNumber(text));

  it('on many random doubles in their shortest, fixed and exponential forms', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expectSameAsNumber(String(x));
        expectSameAsNumber(x.toExponential(8));
        if (Math.abs(x) < 1e21) expectSameAsNumber(x.toFixed(6));
      }),
      { numRuns: 3000 },
    );
  });

  it('on random digit strings with a decimal point and exponent', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 20 }),
        fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 20 }),
        fc.integer({ min: -40, max: 40 }),
        fc.boolean(),
        (whole, fraction, exponent, negative) => {
          const text = `${negative ? '-' : ''}${whole}${fraction ? '.' + fraction : ''}e${exponent}`;
          expectSameAsNumber(text);
          expectSameAsNumber(`${whole}.${fraction}`);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('readNumber stops where the number stops', () => {
  it('stops at the first byte that cannot continue a number', () => {
    expect(parse('1.5:2')).toEqual({ value: 1.5, end: 3 });
    expect(parse('12abc')).toEqual({ value: 12, end: 2 });
    // "1e" and "1e+" are not exponents: the number is 1 and the 'e' is left for the caller to reject.
    expect(parse('1e')).toEqual({ value: 1, end: 1 });
    expect(parse('1e+x')).toEqual({ value: 1, end: 1 });
  });

  it('returns NaN with end at the start when no number starts there', () => {
    for (const text of ['', 'abc', '.', '-', '+.', 'nan', 'inf']) {
      const { value, end } = parse(text);
      expect(value, text).toBeNaN();
      expect(end).toBe(0);
    }
  });
});
