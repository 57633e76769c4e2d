// adagrad/tfjs on TensorFlow.js's CPU backend: our optimizers training TF.js models.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { OptimizerInputError } from '../src/index.js';
import { tfjsOptimizer } from '../src/tfjs/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** The seed network's shape (5 → 10 ReLU → 1), with fixed starting weights. */
function network(optimizer: tf.Optimizer): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [5],
        units: 10,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return model;
}

function data(n: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 5 }, (_, j) => Math.sin(i * 0.37 + j * 1.1));
    xs.push(row);
    ys.push([row[0] * 2 - row[1] + 0.5 * row[2] * row[3] + 0.3]);
  }
  return { x: tf.tensor2d(xs), y: tf.tensor2d(ys) };
}

const weightsOf = (model: tfl.LayersModel): number[][] =>
  model.getWeights().map((w) => Array.from(w.dataSync()));

async function fit(model: tfl.LayersModel, epochs: number): Promise<number> {
  const { x, y } = data(64);
  const history = await model.fit(x, y, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
  const losses = history.history.loss as number[];
  return losses[losses.length - 1];
}

describe('tfjsOptimizer in model.compile / model.fit', () => {
  it('with the tfjs preset, a model trains exactly as with tf.train.adagrad, weight for weight', async () => {
    const ours = network(tfjsOptimizer('adagrad', { preset: 'tfjs', lr: 0.05 }));
    const theirs = network(tf.train.adagrad(0.05, 0.1));
    expect(weightsOf(ours)).toEqual(weightsOf(theirs));
    await fit(ours, 5);
    await fit(theirs, 5);
    expect(weightsOf(ours)).toEqual(weightsOf(theirs));
  });

  it('AdamW trains the network to a low loss', async () => {
    const model = network(tfjsOptimizer('adamw', { lr: 0.01, weightDecay: 1e-4 }));
    const first = await fit(model, 1);
    const last = await fit(model, 60);
    expect(first).toBeGreaterThan(0.5);
    expect(last).toBeLessThan(0.05);
  });

  it('FTRL trains a linear model (5 → 1) to a low loss', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [5], units: 1 })] });
    model.compile({ optimizer: tfjsOptimizer('ftrl', { lr: 0.5 }), loss: 'meanSquaredError' });
    const { x } = data(64);
    // A linear target, which a linear model can fit.
    const y = tf.tidy(() => tf.add(tf.matMul(x, tf.tensor2d([[1.5], [-1], [0.5], [0], [2]])), 0.3));
    const history = await model.fit(x, y, { epochs: 80, batchSize: 16, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses[losses.length - 1]).toBeLessThan(0.01);
  });

  it('SparseAdam trains an embedding table from the rows each step looks up, to a low loss', () => {
    // Each of 20 ids should embed to a target vector; a step looks up 4 ids and takes their rows' gradient.
    const table = tf.variable(tf.zeros([20, 4]), true, 'sparse-adam-table');
    const targets = tf.tensor2d(
      Array.from({ length: 80 }, (_, i) => Math.sin(i * 0.7)),
      [20, 4],
    );
    const opt = tfjsOptimizer('sparse-adam', { lr: 0.05 });
    const lossOf = (ids: tf.Tensor1D) =>
      tf.losses.meanSquaredError(tf.gather(targets, ids), tf.gather(table as tf.Tensor2D, ids));
    for (let step = 0; step < 400; step++) {
      const indices = [0, 1, 2, 3].map((k) => (step * 4 + k * 7) % 20);
      const ids = tf.tensor1d(indices, 'int32');
      const { grads } = tf.variableGrads(() => lossOf(ids) as tf.Scalar, [table]);
      const dense = grads[table.name].arraySync() as number[][];
      opt.applyGradients({
        [table.name]: { indices, values: Float32Array.from(indices.flatMap((r) => dense[r])) },
      });
      tf.dispose([ids, grads[table.name]]);
    }
    const all = tf.tensor1d(
      Array.from({ length: 20 }, (_, i) => i),
      'int32',
    );
    expect((lossOf(all) as tf.Scalar).dataSync()[0]).toBeLessThan(1e-3);
  });

  it('optimizer.minimize(f) works on plain variables, and sparse rows of a table update only those rows', () => {
    const w = tf.variable(tf.tensor1d([3, -2]), true, 'minimize-w');
    const opt = tfjsOptimizer('sgd', { lr: 0.1 });
    for (let i = 0; i < 50; i++) opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    expect(Math.max(...Array.from(w.dataSync()).map(Math.abs))).toBeLessThan(1e-3);
    expect(opt.iterations).toBe(50);

    const table = tf.variable(tf.ones([6, 2]), true, 'sparse-table');
    const adagrad = tfjsOptimizer('adagrad', { lr: 0.5 });
    adagrad.applyGradients({
      'sparse-table': { indices: [4, 1, 4], values: new Float32Array([1, 1, 1, 1, 1, 1]) },
    });
    const after = Array.from(table.dataSync());
    expect(after.filter((v) => v === 1)).toHaveLength(8);
    expect(after[2]).toBeCloseTo(0.5, 6); // row 1: g = 1, G = 1, 1 − 0.5·1/1
    expect(after[8]).toBeCloseTo(0.5, 6); // row 4: duplicates summed, g = 2, G = 4, 1 − 0.5·2/2
  });

  it('getWeights / setWeights carry the state: a restored optimizer continues exactly', async () => {
    const a = network(tfjsOptimizer('adam', { lr: 0.01 }));
    await fit(a, 3);
    const saved = await a.optimizer.getWeights();
    const weights = a.getWeights().map((t) => t.clone());
    const b = network(tfjsOptimizer('adam', { lr: 0.01 }));
    b.setWeights(weights);
    await b.optimizer.setWeights(saved);
    expect(b.optimizer.iterations).toBe(a.optimizer.iterations);
    await fit(a, 2);
    await fit(b, 2);
    expect(weightsOf(b)).toEqual(weightsOf(a));
    // Our own state dict says the same, as JSON.
    const sa = (a.optimizer as ReturnType<typeof tfjsOptimizer>).stateDict();
    const sb = (b.optimizer as ReturnType<typeof tfjsOptimizer>).stateDict();
    expect(Object.values(JSON.parse(JSON.stringify(sb.optimizer.state)) as object)).toEqual(
      Object.values(JSON.parse(JSON.stringify(sa.optimizer.state)) as object),
    );
  });
});

