/**
 * TensorFlow.js optimizers for comparison: tf.train.adagrad / adam / rmsprop on a float32 variable,
 * on @tensorflow/tfjs-backend-wasm (single-threaded, SIMD) and @tensorflow/tfjs-backend-cpu.
 *
 * In Node the WASM backend loads its .wasm binaries from files: setWasmPaths() is given the package's
 * dist folder. Threads are switched off (WASM_HAS_MULTITHREAD_SUPPORT) so it runs on one core like ours.
 * The gradient tensor is made once, outside the timed step: the step is applyGradients alone.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type TfBackend = 'tfjs-wasm' | 'tfjs-cpu';
export type TfOptimizer = 'adagrad' | 'adam' | 'rmsprop';

let configured = false;

/** Switches TensorFlow.js to `backend` (the WASM one single-threaded, loading its binaries from the package). */
export async function useTfBackend(backend: TfBackend): Promise<void> {
  if (!configured) {
    const require = createRequire(import.meta.url);
    setWasmPaths(
      `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`,
    );
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    configured = true;
  }
  const name = backend === 'tfjs-wasm' ? 'wasm' : 'cpu';
  if (tf.getBackend() !== name) {
    if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' failed to start`);
  }
  await tf.ready();
}

function makeOptimizer(kind: TfOptimizer): tf.Optimizer {
  // The same hyperparameters as our side of the comparison (PyTorch's defaults where TF.js has them).
  if (kind === 'adagrad') return tf.train.adagrad(0.01, 0.1);
  if (kind === 'adam') return tf.train.adam(0.001, 0.9, 0.999, 1e-8);
  return tf.train.rmsprop(0.01, 0.99, 0, 1e-8);
}

export interface TfStep {
  step: () => void;
  dispose: () => void;
}

/** A dense step of `kind` over `n` coordinates on `backend`, ready to time. */
export async function tfjsDenseStep(
  backend: TfBackend,
  kind: TfOptimizer,
  n: number,
  grad: Float32Array,
): Promise<TfStep> {
  await useTfBackend(backend);
  const variable = tf.variable(tf.zeros([n], 'float32'));
  const gradient = tf.tensor1d(grad, 'float32');
  const optimizer = makeOptimizer(kind);
  const grads = { [variable.name]: gradient };
  return {
    step: () => optimizer.applyGradients(grads),
    dispose: () => {
      optimizer.dispose();
      variable.dispose();
      gradient.dispose();
    },
  };
}

export function tfjsVersion(): string {
  return tf.version_core;
}
