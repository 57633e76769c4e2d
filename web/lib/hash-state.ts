// The whole page state as a typed table in the URL hash (`#v.lr=0.1&v.start=-8,1.5`), in the manner of
// TensorFlow Playground: each parameter parses and validates its own raw string, and anything invalid
// or hostile falls back to that parameter's default. Raw values are only ever parsed into numbers,
// booleans or members of a fixed list, so nothing from the hash can reach the DOM as markup.
import type { HashParam, SectionHost } from './section.js';

/** Longer hashes are not ours (or are hostile): ignore them entirely rather than parse megabytes. */
export const MAX_HASH_LENGTH = 4000;
/** No legitimate value is this long. */
export const MAX_VALUE_LENGTH = 200;

const KEY_PATTERN = /^[a-z]{1,3}\.[A-Za-z0-9]{1,24}$/;

function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new Error(`hash-state: parameter key "${key}" must look like "v.lr" (section prefix, dot, name)`);
  }
}

/** Splits a location.hash ("#a=1&b=2", with or without '#') into raw, decoded key/value pairs. */
export function parseHash(hash: string): Map<string, string> {
  const values = new Map<string, string>();
  if (hash.length > MAX_HASH_LENGTH) return values;
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const [key, value] of new URLSearchParams(body)) {
    if (KEY_PATTERN.test(key) && value.length <= MAX_VALUE_LENGTH) values.set(key, value);
  }
  return values;
}

/** The inverse of parseHash, keys sorted so that equal states give equal URLs. */
export function formatHash(values: ReadonlyMap<string, string>): string {
  const search = new URLSearchParams();
  for (const key of [...values.keys()].sort()) search.set(key, values.get(key) as string);
  // Commas separate list items and coordinates; leaving them unescaped keeps links readable.
  const body = search.toString().replace(/%2C/g, ',');
  return body.length > 0 ? `#${body}` : '';
}

/** Reads p from raw hash values: its parsed value, or its default when absent or invalid. */
export function readParam<T>(values: ReadonlyMap<string, string>, p: HashParam<T>): T {
  const raw = values.get(p.key);
  if (raw === undefined) return p.defaultValue;
  const parsed = p.parse(raw);
  return parsed === undefined ? p.defaultValue : parsed;
}

