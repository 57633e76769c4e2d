// Each loss's gradient against central finite differences, and values checked by hand.
import { describe, expect, it } from 'vitest';
import {
  hingeGradient,
  hingeLoss,
  logisticGradient,
  logisticLoss,
  sigmoid,
  softmaxGradientInto,
  softmaxLoss,
  squaredGradient,
  squaredLoss,
} from '../src/learn/index.js';

const h = 1e-6;
const central = (f: (z: number) => number, z: number): number => (f(z + h) - f(z - h)) / (2 * h);

describe('losses: gradients match finite differences', () => {
  const points = [-7.5, -2, -0.3, 0, 0.4, 1.7, 6];
  it('logistic, y in {0, 1}', () => {
    for (const y of [0, 1]) {
      for (const z of points) {
        expect(logisticGradient(z, y)).toBeCloseTo(
          central((t) => logisticLoss(t, y), z),
          6,
        );
      }
    }
  });
  it('squared', () => {
    for (const y of [-3, 0.5, 12]) {
      for (const z of points)
        expect(squaredGradient(z, y)).toBeCloseTo(
          central((t) => squaredLoss(t, y), z),
          5,
        );
    }
  });
  it('hinge, away from the kink', () => {
    for (const y of [-1, 1]) {
      for (const z of points.filter((p) => Math.abs(y * p - 1) > 1e-3)) {
        expect(hingeGradient(z, y)).toBeCloseTo(
          central((t) => hingeLoss(t, y), z),
          6,
        );
      }
    }
  });
  it('softmax over 4 classes, every coordinate', () => {
    const scores = [0.3, -1.2, 2.5, 0.9];
    for (let y = 0; y < 4; y++) {
      const grad = softmaxGradientInto(scores, y, new Float64Array(4));
      for (let k = 0; k < 4; k++) {
        const f = (t: number): number =>
          softmaxLoss(
            scores.map((s, c) => (c === k ? t : s)),
            y,
          );
        expect(grad[k]).toBeCloseTo(central(f, scores[k]), 6);
      }
    }
  });
});

describe('losses: values by hand and far from zero', () => {
  it('logistic at 0 is log 2; its probability is ½', () => {
    expect(logisticLoss(0, 1)).toBeCloseTo(Math.LN2, 15);
    expect(sigmoid(0)).toBe(0.5);
  });
  it('logistic does not overflow for huge scores', () => {
    expect(logisticLoss(800, 1)).toBe(0);
    expect(logisticLoss(800, 0)).toBeCloseTo(800, 10);
    expect(logisticLoss(-800, 1)).toBeCloseTo(800, 10);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
  });
  it('squared error is (z − y)², as VW and MSELoss report it', () => {
    expect(squaredLoss(3, 1)).toBe(4);
    expect(squaredGradient(3, 1)).toBe(4);
  });
  it('hinge', () => {
    expect(hingeLoss(0.25, 1)).toBe(0.75);
    expect(hingeLoss(2, 1)).toBe(0);
    expect(hingeLoss(0.5, -1)).toBe(1.5);
    expect(hingeGradient(2, 1)).toBe(0);
    expect(hingeGradient(0.5, -1)).toBe(1);
  });
  it('softmax of equal scores is log K; large scores are stable', () => {
    expect(softmaxLoss([1, 1, 1], 2)).toBeCloseTo(Math.log(3), 14);
    expect(softmaxLoss([1000, 0], 0)).toBe(0);
    expect(softmaxLoss([1000, 0], 1)).toBeCloseTo(1000, 10);
  });
});
