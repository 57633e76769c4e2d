/**
 * The LIBSVM parser reads the common `index:value` token in one inline loop and hands every other
 * token to the general reader (readNumber). Both must agree: any value text gives the value
 * readNumber gives it, or the same refusal. And with `reuseRows` the parser refills one buffer per
 * batch, while each batch still holds the right rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../src/data/errors.js';
import { numberEnd, readNumber } from '../src/data/number.js';
import { ExampleParser } from '../src/data/parser.js';

const encoder = new TextEncoder();

/** The value of feature 7 in `+1 7:<text>` as the parser reads it, or the error it throws. */
function parsedValue(text: string): number | DataError {
  const parser = new ExampleParser({ format: 'libsvm', bits: 18 });
  try {
    const [example] = [...parser.push(encoder.encode(`+1 7:${text}\n`)), ...parser.finish()];
    expect(Array.from(example.indices)).toEqual([7]);
    return example.values[0];
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
}

/** What the general reader makes of the whole text: a finite value, or nothing. */
function generalValue(text: string): number | null {
  const bytes = encoder.encode(text);
  const value = readNumber(bytes, 0, bytes.length);
  return numberEnd === bytes.length && Number.isFinite(value) ? value : null;
}

/** Value texts of every shape the fast loop meets or must refuse. */
const valueText = fc
  .tuple(
    fc.constantFrom('', '-', '+', '--'),
    fc.stringMatching(/^[0-9]{0,18}$/),
    fc.constantFrom('', '.', '..'),
    fc.stringMatching(/^[0-9]{0,18}$/),
    fc.constantFrom('', 'e5', 'E-3', 'e', 'x', ':1', '.5'),
  )
  .map((parts) => parts.join(''));

describe('the LIBSVM fast path', () => {
  it('reads every value exactly as the general reader does, or refuses it as that reader would', () => {
    fc.assert(
      fc.property(valueText, (text) => {
        const expected = generalValue(text);
        const got = parsedValue(text);
        if (expected === null) {
          expect(got).toBeInstanceOf(DataError);
        } else {
          // Float32 storage: the parser keeps values in a Float32Array.
          expect(got).toBe(Math.fround(expected));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['0.042666305', 0.042666305],
    ['-1.5', -1.5],
    ['5.', 5],
    ['123456789012345', 123456789012345],
    ['1234567890123456', 1234567890123456], // 16 digits: past the fast loop's exact range
    ['0.1234567890123456789', Number('0.1234567890123456789')],
    ['1e-3', 0.001],
  ])('reads %s as %d', (text, value) => {
    expect(parsedValue(text)).toBe(Math.fround(value));
  });

  it('refuses a malformed token with the line and what was expected', () => {
    const error = parsedValue('1.2.3');
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(
      /^<input>:1: expected index:value with a numeric value, got '7:1\.2\.3'$/,
    );
  });

  it('sends an index beyond the hashed space to the general reader, which names it', () => {
    const parser = new ExampleParser({ format: 'libsvm', bits: 4 });
    expect(() => parser.push(encoder.encode('+1 17:1\n'))).toThrow(
      /index 17 is beyond the hashed space of 2\^4 = 16/,
    );
  });
});

describe('reuseRows', () => {
  const lines = Array.from(
    { length: 50 },
    (_, i) => `${i % 2 ? '+1' : '-1'} ${i + 1}:${i / 4} ${i + 2}:-${i}`,
  );
  const chunks = [lines.slice(0, 20), lines.slice(20, 35), lines.slice(35)].map((part) =>
    encoder.encode(part.join('\n') + '\n'),
  );

  /** Reads the chunks with `reuseRows`, copying each batch's rows out before the next push. */
  function read(reuseRows: boolean): number[][] {
    const parser = new ExampleParser({ format: 'libsvm', reuseRows });
    const rows: number[][] = [];
    const consume = (batch: ReturnType<ExampleParser['push']>) => {
      for (const example of batch) rows.push([example.label, ...example.indices, ...example.values]);
    };
    for (const chunk of chunks) consume(parser.push(chunk));
    consume(parser.finish());
    return rows;
  }

  it('gives every batch the same rows as fresh memory does', () => {
    const reused = read(true);
    expect(reused).toHaveLength(50);
    expect(reused).toEqual(read(false));
    expect(reused[3]).toEqual([1, 4, 5, 0.75, -3]);
  });

  it('refills the memory of the previous batch (its rows are valid until the next push), unless asked not to', () => {
    for (const reuseRows of [true, false]) {
      const parser = new ExampleParser({ format: 'libsvm', reuseRows });
      const first = parser.push(chunks[0]);
      const before = first.map((e) => Array.from(e.values));
      const second = parser.push(chunks[1]);
      expect(second).toHaveLength(15);
      const after = first.map((e) => Array.from(e.values));
      if (reuseRows) expect(after).not.toEqual(before);
      else expect(after).toEqual(before);
    }
  });
});
