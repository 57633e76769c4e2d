// The tfjs preset against TensorFlow.js itself: tf.train.adagrad on its CPU backend, in this process,
// on random configurations (learning rate, initial accumulator, starting point, gradients of every
// scale). Every float32 value must be the same bits after every step, on both kernel paths.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/data/random.js';
import { Adagrad } from '../src/index.js';
import { kernelPaths, useKernelPath } from './kernel-paths.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

interface Config {
  lr: number;
  initialAccumulatorValue: number;
  start: Float32Array;
  grads: Float32Array[];
}

function randomConfig(seed: number): Config {
  const rand = mulberry32(seed);
  const n = 1 + Math.floor(rand() * 70);
  const lr = 10 ** (-4 + 4 * rand());
  const initialAccumulatorValue = rand() < 0.3 ? 0.1 : 10 ** (-3 + 3 * rand());
  const scale = () => 10 ** (-3 + 5 * rand());
  const vector = (s: number) =>
    Float32Array.from({ length: n }, () => (rand() < 0.1 ? 0 : s * (2 * rand() - 1)));
  const start = vector(2);
  const gradScale = scale();
  const grads = Array.from({ length: 50 }, () => vector(gradScale));
  return { lr, initialAccumulatorValue, start, grads };
}

/** TF.js's trajectory: the variable after every applyGradients. */
function tfjsTrajectory(c: Config): Float32Array[] {
  const optimizer = tf.train.adagrad(c.lr, c.initialAccumulatorValue);
  const v = tf.variable(tf.tensor1d(c.start, 'float32'));
  const out: Float32Array[] = [];
  for (const g of c.grads) {
    const grad = tf.tensor1d(g, 'float32');
    optimizer.applyGradients([{ name: v.name, tensor: grad }]);
    grad.dispose();
    out.push(v.dataSync() as Float32Array);
  }
  optimizer.dispose();
  v.dispose();
  return out;
}

describe.each(kernelPaths)('the tfjs preset on the %s kernels', (path) => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    'equals tf.train.adagrad bit for bit, random configuration %i',
    (seed) => {
      useKernelPath(path);
      const c = randomConfig(seed);
      const expected = tfjsTrajectory(c);
      for (const sparse of [false, true]) {
        const w = Float32Array.from(c.start);
        const opt = new Adagrad(
          { w },
          { preset: 'tfjs', lr: c.lr, initialAccumulatorValue: c.initialAccumulatorValue },
        );
        const all = Array.from({ length: w.length }, (_, i) => i);
        for (let t = 0; t < c.grads.length; t++) {
          opt.step({ w: sparse ? { indices: all, values: c.grads[t] } : c.grads[t] });
          const differs = w.findIndex((x, i) => !Object.is(x, expected[t][i]));
          expect(
            differs,
            `${sparse ? 'sparse' : 'dense'} step ${t + 1}: ${w[differs]} vs ${expected[t][differs]}`,
          ).toBe(-1);
        }
      }
    },
  );
});
