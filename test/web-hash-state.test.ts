import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_HASH_LENGTH,
  boolParam,
  createHashHost,
  enumParam,
  formatHash,
  intParam,
  listParam,
  numberParam,
  parseHash,
  pointParam,
  readParam,
  gridParam,
  onParamsChange,
  roundGrid,
  steppedIntParam,
  type HashWindow,
} from '../web/lib/hash-state.js';
import type { SectionHost } from '../web/lib/section.js';

const lr = numberParam('v.lr', 0.1, { min: 1e-4, max: 10 });
const steps = intParam('v.n', 100, { min: 1, max: 1000 });
const landscape = enumParam('x.land', 'valley', ['valley', 'rosenbrock', 'beale'] as const);
const shared = boolParam('v.share', true);
const shown = listParam('x.opt', ['adagrad', 'adam'], ['adagrad', 'rmsprop', 'adadelta', 'adam'] as const);
const start = pointParam('v.start', [-8, 1.5], { x: [-10, 10], y: [-3, 3] });

function read<T>(hash: string, p: Parameters<typeof readParam<T>>[1]): T {
  return readParam(parseHash(hash), p);
}

describe('hash parameters parse valid values', () => {
  it('reads each type from a hash', () => {
    const hash = '#v.lr=0.5&v.n=250&x.land=beale&v.share=0&x.opt=rmsprop,adagrad&v.start=2.5,-1';
    expect(read(hash, lr)).toBe(0.5);
    expect(read(hash, steps)).toBe(250);
    expect(read(hash, landscape)).toBe('beale');
    expect(read(hash, shared)).toBe(false);
    // Lists come back in the canonical order of their values, whatever order the URL had.
    expect(read(hash, shown)).toEqual(['adagrad', 'rmsprop']);
    expect(read(hash, start)).toEqual([2.5, -1]);
  });

  it('accepts exponents and the empty list', () => {
    expect(read('v.lr=1e-3', lr)).toBe(0.001);
    expect(read('x.opt=-', shown)).toEqual([]);
  });

  it('round-trips format and parse', () => {
    for (const value of [1e-4, 0.0123, 3, 10]) expect(lr.parse(lr.format(value))).toBe(value);
    expect(start.parse(start.format([1.23456789, -2]))).toEqual([1.235, -2]);
    expect(shown.parse(shown.format(['adam', 'adagrad']))).toEqual(['adagrad', 'adam']);
    expect(shown.parse(shown.format([]))).toEqual([]);
  });
});

describe('bad or hostile hashes fall back to defaults', () => {
  const hostile = [
    '',
    '#',
    '#v.lr=',
    '#v.lr=abc',
    '#v.lr=NaN',
    '#v.lr=Infinity',
    '#v.lr=1e999',
    '#v.lr=0x10',
    '#v.lr=1e9',
    '#v.lr=-1',
    '#v.lr=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '#v.lr=<script>alert(1)</script>',
    '#v.lr=0.5<img src=x onerror=alert(1)>',
    '#v.n=2.5&v.n2=3',
    '#x.land=__proto__',
    '#x.land=constructor',
    '#v.share=yes',
    '#x.opt=adam,<b>',
    '#x.opt=',
    '#v.start=1',
    '#v.start=1,2,3',
    '#v.start=100,0',
    '#v.start=,',
    '#%ZZ=1&&&==',
  ];
  for (const hash of hostile) {
    it(`ignores ${JSON.stringify(hash)}`, () => {
      expect(read(hash, lr)).toBe(0.1);
      expect(read(hash, landscape)).toBe('valley');
      expect(read(hash, shared)).toBe(true);
      expect(read(hash, shown)).toEqual(['adagrad', 'adam']);
      expect(read(hash, start)).toEqual([-8, 1.5]);
    });
  }

  it('ignores a hash longer than the limit entirely', () => {
    const huge = `#v.lr=0.5&pad=${'x'.repeat(MAX_HASH_LENGTH)}`;
    expect(parseHash(huge).size).toBe(0);
  });

  it('keeps only well-formed keys', () => {
    expect([...parseHash('#v.lr=1&unknown=2&v.x.y=3&__proto__=4').keys()]).toEqual(['v.lr']);
  });
});

it('formatHash sorts keys and keeps commas readable', () => {
  expect(
    formatHash(
      new Map([
        ['v.start', '1,2'],
        ['a.k', 'x'],
      ]),
    ),
  ).toBe('#a.k=x&v.start=1,2');
  expect(formatHash(new Map())).toBe('');
});

it('rejects malformed parameter definitions', () => {
  expect(() => numberParam('lr', 1, { min: 0, max: 2 })).toThrow(/key "lr"/);
  expect(() => numberParam('v.lr', 5, { min: 0, max: 2 })).toThrow(/outside its range/);
  expect(() => enumParam('v.e', 'z' as 'a', ['a'])).toThrow(/not one of/);
});