describe('tfjsOptimizer: bad input is one clear error and changes nothing', () => {
  it('unknown optimizers and options are refused when the optimizer is made', () => {
    expect(() => tfjsOptimizer('adamx' as never)).toThrow(/unknown optimizer 'adamx'/);
    expect(() => tfjsOptimizer('adam', { lr: -1 })).toThrow(/Adam: option 'lr' must be a finite number >= 0/);
    expect(() => tfjsOptimizer('adam', { learningRate: 0.1 })).toThrow(/unknown option 'learningRate'/);
  });

  it('a variable of the wrong dtype, a gradient of the wrong shape or dtype, an unknown name', () => {
    const w = tf.variable(tf.tensor1d([1, 2]), true, 'bad-w');
    const n = tf.variable(tf.tensor1d([1, 2], 'int32'), true, 'bad-int');
    const opt = tfjsOptimizer('adagrad', { lr: 0.1 });
    expect(() => opt.applyGradients({ 'bad-w': tf.ones([2]), 'bad-int': tf.ones([2]) })).toThrow(
      /variable 'bad-int' is int32; this library's optimizers update float32 variables/,
    );
    expect(() => opt.applyGradients({ 'bad-w': tf.ones([3]) })).toThrow(
      /the gradient of variable 'bad-w' has shape \[3\], the variable \[2\]/,
    );
    expect(() => opt.applyGradients({ 'bad-w': tf.ones([2], 'int32') })).toThrow(
      /is int32, expected float32/,
    );
    expect(() => opt.applyGradients({ nowhere: tf.ones([2]) })).toThrow(OptimizerInputError);
    expect(() => opt.applyGradients({ 'bad-w': tf.tensor1d([1, NaN]) })).toThrow(/non-finite value/);
    expect(Array.from(w.dataSync())).toEqual([1, 2]);
    expect(Array.from(n.dataSync())).toEqual([1, 2]);
    expect(opt.iterations).toBe(0);
  });
});

it('the core library imports no TensorFlow.js: only src/tfjs does', () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (path !== join('src', 'tfjs')) walk(path);
      } else if (/\.ts$/.test(entry) && /from '@tensorflow\//.test(readFileSync(path, 'utf8'))) {
        offenders.push(path);
      }
    }
  };
  walk('src');
  expect(offenders).toEqual([]);
});
