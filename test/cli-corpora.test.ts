/**
 * The command on the real corpora with no tuning: the demo (no FILE) and the exported spam split,
 * trained by file and predicted on the held-out export, above 95% accuracy after one pass.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratch } from './data/cli/helpers.js';

afterAll(removeScratch);

let dir: string;

beforeAll(() => {
  dir = scratch();
  expect(cli(['dataset', 'spam', '--out', join(dir, 'spam'), '--quiet']).code).toBe(0);
});

describe('spam', () => {
  it('the demo trains on the corpus with the defaults and says so', () => {
    const result = cli(['train', '--model', join(dir, 'demo.model')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no FILE given: training on the bundled SpamAssassin corpus as a demo');
    const accuracy = Number(/test accuracy\s+([\d.]+)%/.exec(result.stdout)![1]);
    expect(accuracy).toBeGreaterThan(95);
  });

  it('one pass on the exported train file, predicted on the exported test file, is above 95%', () => {
    const model = join(dir, 'spam.model');
    const trained = cli(['train', join(dir, 'spam.train.svm'), '--model', model, '--json']);
    expect(trained.code).toBe(0);
    const summary = JSON.parse(trained.stdout.trim().split('\n').pop()!);
    expect(summary.examples).toBe(4837);
    expect(summary.passes).toBe(1);
    const predicted = cli(['predict', join(dir, 'spam.test.svm'), '--model', model, '--json', '--metrics']);
    expect(predicted.code).toBe(0);
    const metrics = JSON.parse(predicted.stdout.trim());
    expect(metrics.count).toBe(1209);
    expect(metrics.accuracy).toBeGreaterThan(0.95);
    expect(metrics.auc).toBeGreaterThan(0.98);
    // The demo model reads the exported files too: same split, same 1-based indices.
    const demo = cli([
      'predict',
      join(dir, 'spam.test.svm'),
      '--model',
      join(dir, 'demo.model'),
      '--json',
      '--metrics',
    ]);
    expect(JSON.parse(demo.stdout.trim()).accuracy).toBeCloseTo(metrics.accuracy, 10);
  });
});

describe('boston', () => {
  it('the network (--model-type mlp) trains on the export and predicts the held-out houses', () => {
    expect(cli(['dataset', 'boston', '--out', join(dir, 'boston'), '--quiet']).code).toBe(0);
    const model = join(dir, 'boston.model');
    const trained = cli([
      'train',
      join(dir, 'boston.train.svm'),
      '--model-type',
      'mlp',
      '--hidden',
      '10',
      '--model',
      model,
      '--passes',
      '20',
      '--json',
    ]);
    expect(trained.code).toBe(0);
    const predicted = cli(['predict', join(dir, 'boston.test.svm'), '--model', model, '--json', '--metrics']);
    expect(predicted.code).toBe(0);
    const metrics = JSON.parse(predicted.stdout.trim());
    expect(metrics.count).toBe(101);
    // medv has a standard deviation of about 9.2 ($1000s): predicting the mean gives R² 0.
    expect(metrics.r2).toBeGreaterThan(0.6);
    expect(metrics.rmse).toBeLessThan(6);
    const bits = cli(['predict', join(dir, 'boston.test.svm'), '--model', model, '--bits', '18']);
    expect(bits.code).toBe(1);
    expect(bits.stderr).toContain('--bits does not apply to a network model');
  });
});
