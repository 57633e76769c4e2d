/**
 * The house-price examples' data: five features of the Boston house prices (rooms per dwelling,
 * % lower-status population, pupil-teacher ratio, distance to employment centres, property tax) and the
 * median price, all standardized (so a loss of 1 is what predicting the mean price gives).
 */
import { loadBostonRows } from '../src/data/node/index.js';

const FEATURES = [5, 12, 10, 7, 9]; // rm, lstat, ptratio, dis, tax in BOSTON_FEATURES order

function standardize(values: number[]): { z: number[]; mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { z: values.map((v) => (v - mean) / std), mean, std };
}

/** Row-major inputs (rows × 5), standardized targets, and the price's standard deviation (thousands). */
export function bostonInputs(): {
  inputs: Float32Array;
  targets: Float32Array;
  rows: number;
  priceStd: number;
} {
  const { features, targets: prices } = loadBostonRows();
  const columns = FEATURES.map((f) => standardize(features.map((row) => row[f])).z);
  const inputs = new Float32Array(prices.length * FEATURES.length);
  prices.forEach((_, r) => columns.forEach((column, c) => (inputs[r * FEATURES.length + c] = column[r])));
  const price = standardize(prices);
  return { inputs, targets: Float32Array.from(price.z), rows: prices.length, priceStd: price.std };
}
