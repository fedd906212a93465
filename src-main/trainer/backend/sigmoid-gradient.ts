/**
 * The sigmoid's gradient dy·y·(1−y) as one wasm call instead of three
 * kernels over the whole output (every template's output layer is a
 * sigmoid): 3.15 → 2.95 ms a vanilla step on wasm, measured by timing 400
 * steps with and without it.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig } from '@tensorflow/tfjs';
import { outputGradKernel } from './heap-kernel';

export const SIGMOID_GRAD_KERNEL = 'AestudioSigmoidGrad';

/** dy·y·(1−y) as one call: inputs y (the sigmoid's output) and dy. */
export function sigmoidGradKernel(): KernelConfig {
  return outputGradKernel(SIGMOID_GRAD_KERNEL, (native) => native.sigmoid_grad);
}

/**
 * The sigmoid's gradient, for every backend (TF.js keeps one gradient per
 * kernel name, not per backend): the fused kernel where the current backend
 * has it and the tensors are float32 of one shape, else TF.js's own formula.
 */
export function sigmoidGradient(): GradConfig {
  return {
    kernelName: 'Sigmoid',
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved;
      const fused = tf.getKernel(SIGMOID_GRAD_KERNEL, tf.getBackend()) !== undefined && y.dtype === 'float32' && (dy as tf.Tensor).dtype === 'float32' && tf.util.arraysEqual(y.shape, (dy as tf.Tensor).shape);
      return { x: () => (fused ? (tf.engine().runKernel(SIGMOID_GRAD_KERNEL, { y, dy: dy as tf.Tensor }) as tf.Tensor) : tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(tf.scalar(1), y)))) };
    },
  };
}
