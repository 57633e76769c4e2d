// Runs examples/house-prices.ts as a user would and checks what it prints.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe.each(['examples/house-prices.ts', 'examples/house-prices-tfjs.ts'])('%s', (example) => {
  it('prints the loss every 10 epochs, and the loss goes down', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', example], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = output.trim().split('\n');
    const epochs = lines
      .map((line) => /^Epoch \[(\d+)\/100\], Loss: (\d+\.\d{4})$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(epochs).toHaveLength(10);
    expect(epochs.map((m) => Number(m[1]))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const losses = epochs.map((m) => Number(m[2]));
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    // Standardized prices: predicting the mean scores 1; the trained network must do clearly better.
    expect(losses[9]).toBeLessThan(0.5 * losses[0]);
    expect(lines.at(-1)).toMatch(/^Final RMSE: \d+\.\d\d thousand dollars$/);
  });
});
