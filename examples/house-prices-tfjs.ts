/**
 * The house-price example again, with the network built in TensorFlow.js and trained by this library's
 * AdaGrad through `adagrad/tfjs`: the same 5 → 10 ReLU → 1 network, MSE, AdaGrad lr 0.01 (PyTorch's),
 * 100 full-batch epochs, printing the same lines as examples/house-prices.ts.
 *
 * Run: npx tsx examples/house-prices-tfjs.ts
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { tfjsOptimizer } from '../src/tfjs/index.js';
import { bostonInputs } from './boston-inputs.js';

await tf.setBackend('cpu');
const { inputs, targets, rows, priceStd } = bostonInputs();
const x = tf.tensor2d(inputs, [rows, 5]);
const y = tf.tensor2d(targets, [rows, 1]);

// The model (5 inputs, 10 hidden units, 1 output), the loss, and our optimizer
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
model.compile({ optimizer: tfjsOptimizer('adagrad', { lr: 0.01 }), loss: 'meanSquaredError' });

// Training loop: one step per epoch on all rows, as the PyTorch snippet does
await model.fit(x, y, {
  epochs: 100,
  batchSize: rows,
  shuffle: false,
  verbose: 0,
  callbacks: {
    onEpochEnd: (epoch, logs) => {
      if ((epoch + 1) % 10 === 0)
        console.log(`Epoch [${epoch + 1}/100], Loss: ${(logs?.loss ?? NaN).toFixed(4)}`);
    },
  },
});

const loss = (model.evaluate(x, y) as tf.Scalar).dataSync()[0];
console.log(`Final RMSE: ${(Math.sqrt(loss) * priceStd).toFixed(2)} thousand dollars`);
