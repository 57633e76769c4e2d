/**
 * The package as users get it, after `npm run build` (which `npm test` runs first): the entry points
 * named in package.json `exports` resolve to dist/ with type declarations beside them, and the `bin`
 * (the bundled command) trains and predicts from files, as a user runs it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  exports: Record<string, { types: string; import: string }>;
};
const BUILT = 'is missing: run `npm run build` first (npm test does)';

describe('package.json exports', () => {
  it.each(Object.entries(pkg.exports))(
    '%s points at built JavaScript and its declarations',
    (_name, entry) => {
      expect(existsSync(join(ROOT, entry.import)), `${entry.import} ${BUILT}`).toBe(true);
      expect(existsSync(join(ROOT, entry.types)), `${entry.types} ${BUILT}`).toBe(true);
    },
  );

  it('the package imports by its own name, and its optimizer steps', async () => {
    const { Adagrad, alloc } = await import('adagrad');
    const w = alloc(3);
    w.set([1, 2, 3]);
    new Adagrad({ w }, { lr: 0.1 }).step({ w: new Float32Array([1, -1, 0]) });
    // The first AdaGrad step moves each coordinate by lr·sign(g) (G = g²), and not at all where g = 0.
    expect(Array.from(w)).toEqual([Math.fround(0.9), Math.fround(2.1), 3]);
    const node = await import('adagrad/node');
    expect(typeof node.loadModel).toBe('function');
    expect(typeof node.readExamples).toBe('function');
    expect(typeof node.startKernelThreads).toBe('function');
    const tfjs = await import('adagrad/tfjs');
    expect(typeof tfjs.tfjsOptimizer).toBe('function');
  });
});

describe('the adagrad bin', () => {
  const bin = join(ROOT, pkg.bin.adagrad);
  const scratch = mkdtempSync(join(tmpdir(), 'adagrad-bin-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const adagrad = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { cwd: scratch, encoding: 'utf8' });

  it('starts with a shebang and prints the package version', () => {
    expect(existsSync(bin), `${pkg.bin.adagrad} ${BUILT}`).toBe(true);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const result = adagrad('--version');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`adagrad ${pkg.version}`);
  });

  it('trains a model file and predicts with it', () => {
    const data = join(scratch, 'tiny.svm');
    copyFileSync(resolve(ROOT, 'test/data/cli/tiny.svm'), data);
    const trained = adagrad('train', data, '--model', 'tiny.model', '--passes', '3', '--json');
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    expect(existsSync(join(scratch, 'tiny.model'))).toBe(true);
    const predicted = adagrad('predict', data, '--model', 'tiny.model', '--metrics', '--json');
    expect(predicted.status).toBe(0);
    const metrics = JSON.parse(predicted.stdout.trim().split('\n').pop()!) as { accuracy: number };
    // The two classes of tiny.svm use disjoint features: three passes separate them.
    expect(metrics.accuracy).toBe(1);
  });

  it('answers a mistyped command with one line and exit 2', () => {
    const result = adagrad('tarin');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      "adagrad: unknown command 'tarin' (did you mean train?); see adagrad --help",
    ]);
  });
});
