// Metrics against values computed by hand.
import { describe, expect, it } from 'vitest';
import { classificationMetrics, multiclassMetrics, regressionMetrics, rocAuc } from '../src/learn/index.js';

describe('classification metrics', () => {
  it('AUC with tied scores counts a tie as one half', () => {
    // Positives 0.9, 0.6, 0.4 against negatives 0.9, 0.4, 0.1: wins 2.5 + 2 + 1.5 of 9 pairs.
    const labels = [1, 0, 1, 0, 1, 0];
    const scores = [0.9, 0.9, 0.6, 0.4, 0.4, 0.1];
    expect(rocAuc(labels, scores)).toBeCloseTo(6 / 9, 15);
    expect(rocAuc([1, -1], [0.2, 0.7])).toBe(0);
    expect(rocAuc([1, -1], [0.7, 0.2])).toBe(1);
    expect(rocAuc([1, 1], [0.7, 0.2])).toBeNull();
  });
  it('accuracy, log loss, precision, recall, F1 (labels ±1)', () => {
    const m = classificationMetrics([1, -1, 1], [0.8, 0.3, 0.4]);
    expect(m.accuracy).toBeCloseTo(2 / 3, 15);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7) + Math.log(0.4)) / 3, 14);
    expect(m.precision).toBe(1);
    expect(m.recall).toBe(0.5);
    expect(m.f1).toBeCloseTo(2 / 3, 15);
    expect(m.auc).toBe(1);
    expect(m.count).toBe(3);
  });
  it('log loss clips certain mistakes instead of returning Infinity', () => {
    const m = classificationMetrics([0, 1], [1, 1]);
    expect(m.logLoss).toBeCloseTo(-Math.log(1e-15) / 2, 6);
    expect(Number.isFinite(m.logLoss)).toBe(true);
  });
  it('nothing predicted positive gives precision and F1 of 0, not NaN', () => {
    const m = classificationMetrics([1, 0], [0.1, 0.2]);
    expect(m.precision).toBe(0);
    expect(m.recall).toBe(0);
    expect(m.f1).toBe(0);
  });
  it('rejects mismatched, empty and out-of-range input', () => {
    expect(() => classificationMetrics([1], [0.5, 0.5])).toThrow(
      /labels has 1 values but probabilities has 2/,
    );
    expect(() => classificationMetrics([], [])).toThrow(/no examples/);
    expect(() => classificationMetrics([1], [1.5])).toThrow(/probabilities\[0\] = 1.5 is not in \[0, 1\]/);
    expect(() => classificationMetrics([1], [NaN])).toThrow(/probabilities\[0\] is NaN/);
  });
});

describe('regression metrics', () => {
  it('RMSE, MAE and R² by hand', () => {
    // Residuals −0.5, 0, 1, −1; mean label 2.5, total sum of squares 5.
    const m = regressionMetrics([1, 2, 3, 4], [1.5, 2, 2, 5]);
    expect(m.rmse).toBeCloseTo(0.75, 15);
    expect(m.mae).toBeCloseTo(0.625, 15);
    expect(m.r2).toBeCloseTo(0.55, 15);
    expect(m.count).toBe(4);
  });
  it('R² of constant labels is null', () => {
    expect(regressionMetrics([2, 2], [1, 3]).r2).toBeNull();
  });
});

describe('multiclass metrics', () => {
  it('accuracy and log loss of the true class', () => {
    const m = multiclassMetrics(
      [0, 2, 1],
      [0, 1, 1],
      [
        [0.7, 0.2, 0.1],
        [0.1, 0.5, 0.4],
        [0.3, 0.6, 0.1],
      ],
    );
    expect(m.accuracy).toBeCloseTo(2 / 3, 15);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.4) + Math.log(0.6)) / 3, 14);
  });
});