function fakeWindow(hash: string, reducedMotion = false) {
  const listeners: Array<() => void> = [];
  const replaced: string[] = [];
  const win: HashWindow = {
    location: { hash, pathname: '/', search: '' },
    history: {
      replaceState(_data, _unused, url) {
        replaced.push(url ?? '');
        win.location.hash = (url ?? '').replace(/^[^#]*/, '');
      },
    },
    addEventListener: (_type, listener) => listeners.push(listener),
    matchMedia: () => ({ matches: reducedMotion }),
    setTimeout: (callback) => timers.push(callback),
  };
  const timers: Array<() => void> = [];
  const flush = (): void => {
    for (const callback of timers.splice(0)) callback();
  };
  const navigate = (next: string): void => {
    win.location.hash = next;
    for (const listener of listeners) listener();
  };
  return { win, replaced, navigate, flush };
}

describe('createHashHost', () => {
  it('writes changes to the hash, drops defaults, and notifies', () => {
    const { win, replaced, flush } = fakeWindow('#v.lr=0.5&junk=1');
    const host = createHashHost(win);
    let notified = 0;
    host.onChange(() => (notified += 1));
    expect(host.get(lr)).toBe(0.5);
    host.set(steps, 300);
    expect(host.get(steps)).toBe(300);
    flush();
    expect(replaced.at(-1)).toBe('/#v.lr=0.5&v.n=300');
    host.set(lr, 0.1); // the default: removed from the URL
    flush();
    expect(replaced.at(-1)).toBe('/#v.n=300');
    expect(notified).toBe(2);
    host.set(steps, 300); // unchanged: no write, no notification
    expect(notified).toBe(2);
  });

  it('coalesces a burst of changes (a drag) into one URL write with the latest state', () => {
    const { win, replaced, flush } = fakeWindow('');
    const host = createHashHost(win);
    for (let i = 1; i <= 50; i++) host.set(steps, i + 1);
    expect(host.get(steps)).toBe(51);
    expect(replaced).toHaveLength(0);
    flush();
    expect(replaced).toEqual(['/#v.n=51']);
  });

  it('lets real navigation win over a URL write still waiting to happen', () => {
    const { win, replaced, navigate, flush } = fakeWindow('');
    const host = createHashHost(win);
    host.set(steps, 7);
    navigate('#v.n=9');
    flush();
    expect(replaced).toHaveLength(0);
    expect(host.get(steps)).toBe(9);
    host.set(steps, 10);
    flush();
    expect(replaced).toEqual(['/#v.n=10']);
  });

  it('follows navigation (back/forward, pasted link) and reports reduced motion', () => {
    const { win, navigate } = fakeWindow('', true);
    const host = createHashHost(win);
    let notified = 0;
    host.onChange(() => (notified += 1));
    expect(host.reducedMotion).toBe(true);
    navigate('#x.land=rosenbrock');
    expect(host.get(landscape)).toBe('rosenbrock');
    expect(notified).toBe(1);
  });
});

describe('properties (fast-check)', () => {
  it('any raw string parses to undefined or a value inside the declared range', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        const value = lr.parse(raw);
        expect(value === undefined || (value >= 1e-4 && value <= 10)).toBe(true);
        const n = steps.parse(raw);
        expect(n === undefined || (Number.isInteger(n) && n >= 1 && n <= 1000)).toBe(true);
        const list = shown.parse(raw);
        expect(
          list === undefined || list.every((v) => ['adagrad', 'rmsprop', 'adadelta', 'adam'].includes(v)),
        ).toBe(true);
      }),
    );
  });

  it('any hash string reads as valid state without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (hash) => {
        const p = read(`#${hash}`, start);
        expect(p[0] >= -10 && p[0] <= 10 && p[1] >= -3 && p[1] <= 3).toBe(true);
      }),
    );
  });

  it('format then parse is stable for any in-range number (the URL is the state)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 10, noNaN: true }), (value) => {
        const once = lr.parse(lr.format(value));
        expect(once).toBeDefined();
        expect(lr.parse(lr.format(once as number))).toBe(once);
      }),
    );
  });
});

describe('grid parameters (slider, label and URL agree)', () => {
  it('lists round numbers six per decade', () => {
    expect(roundGrid(0.1, 1)).toEqual([0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1]);
    expect(roundGrid(0.01, 30)[0]).toBe(0.01);
    expect(roundGrid(0.01, 30).at(-1)).toBe(30);
  });

  it('snaps a URL value to the nearest grid point and rejects junk', () => {
    const p = gridParam('f.lr', 0.5, roundGrid(0.01, 10));
    expect(p.parse('0.5')).toBe(0.5);
    expect(p.parse('0.45')).toBe(0.5);
    expect(p.parse('0.26')).toBe(0.3);
    expect(p.parse('1e-1')).toBe(0.1);
    for (const bad of ['', 'abc', '0x10', '-1', '0', '1e9', 'Infinity', 'NaN', '<script>']) {
      expect(p.parse(bad)).toBeUndefined();
    }
    expect(() => gridParam('f.lr', 0.45, roundGrid(0.01, 10))).toThrow(/not on its grid/);
  });
});

describe('steppedIntParam', () => {
  it('snaps to the slider step and rejects out-of-range or non-integer text', () => {
    const p = steppedIntParam('x.steps', 300, { min: 50, max: 3000, step: 50 });
    expect(p.parse('300')).toBe(300);
    expect(p.parse('437')).toBe(450);
    for (const bad of ['10', '3001', '1.5', '-50', 'abc', '']) expect(p.parse(bad)).toBeUndefined();
  });
});

describe('onParamsChange', () => {
  it("re-renders a section only when one of its own parameters changed, not on other sections' changes", () => {
    const values = new Map<string, string>();
    const listeners: Array<() => void> = [];
    const host: SectionHost = {
      get: (p) =>
        values.has(p.key) ? (p.parse(values.get(p.key) as string) ?? p.defaultValue) : p.defaultValue,
      set: (p, v) => {
        values.set(p.key, p.format(v));
        for (const l of listeners) l();
      },
      onChange: (l) => void listeners.push(l),
      reducedMotion: true,
    };
    const mine = steppedIntParam('x.steps', 300, { min: 50, max: 3000, step: 50 });
    const theirs = steppedIntParam('v.steps', 100, { min: 50, max: 3000, step: 50 });
    let renders = 0;
    onParamsChange(host, [mine], () => renders++);
    host.set(theirs, 200);
    expect(renders).toBe(0);
    host.set(mine, 500);
    expect(renders).toBe(1);
    host.set(theirs, 250);
    expect(renders).toBe(1);
  });
});
