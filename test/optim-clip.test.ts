import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue, OptimizerInputError, type Gradients } from '../src/index.js';

type Grad = number[] | { rows: number; rowSize: number; indices: number[]; values: number[] };
interface NormCase {
  name: string;
  maxNorm: number;
  normType: number | 'Infinity';
  grads: Record<string, Grad>;
  totalNorm: number;
  after: Record<string, number[]>;
}
interface ValueCase {
  name: string;
  clipValue: number;
  grads: Record<string, number[]>;
  after: Record<string, number[]>;
}
const fixture = JSON.parse(readFileSync(new URL('./data/clip-grad.json', import.meta.url), 'utf8')) as {
  norm: NormCase[];
  value: ValueCase[];
};

const toGradients = (
  grads: Record<string, Grad>,
): Record<string, Float32Array | { indices: number[]; values: Float32Array }> =>
  Object.fromEntries(
    Object.entries(grads).map(([name, g]) => [
      name,
      Array.isArray(g) ? Float32Array.from(g) : { indices: g.indices, values: Float32Array.from(g.values) },
    ]),
  );
const valuesOf = (g: Float32Array | { values: Float32Array }): Float32Array =>
  g instanceof Float32Array ? g : g.values;

describe('clipGradNorm: bit for bit with torch.nn.utils.clip_grad_norm_ (float32)', () => {
  for (const c of fixture.norm) {
    it(c.name, () => {
      const grads = toGradients(c.grads);
      const normType = c.normType === 'Infinity' ? Infinity : c.normType;
      const total = clipGradNorm(grads, c.maxNorm, { normType });
      expect(total).toBe(c.totalNorm);
      for (const [name, after] of Object.entries(c.after)) {
        expect(Array.from(valuesOf(grads[name])), name).toEqual(after);
      }
    });
  }
});

describe('clipGradValue: bit for bit with torch.nn.utils.clip_grad_value_', () => {
  for (const c of fixture.value) {
    it(c.name, () => {
      const grads = toGradients(c.grads) as Record<string, Float32Array>;
      clipGradValue(grads, c.clipValue);
      for (const [name, after] of Object.entries(c.after)) expect(Array.from(grads[name])).toEqual(after);
    });
  }
});

describe('clipping: bad input changes nothing', () => {
  const fresh = (): Gradients => ({ w: new Float32Array([3, 4]), b: new Float32Array([NaN]) });

  it.each([0, -1, NaN, '1' as unknown as number])('maxNorm %s is refused', (maxNorm) => {
    const grads = { w: new Float32Array([3, 4]) };
    expect(() => clipGradNorm(grads, maxNorm)).toThrow(/clipGradNorm: maxNorm must be a number > 0/);
    expect(Array.from(grads.w)).toEqual([3, 4]);
  });

  it('a non-finite total norm is an error naming the gradient, unless errorIfNonfinite is false', () => {
    const grads = fresh();
    expect(() => clipGradNorm(grads, 1)).toThrow(/total 2-norm of the gradients is NaN \(gradient 'b'/);
    expect(Array.from(grads.w as Float32Array)).toEqual([3, 4]);
    expect(clipGradNorm(grads, 1, { errorIfNonfinite: false })).toBeNaN();
  });

  it('unknown options, bad normType and malformed gradients are refused', () => {
    const grads = { w: new Float32Array([3, 4]) };
    expect(() => clipGradNorm(grads, 1, { norm: 2 } as never)).toThrow(/unknown option 'norm'/);
    expect(() => clipGradNorm(grads, 1, { normType: -2 })).toThrow(/option 'normType'/);
    expect(() =>
      clipGradNorm({ w: grads.w, e: { indices: [0, 1], values: new Float32Array(3) } }, 1),
    ).toThrow(/gradient 'e': values.length \(3\) is not a multiple of indices.length \(2\)/);
    expect(() => clipGradNorm({ w: grads.w, x: 'nope' as never }, 0.1)).toThrow(OptimizerInputError);
    expect(Array.from(grads.w)).toEqual([3, 4]);
    expect(() => clipGradValue(grads, 0)).toThrow(/clipGradValue: clipValue must be a number > 0/);
  });

  it('returns the norm and scales to maxNorm: the 3-4-5 triangle', () => {
    const grads = { w: new Float64Array([3, 4]) };
    expect(clipGradNorm(grads, 1)).toBe(5);
    expect(Math.hypot(grads.w[0], grads.w[1])).toBeCloseTo(1, 6);
  });
});
