/**
 * Writing examples as LIBSVM text, so other tools (liblinear, VW, scikit-learn) read exactly our
 * features. Values are printed with the fewest significant digits that read back to the same
 * float32, so a round trip through the file is lossless and the files stay short.
 */
import type { Example } from './example.js';

/**
 * A short decimal string s with Math.fround(Number(s)) === Math.fround(x): the fewest significant
 * digits (1 to 9; 9 always suffice for float32) that read back exactly, found by trying 6 digits
 * first, then fewer while they still read back, else more.
 */
export function shortestFloat32(x: number): string {
  const target = Math.fround(x);
  if (!Number.isFinite(target)) throw new RangeError(`cannot write a non-finite value ${x}`);
  const readsBack = (digits: number) => Math.fround(Number(target.toPrecision(digits))) === target;
  let digits = 6;
  if (readsBack(digits)) {
    while (digits > 1 && readsBack(digits - 1)) digits--;
  } else {
    while (digits < 9 && !readsBack(digits)) digits++;
  }
  return String(Number(target.toPrecision(digits)));
}

/**
 * One LIBSVM line: `label index:value ...`, indices shifted by `indexBase` (1 turns our 0-based
 * hashed indices into the 1-based indices LIBSVM expects) and written in ascending order. Zero
 * values are left out, as the sparse format intends (a missing feature reads as 0).
 */
export function formatLibsvmLine(
  example: Pick<Example, 'label' | 'indices' | 'values'>,
  indexBase = 1,
): string {
  const { indices, values } = example;
  let sorted = true;
  for (let j = 1; j < indices.length && sorted; j++) sorted = indices[j - 1] <= indices[j];
  const order = sorted ? null : Array.from(indices.keys()).sort((a, b) => indices[a] - indices[b]);
  // Rows of hashed words repeat a few values (every word seen once has the same weight): format each once.
  const formatted = new Map<number, string>();
  let line = formatLabel(example.label);
  for (let k = 0; k < indices.length; k++) {
    const j = order === null ? k : order[k];
    const value = values[j];
    if (value === 0) continue;
    let text = formatted.get(value);
    if (text === undefined) {
      text = shortestFloat32(value);
      formatted.set(value, text);
    }
    line += ` ${indices[j] + indexBase}:${text}`;
  }
  return line;
}

function formatLabel(label: number): string {
  if (!Number.isFinite(label)) throw new RangeError(`cannot write a non-finite label ${label}`);
  return label === 1 ? '+1' : String(label);
}
