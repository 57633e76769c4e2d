// Numbers as every label, legend and caption on the page writes them: one format, so a value in a
// sentence reads exactly as the same value beside the figure.
import type { Vec2 } from '../../src/index.js';

/** A number for labels: few significant digits, exponent form for the very large and very small. */
export function formatValue(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${String(Number(mantissa))}×10${superscript(Number(exponent))}`;
  }
  return String(Number(value.toPrecision(digits)));
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
function superscript(n: number): string {
  const digits = String(Math.abs(n))
    .split('')
    .map((d) => SUPERSCRIPT_DIGITS[Number(d)])
    .join('');
  return (n < 0 ? '⁻' : '') + digits;
}

export function formatPoint(p: Vec2 | readonly [number, number], digits = 3): string {
  return `(${formatValue(p[0], digits)}, ${formatValue(p[1], digits)})`;
}

/**
 * A count written whole, in groups of three: 4,510. (Not toLocaleString: its first call loads the
 * locale data, tens of milliseconds while the page mounts.)
 */
export function formatCount(n: number): string {
  if (!Number.isInteger(n)) return formatValue(n);
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
