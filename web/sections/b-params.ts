// Learning-rate style parameters on a grid of round numbers: a log slider moves along the grid, and a
// value from the URL snaps to the nearest grid point, so the slider, its label and the figures always
// show the same number (a label that disagrees with its slider is the classic bug of such pages).
import type { HashParam, SectionHost } from '../lib/section.js';

const MANTISSAS = [1, 1.5, 2, 3, 5, 7];

/** Round numbers from min to max, six per decade: ..., 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1, ... */
export function roundGrid(min: number, max: number): number[] {
  const grid: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of MANTISSAS) {
      const v = Number((m * 10 ** e).toPrecision(2));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) grid.push(v);
    }
  }
  return grid;
}

/** The grid point nearest to value on a log scale. */
export function snapToGrid(grid: readonly number[], value: number): number {
  let best = grid[0];
  for (const g of grid) if (Math.abs(Math.log(g / value)) < Math.abs(Math.log(best / value))) best = g;
  return best;
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A positive number on the grid; anything else in the URL falls back to the default. */
export function gridParam(key: string, defaultValue: number, grid: readonly number[]): HashParam<number> {
  if (!grid.includes(defaultValue))
    throw new Error(`gridParam: default ${defaultValue} of "${key}" is not on its grid`);
  const [lo, hi] = [grid[0], grid[grid.length - 1]];
  return {
    key,
    defaultValue,
    parse(raw) {
      if (!DECIMAL.test(raw.trim())) return undefined;
      const v = Number(raw);
      return Number.isFinite(v) && v >= lo && v <= hi ? snapToGrid(grid, v) : undefined;
    },
    format: (value) => String(value),
  };
}

/** An integer on a slider's step grid (min, min + step, ..., max); a URL value snaps to it. */
export function steppedIntParam(
  key: string,
  defaultValue: number,
  range: { min: number; max: number; step: number },
): HashParam<number> {
  const snap = (v: number): number =>
    Math.min(
      range.max,
      Math.max(range.min, range.min + Math.round((v - range.min) / range.step) * range.step),
    );
  if (snap(defaultValue) !== defaultValue) {
    throw new Error(`steppedIntParam: default ${defaultValue} of "${key}" is not on its step grid`);
  }
  return {
    key,
    defaultValue,
    parse(raw) {
      if (!/^\+?\d{1,9}$/.test(raw.trim())) return undefined;
      const v = Number(raw);
      return v >= range.min && v <= range.max ? snap(v) : undefined;
    },
    format: (value) => String(value),
  };
}

/**
 * Calls `listener` after a hash change only when one of `params` changed: the host notifies every
 * section of every change, and a drag in another section must not recompute (or restart) this one.
 */
export function onParamsChange(
  host: SectionHost,
  params: ReadonlyArray<HashParam<unknown>>,
  listener: () => void,
): void {
  const snapshot = (): string => params.map((p) => p.format(host.get(p))).join('&');
  let last = snapshot();
  host.onChange(() => {
    const now = snapshot();
    if (now === last) return;
    last = now;
    listener();
  });
}
