import { describe, expect, it } from 'vitest';
import { ACCUMULATOR_PARAMS } from '../web/sections/accumulator/model.js';
import { FIXING_PARAMS } from '../web/sections/fixing/model.js';
import { FLAW_PARAMS } from '../web/sections/flaw/model.js';
import { FULL_MATRIX_PARAMS } from '../web/sections/full-matrix/model.js';
import { IMPLEMENTATION_PARAMS } from '../web/sections/implementation/training-model.js';
import { L1_PARAMS } from '../web/sections/l1-sparsity/model.js';
import { SPARSE_PARAMS } from '../web/sections/sparse/model.js';
import { VALLEY_PARAMS } from '../web/sections/valley/model.js';
import type { HashParam } from '../web/lib/section.js';

const sections: Array<[prefix: string, params: Record<string, HashParam<unknown>>]> = [
  ['v.', VALLEY_PARAMS],
  ['a.', ACCUMULATOR_PARAMS],
  ['f.', FLAW_PARAMS],
  ['s.', SPARSE_PARAMS],
  ['i.', IMPLEMENTATION_PARAMS],
  ['x.', FIXING_PARAMS],
  ['fm.', FULL_MATRIX_PARAMS],
  ['zr.', L1_PARAMS],
];

describe("every section's URL-hash parameters", () => {
  it("carry their section's prefix and are unique", () => {
    const keys = sections.flatMap(([prefix, params]) =>
      Object.values(params).map((p) => {
        expect(p.key.startsWith(prefix)).toBe(true);
        return p.key;
      }),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('round-trip their defaults through the URL text', () => {
    for (const [, params] of sections) {
      for (const p of Object.values(params))
        expect(p.parse(p.format(p.defaultValue))).toEqual(p.defaultValue);
    }
  });

  it('reject hostile or out-of-range text (the default is used instead)', () => {
    for (const [, params] of sections) {
      for (const p of Object.values(params)) {
        for (const bad of ['<script>alert(1)</script>', '1e999', 'NaN', '-1e9', '', 'valley,evil']) {
          expect(p.parse(bad), `${p.key}=${bad}`).toBeUndefined();
        }
      }
    }
  });
});