/** A strict decimal number: Number('') is 0 and Number('0x10') is 16, so check the shape first. */
function parseFiniteNumber(raw: string): number | undefined {
  const text = raw.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Round to significant digits so that a dragged point gives a short, stable URL. */
function formatNumber(value: number, significantDigits: number): string {
  return String(Number(value.toPrecision(significantDigits)));
}

export interface NumberRange {
  min: number;
  max: number;
  /** Significant digits kept in the URL (default 6). */
  precision?: number;
}

function checkRange(key: string, defaultValue: number, range: NumberRange): void {
  if (!(range.min <= defaultValue && defaultValue <= range.max)) {
    throw new Error(
      `hash-state: default ${defaultValue} of "${key}" is outside its range [${range.min}, ${range.max}]`,
    );
  }
}

/** A finite number in [min, max]. */
export function numberParam(key: string, defaultValue: number, range: NumberRange): HashParam<number> {
  checkKey(key);
  checkRange(key, defaultValue, range);
  const precision = range.precision ?? 6;
  return {
    key,
    defaultValue,
    parse(raw) {
      const value = parseFiniteNumber(raw);
      return value !== undefined && value >= range.min && value <= range.max ? value : undefined;
    },
    format: (value) => formatNumber(value, precision),
  };
}

/** An integer in [min, max]. */
export function intParam(
  key: string,
  defaultValue: number,
  range: { min: number; max: number },
): HashParam<number> {
  checkKey(key);
  checkRange(key, defaultValue, range);
  if (!Number.isInteger(defaultValue)) throw new Error(`hash-state: default of "${key}" must be an integer`);
  return {
    key,
    defaultValue,
    parse(raw) {
      if (!/^[-+]?\d{1,15}$/.test(raw.trim())) return undefined;
      const value = Number(raw);
      return value >= range.min && value <= range.max ? value : undefined;
    },
    format: (value) => String(Math.round(value)),
  };
}

/** One of a fixed list of strings. */
export function enumParam<T extends string>(
  key: string,
  defaultValue: T,
  values: readonly T[],
): HashParam<T> {
  checkKey(key);
  if (!values.includes(defaultValue))
    throw new Error(`hash-state: default of "${key}" is not one of its values`);
  return {
    key,
    defaultValue,
    parse: (raw) => values.find((v) => v === raw),
    format: (value) => value,
  };
}

/** A boolean written as 1 / 0 (true / false also accepted). */
export function boolParam(key: string, defaultValue: boolean): HashParam<boolean> {
  checkKey(key);
  return {
    key,
    defaultValue,
    parse(raw) {
      if (raw === '1' || raw === 'true') return true;
      if (raw === '0' || raw === 'false') return false;
      return undefined;
    },
    format: (value) => (value ? '1' : '0'),
  };
}

/**
 * A set of members of a fixed list, comma-separated, kept in the list's order (so equal sets give
 * equal URLs). The empty set is written as "-" (an empty value would read as "absent" in some tools).
 * Any unknown member invalidates the whole value.
 */
export function listParam<T extends string>(
  key: string,
  defaultValue: readonly T[],
  values: readonly T[],
): HashParam<readonly T[]> {
  checkKey(key);
  if (!defaultValue.every((v) => values.includes(v))) {
    throw new Error(`hash-state: default of "${key}" has members outside its values`);
  }
  const canonical = (chosen: readonly T[]): T[] => values.filter((v) => chosen.includes(v));
  return {
    key,
    defaultValue: canonical(defaultValue),
    parse(raw) {
      if (raw === '-') return [];
      const items = raw.split(',');
      const chosen: T[] = [];
      for (const item of items) {
        const member = values.find((v) => v === item);
        if (member === undefined) return undefined;
        chosen.push(member);
      }
      return canonical(chosen);
    },
    format: (value) => (value.length === 0 ? '-' : canonical(value).join(',')),
  };
}

/** A 2-D point "x,y" with each coordinate in its range. */
export function pointParam(
  key: string,
  defaultValue: readonly [number, number],
  range: { x: [number, number]; y: [number, number]; precision?: number },
): HashParam<readonly [number, number]> {
  checkKey(key);
  checkRange(key, defaultValue[0], { min: range.x[0], max: range.x[1] });
  checkRange(key, defaultValue[1], { min: range.y[0], max: range.y[1] });
  const precision = range.precision ?? 4;
  return {
    key,
    defaultValue,
    parse(raw) {
      const parts = raw.split(',');
      if (parts.length !== 2) return undefined;
      const x = parseFiniteNumber(parts[0]);
      const y = parseFiniteNumber(parts[1]);
      if (x === undefined || y === undefined) return undefined;
      if (x < range.x[0] || x > range.x[1] || y < range.y[0] || y > range.y[1]) return undefined;
      return [x, y] as const;
    },
    format: (value) => `${formatNumber(value[0], precision)},${formatNumber(value[1], precision)}`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Learning-rate style parameters on a grid of round numbers: a log slider moves along the grid, and a
// value from the URL snaps to the nearest grid point, so the slider, its label and the figures always
// show the same number (a label that disagrees with its slider is the classic bug of such pages).
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

/** A positive number on the grid; anything else in the URL falls back to the default. */
export function gridParam(key: string, defaultValue: number, grid: readonly number[]): HashParam<number> {
  checkKey(key);
  if (!grid.includes(defaultValue))
    throw new Error(`gridParam: default ${defaultValue} of "${key}" is not on its grid`);
  const [lo, hi] = [grid[0], grid[grid.length - 1]];
  return {
    key,
    defaultValue,
    parse(raw) {
      const v = parseFiniteNumber(raw);
      return v !== undefined && v >= lo && v <= hi ? snapToGrid(grid, v) : undefined;
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
  checkKey(key);
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

/** A section's URL state: its parameters by name (declared once, in the section's model). */
export type ParamTable = Readonly<Record<string, HashParam<unknown>>>;

/** The values of a table of parameters, by the same names. */
export type StateOf<P extends ParamTable> = { [K in keyof P]: P[K] extends HashParam<infer T> ? T : never };

/** Reads every parameter of a section's table from the host. */
export function readParams<P extends ParamTable>(host: Pick<SectionHost, 'get'>, params: P): StateOf<P> {
  const state: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(params)) state[name] = host.get(param);
  return state as StateOf<P>;
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

/** The browser pieces the host needs; a fake in tests. */
export interface HashWindow {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
  addEventListener(type: 'hashchange' | 'popstate', listener: () => void): void;
  matchMedia(query: string): { matches: boolean };
  setTimeout(callback: () => void, ms: number): unknown;
}

/**
 * Browsers throttle history.replaceState (Chrome warns past about 100 calls in 10 s), and a drag
 * changes state on every pointer move: the state updates at once, the URL at most this often.
 */
export const URL_WRITE_INTERVAL_MS = 250;

/**
 * The SectionHost backed by the URL hash. A value equal to its default is removed from the hash, so
 * the untouched page has a clean URL and a shared link carries only what the reader changed.
 */
export function createHashHost(win: HashWindow): SectionHost {
  let values = parseHash(win.location.hash);
  const listeners: Array<() => void> = [];
  // replaceState fires neither hashchange nor popstate, so those events always mean real navigation
  // (back/forward, an edited or pasted link): it wins over a write still waiting to happen.
  let pendingWrite = 0; // 0: none; otherwise the id of the scheduled write
  let lastWriteId = 0;
  const scheduleWrite = (): void => {
    if (pendingWrite !== 0) return;
    lastWriteId += 1;
    const id = lastWriteId;
    pendingWrite = id;
    win.setTimeout(() => {
      if (pendingWrite !== id) return;
      pendingWrite = 0;
      const { pathname, search } = win.location;
      win.history.replaceState(null, '', `${pathname}${search}${formatHash(values)}`);
    }, URL_WRITE_INTERVAL_MS);
  };
  const notify = (): void => {
    for (const listener of listeners) listener();
  };
  const reload = (): void => {
    pendingWrite = 0;
    const next = parseHash(win.location.hash);
    if (formatHash(next) === formatHash(values)) return;
    values = next;
    notify();
  };
  win.addEventListener('hashchange', reload);
  win.addEventListener('popstate', reload);
  return {
    get: (p) => readParam(values, p),
    set(p, value) {
      const next = new Map(values);
      const formatted = p.format(value);
      if (formatted === p.format(p.defaultValue)) next.delete(p.key);
      else next.set(p.key, formatted);
      if (formatHash(next) === formatHash(values)) return;
      values = next;
      scheduleWrite();
      notify();
    },
    onChange(listener) {
      listeners.push(listener);
    },
    reducedMotion: win.matchMedia('(prefers-reduced-motion: reduce)').matches,
  };
}
