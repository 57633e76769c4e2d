/**
 * The command end to end on small files, spawned as a user runs it: output, files, exit codes and
 * one-line errors.
 */
import { copyFileSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, DATA, scratch } from './data/cli/helpers.js';

afterAll(removeScratch);

let dir: string;
let model: string;
// Copies in the scratch directory: several passes over a file may keep a cache beside it.
let tiny: string;
let linearCsv: string;

beforeAll(() => {
  dir = scratch();
  tiny = join(dir, 'tiny.svm');
  linearCsv = join(dir, 'linear.csv');
  copyFileSync(join(DATA, 'tiny.svm'), tiny);
  copyFileSync(join(DATA, 'linear.csv'), linearCsv);
  model = join(dir, 'tiny.model');
  const result = cli(['train', tiny, '--model', model, '--quiet']);
  expect(result.code).toBe(0);
});

function expectOneLineError(
  result: { code: number | null; stderr: string; stdout: string },
  code: number,
): string {
  expect(result.code).toBe(code);
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^adagrad: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('train', () => {
  it('prints the progressive-validation table, label convention, link and summary', () => {
    const result = cli([
      'train',
      tiny,
      '--model',
      join(dir, 'table.model'),
      '--readable-model',
      join(dir, 'r.json'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('link logistic');
    expect(result.stdout).toMatch(/average\s+since\s+example/);
    // Rows at doubling example counts: 1, 2, 4, 8, 16, 32 of the 60 examples.
    const counters = result.stdout
      .split('\n')
      .filter((l) => /^\d+\.\d{6}\s/.test(l))
      .map((l) => Number(l.trim().split(/\s+/)[2]));
    expect(counters).toEqual([1, 2, 4, 8, 16, 32]);
    expect(result.stdout).toMatch(/examples\s+60 learned\n/);
    expect(result.stdout).toContain('labels           +1/-1 seen');
    expect(result.stdout).toContain(`model            ${join(dir, 'table.model')}`);
    const readable = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(readable.format).toBe('adagrad-readable-model');
    expect(readable.options.loss).toBe('logistic');
    expect(readable.largestWeights.length).toBeGreaterThan(0);
    // Nothing but the model, its readable twin: no temporary files left behind.
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('--json prints JSON lines, the last one the summary', () => {
    const result = cli(['train', tiny, '--model', join(dir, 'json.model'), '--json', '--passes', '3']);
    expect(result.code).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records[0].event).toBe('start');
    expect(records.filter((r) => r.event === 'pass')).toHaveLength(3);
    const last = records[records.length - 1];
    expect(last.event).toBe('summary');
    expect(last.passes).toBe(3);
    // Several passes hold out every 10th example by default.
    expect(last.holdoutLoss).toBeGreaterThan(0);
    expect(last.examples).toBe(3 * 54);
  });

  it('--quiet prints nothing', () => {
    const result = cli(['train', tiny, '--model', join(dir, 'q.model'), '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
  });

  it('--resume continues from the saved weights and counts the passes', () => {
    const path = join(dir, 'resume.model');
    expect(cli(['train', tiny, '--model', path, '--quiet']).code).toBe(0);
    const result = cli(['train', tiny, '--model', path, '--resume', '--json']);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(summary.passes).toBe(2);
    // A model that has seen the data predicts its first example well before updating.
    const firstRow = JSON.parse(result.stdout.split('\n')[1]);
    expect(firstRow.averageLoss).toBeLessThan(0.2);
    const clash = cli(['train', tiny, '--model', path, '--resume', '--bits', '12']);
    expect(expectOneLineError(clash, 1)).toContain('trained with --bits 18, not 12');
  });

  it('learns a regression from CSV', () => {
    const path = join(dir, 'csv.model');
    const trained = cli([
      'train',
      linearCsv,
      '--model',
      path,
      '--loss',
      'squared',
      '--passes',
      '40',
      '--holdout-fraction',
      '0',
      '--readable-model',
      join(dir, 'csv.json'),
      '--quiet',
    ]);
    expect(trained.code).toBe(0);
    // The readable model names CSV columns: y = 2a − b + 1.
    const readable = JSON.parse(readFileSync(join(dir, 'csv.json'), 'utf8'));
    const byName = Object.fromEntries(
      readable.largestWeights.map((w: { feature: string; weight: number }) => [w.feature, w.weight]),
    );
    expect(byName.a).toBeCloseTo(2, 3);
    expect(byName.b).toBeCloseTo(-1, 3);
    expect(readable.bias[0]).toBeCloseTo(1, 3);
    const predicted = cli(['predict', join(DATA, 'linear.csv'), '--model', path, '--metrics']);
    expect(predicted.code).toBe(0);
    const rmse = Number(/RMSE\s+([\d.]+)/.exec(predicted.stdout)![1]);
    // y = 2a - b + 1 exactly: the targets have standard deviation about 1.3.
    expect(rmse).toBeLessThan(0.1);
    expect(Number(/R²\s+([\d.]+)/.exec(predicted.stdout)![1])).toBeGreaterThan(0.99);
  });
});

describe('predict', () => {
  it('writes probabilities with a header saying so, and metrics', () => {
    const out = join(dir, 'pred.txt');
    const result = cli(['predict', tiny, '--model', model, '--out', out]);
    expect(result.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('# probability of the positive class (label +1), logistic model');
    const p = lines.slice(1).map(Number);
    expect(p).toHaveLength(60);
    expect(p.every((x) => x > 0 && x < 1)).toBe(true);
    // The classes are separable by disjoint features: one pass gets them all right.
    expect(p.filter((x, i) => x >= 0.5 === (i % 2 === 0))).toHaveLength(60);
    expect(result.stdout).toMatch(/accuracy\s+100\.00%/);
    expect(result.stdout).toMatch(/AUC\s+1\.000000/);
  });

  it('--json names the field probability and ends with the metrics', () => {
    const result = cli(['predict', tiny, '--model', model, '--json']);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(61);
    expect(Object.keys(records[0])).toEqual(['line', 'probability']);
    const metrics = records[60];
    expect(metrics.event).toBe('metrics');
    expect(metrics.accuracy).toBe(1);
    expect(metrics.count).toBe(60);
    for (const key of ['logLoss', 'auc', 'precision', 'recall', 'f1']) expect(metrics).toHaveProperty(key);
  });

  it('refuses options other than the model was trained with', () => {
    expect(expectOneLineError(cli(['predict', tiny, '--model', model, '--bits', '16']), 1)).toBe(
      'adagrad: predict: the model was trained with --bits 18, but --bits 16 was asked',
    );
    expect(expectOneLineError(cli(['predict', tiny, '--model', model, '--loss', 'hinge']), 1)).toContain(
      'trained with --loss logistic',
    );
    expect(expectOneLineError(cli(['predict', join(DATA, 'linear.csv'), '--model', model]), 1)).toContain(
      'trained on libsvm input',
    );
  });

  it('reports a missing, truncated or corrupt model in one line', () => {
    expect(expectOneLineError(cli(['predict', tiny, '--model', join(dir, 'nope.model')]), 1)).toContain(
      'nope.model: no such model file',
    );
    const bytes = readFileSync(model);
    const corrupt = Buffer.from(bytes);
    corrupt[corrupt.length - 100] ^= 0xff;
    writeFileSync(join(dir, 'corrupt.model'), corrupt);
    expect(expectOneLineError(cli(['predict', tiny, '--model', join(dir, 'corrupt.model')]), 1)).toContain(
      'checksum',
    );
    writeFileSync(join(dir, 'short.model'), bytes.subarray(0, bytes.length - 1000));
    expect(expectOneLineError(cli(['predict', tiny, '--model', join(dir, 'short.model')]), 1)).toContain(
      'truncated',
    );
    writeFileSync(join(dir, 'text.model'), 'hello, I am not a model\n');
    expect(expectOneLineError(cli(['predict', tiny, '--model', join(dir, 'text.model')]), 1)).toContain(
      'not an adagrad model file',
    );
  });
});

describe('bad input', () => {
  it('names file and line of a malformed line, and leaves no model', () => {
    const path = join(dir, 'bad.model');
    const line = expectOneLineError(cli(['train', join(DATA, 'bad-line.svm'), '--model', path]), 1);
    expect(line).toMatch(/bad-line\.svm:3: .*'abc'/);
    expect(existsSync(path)).toBe(false);
  });

  it('--skip-bad-lines counts and skips', () => {
    const result = cli([
      'train',
      join(DATA, 'bad-line.svm'),
      '--model',
      join(dir, 'skip.model'),
      '--skip-bad-lines',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(summary.badLines).toBe(1);
    expect(summary.examples).toBe(4);
  });

  it('refuses labels that do not fit the loss, naming the line', () => {
    const line = expectOneLineError(
      cli(['train', join(DATA, 'bad-label.svm'), '--model', join(dir, 'l.model')]),
      1,
    );
    expect(line).toMatch(
      /bad-label\.svm:3: label 3 does not fit the logistic loss: expected \+1\/-1 or 1\/0/,
    );
  });

  it('usage mistakes exit 2 with a suggestion', () => {
    expect(expectOneLineError(cli(['train', tiny, '--model', model, '--lrr', '1']), 2)).toBe(
      'adagrad: unknown option --lrr (did you mean --lr?); see adagrad train --help',
    );
    expect(expectOneLineError(cli(['train', tiny, '--model', model, '--bits', '30']), 2)).toContain(
      '--bits: 30 is out of range',
    );
    expect(expectOneLineError(cli(['train', tiny]), 2)).toContain('--model M is required');
    expect(expectOneLineError(cli(['tarin']), 2)).toContain('did you mean train?');
  });

  it("the learner's option rules, said about the flags", () => {
    const train = (...flags: string[]) =>
      expectOneLineError(cli(['train', tiny, '--model', join(dir, 'rule.model'), ...flags]), 2);
    expect(train('--classes', '3')).toBe(
      "adagrad: train: --classes applies to the softmax loss only (loss is 'logistic')",
    );
    expect(train('--loss', 'softmax')).toBe(
      'adagrad: train: --classes is needed by the softmax loss (K >= 2 classes)',
    );
    expect(train('--optimizer', 'sgd', '--preset', 'keras')).toMatch(
      /^adagrad: train: --preset is refused by the optimizer: .*belongs to adagrad/,
    );
    expect(existsSync(join(dir, 'rule.model'))).toBe(false);
  });

  it('ADAGRAD_DEBUG=1 adds the stack after the one-line message', () => {
    const result = cli(['train', join(DATA, 'bad-line.svm'), '--model', join(dir, 'dbg.model')], {
      debug: true,
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^adagrad: .*bad-line\.svm:3: /);
    expect(lines.slice(1).some((line) => /^\s+at /.test(line))).toBe(true);
  });

  it('a missing input file is one line', () => {
    expect(expectOneLineError(cli(['train', join(dir, 'missing.svm'), '--model', model]), 1)).toContain(
      'missing.svm',
    );
  });
});

describe('sparse models', () => {
  it('train --optimizer ftrl --l1: nonzero weights in both summaries, saved as its nonzeros unless --keep-state', () => {
    const path = join(dir, 'ftrl.model');
    const ftrl = ['train', tiny, '--optimizer', 'ftrl', '--lr', '1', '--l1', '0.5'];
    const args = [...ftrl, '--model', path];
    const text = cli(args);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('optimizer ftrl lr 1, l1 0.5');
    expect(text.stdout).toContain('updates: sparse updates (touched features only)');
    const json = cli([...args, '--json']);
    const summary = JSON.parse(json.stdout.trim().split('\n').pop()!);
    expect(summary.event).toBe('summary');
    expect(summary.nonzeroWeights).toBeGreaterThan(0);
    expect(summary.nonzeroWeights).toBeLessThan(2 ** 18);
    expect(text.stdout).toContain(`nonzero weights  ${summary.nonzeroWeights} of ${2 ** 18}`);
    // By default a sparse model is its nonzeros: positions and values, and the header, not the
    // 1 MiB of 2^18 float32 weights, nor FTRL's z and n for every feature seen.
    expect(summary.weightsOnly).toBe(true);
    expect(summary.modelBytes).toBe(readFileSync(path).length);
    expect(summary.modelBytes).toBeLessThan(4096 + 8 * summary.nonzeroWeights);
    expect(text.stdout).toMatch(/model {12}.*ftrl\.model \(weights only, [\d.]+ (KiB|bytes)\)/);
    expect(expectOneLineError(cli([...ftrl, '--model', path, '--resume']), 1)).toContain(
      'holds weights only, not the optimizer state training needs',
    );

    // --keep-state writes the state too, and --resume continues from it.
    const full = join(dir, 'ftrl-state.model');
    const kept = cli([...ftrl, '--model', full, '--keep-state', '--json']);
    const keptSummary = JSON.parse(kept.stdout.trim().split('\n').pop()!);
    expect(keptSummary.weightsOnly).toBe(false);
    expect(keptSummary.modelBytes).toBeGreaterThan(summary.modelBytes);
    const metrics = (m: string) => {
      const { model: _path, ...rest } = JSON.parse(
        cli(['predict', tiny, '--model', m, '--json', '--metrics']).stdout,
      );
      return rest;
    };
    expect(metrics(full)).toEqual(metrics(path));
    const resumed = cli([...ftrl, '--model', full, '--resume', '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split('\n').pop()!).passes).toBe(2);

    // A model without l1 keeps its state by default; --weights-only drops it.
    const dense = join(dir, 'ftrl-dense.model');
    const denseRun = cli(['train', tiny, '--optimizer', 'ftrl', '--lr', '1', '--model', dense, '--json']);
    expect(JSON.parse(denseRun.stdout.trim().split('\n').pop()!).weightsOnly).toBe(false);
    const slim = cli([
      'train',
      tiny,
      '--optimizer',
      'ftrl',
      '--lr',
      '1',
      '--model',
      dense,
      '--weights-only',
      '--json',
    ]);
    expect(JSON.parse(slim.stdout.trim().split('\n').pop()!).weightsOnly).toBe(true);
  });

  it('--l1 is refused by an optimizer that has none, naming the flag', () => {
    expect(
      expectOneLineError(
        cli(['train', tiny, '--model', join(dir, 'x.model'), '--optimizer', 'sgd', '--l1', '1']),
        2,
      ),
    ).toMatch(/^adagrad: train: --l1 is refused by the optimizer: SGD: unknown option 'l1'/);
  });

  it('compare: a nonzeros column, --l1 for the sparse models, lazy Adam said', () => {
    const result = cli(['compare', tiny, '--optimizers', 'ftrl,adagrad-da,adam', '--l1', '0.5', '--lr', '1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('adam: lazy Adam (SparseAdam)');
    expect(result.stdout).toMatch(/optimizer\s+lr\s+examples\s+final loss\s+accuracy\s+nonzeros\s+time/);
    const rows = result.stdout.split('\n').filter((l) => /^(ftrl|adagrad-da|adam)\s+\d/.test(l));
    expect(rows).toHaveLength(3);
    const nonzeros = rows.map((l) => Number(l.trim().split(/\s+/)[5]));
    // l1 0.5 on 60 examples keeps far fewer weights than Adam, which has no l1.
    expect(nonzeros[0]).toBeLessThan(nonzeros[2]);
  });
});

describe('compare, trace, dataset, help', () => {
  it('compare writes a table and an SVG with one path per optimizer', () => {
    const svg = join(dir, 'cmp.svg');
    const png = join(dir, 'cmp.png');
    const result = cli([
      'compare',
      tiny,
      '--optimizers',
      'adagrad,sgd,rmsprop,adam',
      '--bits',
      '6',
      '--plot',
      svg,
      '--png',
      png,
    ]);
    expect(result.code).toBe(0);
    for (const name of ['adagrad', 'sgd', 'rmsprop', 'adam'])
      expect(result.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    const text = readFileSync(svg, 'utf8');
    // Well-formed: resvg's XML parser accepts it (it refuses malformed SVG), and tags balance.
    expect(() => new Resvg(text)).not.toThrow();
    const opened = (text.match(/<g[ >]/g) ?? []).length;
    expect((text.match(/<\/g>/g) ?? []).length).toBe(opened);
    const paths = [...text.matchAll(/<path data-series="([^"]+)"[^>]* d="([^"]+)"\/>/g)];
    expect(paths.map((p) => p[1].split(' ')[0])).toEqual(['adagrad', 'sgd', 'rmsprop', 'adam']);
    for (const p of paths) expect(p[2]).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
    expect(text).toContain('Progressive logistic loss');
    expect(text).toContain('examples seen (log scale)');
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('trace prints the trajectory as CSV and JSON', () => {
    const csv = cli([
      'trace',
      '--landscape',
      'valley',
      '--optimizer',
      'adagrad',
      '--lr',
      '0.4',
      '--steps',
      '5',
    ]);
    expect(csv.code).toBe(0);
    const rows = csv.stdout
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'));
    expect(rows[0]).toBe('step,x,y,loss,gx,gy,acc_x,acc_y,rate_x,rate_y,dropped_y');
    expect(rows).toHaveLength(7);
    // Step 1 by hand: G = g², so each coordinate moves lr·sign(g) (up to eps): from (-10, 2) by 0.4.
    const step1 = rows[2].split(',').map(Number);
    expect(step1[1]).toBeCloseTo(-9.6, 9);
    expect(step1[2]).toBeCloseTo(1.6, 9);
    const json = JSON.parse(cli(['trace', '--steps', '5', '--format', 'json']).stdout);
    expect(json.steps).toHaveLength(6);
    expect(json.steps[1].acc_y).toBeCloseTo(json.steps[1].gy ** 2, 9);
    expect(json.steps[1].rate_x).toBeCloseTo(0.4 / Math.abs(json.steps[1].gx), 6);
  });

  it('dataset exports a deterministic split', () => {
    const result = cli(['dataset', 'boston', '--out', join(dir, 'boston'), '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.train.examples + summary.test.examples).toBe(506);
    expect(summary.test.examples).toBe(101);
    const first = readFileSync(join(dir, 'boston.train.svm'), 'utf8').split('\n')[0];
    // LIBSVM, 1-based, zeros left out (the first row's zn is 0): 13 features at most.
    expect(first).toMatch(/^[\d.]+ 1:[\d.e-]+ (\d+:[\d.e-]+ ?){1,12}$/);
    expect(expectOneLineError(cli(['dataset', 'spma', '--out', join(dir, 'x')]), 2)).toContain(
      "unknown corpus 'spma'",
    );
  });

  it('help and version', () => {
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['train', 'predict', 'compare', 'trace', 'dataset'])
      expect(help.stdout).toContain(`  ${name}`);
    // Each command's line is its summary's first sentence, whole (it used to stop at a line break).
    expect(help.stdout).toContain(
      '  compare    Trains one model per optimizer on the same data and compares them.\n',
    );
    const commandBlock = help.stdout.split('commands:\n')[1].split('\n\n')[0];
    for (const entry of commandBlock.split(/\n(?= {2}\S)/)) expect(entry.trimEnd()).toMatch(/\.$/);
    const trainHelp = cli(['train', '--help']);
    expect(trainHelp.stdout).toMatch(/--bits N\s+hash space/);
    // One default hash space for every command that hashes.
    for (const command of ['train', 'compare', 'dataset'])
      expect(cli([command, '--help']).stdout).toMatch(/--bits N\s+hash space[^\n]*\(default 18\)/);
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'));
    expect(cli(['--version']).stdout).toBe(`adagrad ${pkg.version}\n`);
  });
});
