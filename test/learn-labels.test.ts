// Labels are mapped to each loss's convention, and labels that do not fit are errors naming the line.
import { describe, expect, it } from 'vitest';
import { DataError } from '../src/data/errors.js';
import { labelFor, LinearLearner } from '../src/learn/index.js';

const ex = (label: number, line: number) => ({
  label,
  weight: 1,
  indices: Uint32Array.of(1),
  values: Float32Array.of(1),
  line,
});

describe('labelFor', () => {
  it('maps binary labels to the loss convention', () => {
    expect(labelFor('logistic', -1)).toBe(0);
    expect(labelFor('logistic', 0)).toBe(0);
    expect(labelFor('logistic', 1)).toBe(1);
    expect(labelFor('hinge', 0)).toBe(-1);
    expect(labelFor('hinge', 1)).toBe(1);
    expect(labelFor('squared', 3.25)).toBe(3.25);
  });
  it('rejects labels that do not fit, naming file and line', () => {
    expect(() => labelFor('logistic', 2, { file: 'a.svm', line: 7 })).toThrow(
      /a\.svm:7: label 2 does not fit the logistic loss/,
    );
    expect(() => labelFor('hinge', 0.5, { line: 3 })).toThrow(DataError);
    expect(() => labelFor('squared', NaN, { line: 4 })).toThrow(/line 4: label NaN is not a finite number/);
  });
  it('softmax: 0..K−1 by default, 1..K with firstClass 1, with a hint at the other convention', () => {
    expect(labelFor('softmax', 2, {}, { classes: 3 })).toBe(2);
    expect(labelFor('softmax', 3, {}, { classes: 3, firstClass: 1 })).toBe(2);
    expect(() => labelFor('softmax', 3, { line: 9 }, { classes: 3 })).toThrow(
      /line 9: .*0\.\.2 \(classes numbered 1\.\.K\? set firstClass 1\)/,
    );
    expect(() => labelFor('softmax', 1.5, {}, { classes: 3 })).toThrow(DataError);
  });
});

describe('the learner tracks the label convention it saw', () => {
  it('says which convention, and rejects mixing it, naming the line', () => {
    const learner = new LinearLearner({ bits: 4 });
    learner.learn(ex(1, 1));
    expect(learner.labelKind).toBeUndefined();
    learner.learn(ex(-1, 2));
    expect(learner.labelKind).toBe('plusminus');
    expect(() => learner.learn(ex(0, 3))).toThrow(
      /line 3: label 0 mixes label conventions: earlier labels were \+1\/-1/,
    );
  });
  it('zero-one labels', () => {
    const learner = new LinearLearner({ bits: 4 });
    learner.learn(ex(0, 1));
    expect(learner.labelKind).toBe('zeroone');
    expect(() => learner.learn(ex(-1, 2))).toThrow(/earlier labels were 1\/0/);
  });
  it('squared and softmax', () => {
    const squared = new LinearLearner({ loss: 'squared', bits: 4 });
    squared.learn(ex(4.5, 1));
    expect(squared.labelKind).toBe('real');
    const softmax = new LinearLearner({ loss: 'softmax', classes: 3, bits: 4 });
    softmax.learn(ex(2, 1));
    expect(softmax.labelKind).toBe('class');
    expect(() => softmax.learn(ex(3, 2))).toThrow(/line 2/);
  });
});

describe('learner options are checked, naming the option', () => {
  it.each([
    [{ loss: 'absolute' }, /option 'loss'/],
    [{ bits: 29 }, /option 'bits'/],
    [{ loss: 'softmax' }, /option 'classes' is needed by the softmax loss/],
    [{ classes: 3 }, /option 'classes'.*softmax loss only/],
    [{ lr: 0 }, /option 'lr' must be a finite number > 0/],
    [{ l2: -1 }, /option 'l2'/],
    [{ optimizer: 'lbfgs' }, /option 'optimizer'/],
    [
      { optimizer: 'sgd', preset: 'keras' },
      /option 'preset' is refused by the optimizer: .*belongs to adagrad/,
    ],
    [
      { preset: 'sklearn' as never },
      /option 'preset' is refused by the optimizer: Adagrad: option 'preset' must be one of/,
    ],
    [{ optimizer: 'sgd', eps: 1e-3 }, /option 'eps' is refused by the optimizer: .*unknown option 'eps'/],
    [{ momentum: 0.9 }, /unknown option 'momentum'/],
  ])('%j', (options, message) => {
    expect(() => new LinearLearner(options as never)).toThrow(message);
  });
  it('defaults: logistic, bits 18, AdaGrad (pytorch) with lr 0.5', () => {
    const o = new LinearLearner().options;
    expect(o).toMatchObject({
      loss: 'logistic',
      bits: 18,
      classes: 1,
      optimizer: 'adagrad',
      preset: 'pytorch',
      lr: 0.5,
      l2: 0,
    });
    expect(o.eps).toBe(1e-10);
    expect(o.initialAccumulatorValue).toBe(0);
  });
  it('diverging training is an error naming the line, not NaN', () => {
    const learner = new LinearLearner({ loss: 'squared', optimizer: 'sgd', lr: 1e6, bits: 2 });
    const big = { ...ex(1, 1), values: Float32Array.of(1e3) };
    expect(() => {
      for (let i = 0; i < 50; i++) learner.learn({ ...big, line: i + 1 });
    }).toThrow(/line \d+: the model diverged/);
  });
  it('negative importance weights are rejected', () => {
    expect(() => new LinearLearner({ bits: 3 }).learn({ ...ex(1, 5), weight: -1 })).toThrow(
      /line 5: importance weight -1/,
    );
  });
});
