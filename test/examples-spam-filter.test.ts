// Runs examples/spam-filter.ts as a user would and checks its table and its held-out accuracy.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('examples/spam-filter.ts', () => {
  it('prints a progressive-validation table at doubling counts, then > 95% test accuracy', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'examples/spam-filter.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const rows = output
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cells) => cells.length === 6 && cells.every((c) => Number.isFinite(Number(c))));
    expect(rows.map((cells) => Number(cells[2]))).toEqual([
      1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096,
    ]);
    // The first prediction of an untrained logistic model is ½ and its loss is log 2.
    expect(Number(rows[0][0])).toBeCloseTo(Math.LN2, 4);
    expect(Number(rows[0][4])).toBe(0.5);
    // Progressive loss falls as the model learns.
    expect(Number(rows.at(-1)![0])).toBeLessThan(0.2 * Number(rows[0][0]));
    const accuracy = /accuracy (\d+\.\d+)%/.exec(output);
    expect(accuracy).not.toBeNull();
    expect(Number(accuracy![1])).toBeGreaterThan(95);
  });
});
