// adagrad train --lr-schedule: the learning rate by pass, shown in the header line.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, DATA, removeScratch, scratch } from './data/cli/helpers.js';

afterAll(removeScratch);

let dir: string;
let data: string;
beforeAll(() => {
  dir = scratch();
  data = join(dir, 'tiny.svm');
  copyFileSync(join(DATA, 'tiny.svm'), data);
});

const train = (name: string, ...flags: string[]) => {
  const model = join(dir, `${name}.model`);
  const result = cli(['train', data, '--model', model, '--passes', '3', '--holdout-fraction', '0', ...flags]);
  return { ...result, model: readFileSync(model) };
};

describe('adagrad train --lr-schedule', () => {
  it('shows the rate of every pass in the header, and a constant schedule trains as --lr does', () => {
    const scheduled = train('exp', '--lr-schedule', '{"type":"exponential","init":0.5,"rate":0.5}');
    expect(scheduled.code).toBe(0);
    expect(scheduled.stdout).toMatch(
      /optimizer adagrad \(pytorch convention\) lr by pass \(exponential schedule\) 0\.5, 0\.25, 0\.125; /,
    );
    const constant = train('constant', '--lr-schedule', '{"type":"constant","value":0.5}');
    const plain = train('plain', '--lr', '0.5');
    expect(constant.model.equals(plain.model)).toBe(true);
    // The rate falls pass by pass, so the model is not the constant one.
    expect(scheduled.model.equals(plain.model)).toBe(false);
  });

  it('a bad schedule is one readable line and exit 2', () => {
    for (const [value, message] of [
      [
        '{"type":"exponential","init":-1,"rate":0.5}',
        /--lr-schedule: 'init' must be a finite number >= 0, got -1/,
      ],
      ['{oops', /--lr-schedule must be a schedule as JSON/],
      ['{"type":"cosin","init":1}', /unknown schedule type 'cosin'/],
    ] as const) {
      const r = cli(['train', data, '--model', join(dir, 'bad.model'), '--lr-schedule', value]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
