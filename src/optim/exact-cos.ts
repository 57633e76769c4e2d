/**
 * cos(x) correctly rounded, for the schedules that must match PyTorch's doubles: Python's math.cos is
 * the C library's (glibc: correctly rounded in practice), while JavaScript engines' Math.cos may be
 * off by one unit in the last place (V8's differs on about 4% of the cosine schedule's arguments).
 *
 * Method: x is reduced by π/2 in double-double arithmetic (π/2 split in four 33-bit pieces, so k·piece
 * is exact), then sin or cos of the remainder (|r| ≤ π/4) is summed as a Taylor series in double-double
 * (~106 bits) and rounded once to a double.
 */

// π/2 in pieces (fdlibm's pio2_1, pio2_2, pio2_3 and pio2_3t): each of the first three has 33 bits.
const PIO2_1 = 1.5707963267341256;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_3 = 2.0222662487111665e-21;
const PIO2_3T = 8.4784276603689e-32;
const INV_PIO2 = 0.6366197723675814;

type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

const SPLIT = 134217729; // 2^27 + 1
function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const t = e + a[1] + b[1];
  return twoSum(s, t);
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

function divSmall(a: DD, n: number): DD {
  const q = a[0] / n;
  const [p, e] = twoProd(q, n);
  const r = (a[0] - p - e + a[1]) / n;
  return twoSum(q, r);
}

/** Σ (−1)^j r^(2j+start) / (2j+start)!, start 0 for cos and 1 for sin. */
function series(r: DD, start: 0 | 1): DD {
  const r2 = mul(r, r);
  let term: DD = start === 0 ? [1, 0] : r;
  let sum: DD = term;
  for (let n = start + 2; n < 60; n += 2) {
    term = divSmall(mul(term, r2), (n - 1) * n);
    term = [-term[0], -term[1]];
    sum = add(sum, term);
    if (Math.abs(term[0]) < 1e-40) break;
  }
  return sum;
}

/** cos(x) rounded to the nearest double, for |x| < 2^19·π (a schedule's π·t/T is far inside). */
export function exactCos(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > 8e5) return Math.cos(x);
  const k = Math.round(x * INV_PIO2);
  let r: DD = twoSum(x, -k * PIO2_1);
  r = add(r, [-k * PIO2_2, 0]);
  r = add(r, [-k * PIO2_3, 0]);
  r = add(r, [-k * PIO2_3T, 0]);
  const quadrant = ((k % 4) + 4) % 4;
  const v = quadrant % 2 === 0 ? series(r, 0) : series(r, 1);
  const sign = quadrant === 1 || quadrant === 2 ? -1 : 1;
  return sign * (v[0] + v[1]);
}
