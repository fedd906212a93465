/**
 * A dense layer's whole forward pass as one kernel on wasm, with its own
 * gradient. While recording gradients TF.js runs a relu Dense layer as
 * matMul, bias Add and Relu (it fuses only linear layers then), and its
 * backward pass as Step, Cast, Multiply, Sum, Reshapes and two matMuls —
 * about a dozen operations at ~10 µs of engine bookkeeping each, besides the
 * arithmetic. Here: one GEMM with bias and relu in the same pass forward;
 * backward one relu-mask pass, the two GEMMs and the bias sum, each computed
 * only if the tape needs it (the first layer's input gradient never is).
 *
 * The layer stays a tf.layers.dense (same weights, same saved model); only
 * its call is routed here, on wasm, for rank-2 float32 inputs with a bias and
 * a relu, linear or sigmoid activation. Everything else runs TF.js's call.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig } from '@tensorflow/tfjs';
import { heapKernel, outputGradKernel } from './heap-kernel';

export const DENSE_KERNEL = 'AestudioDense';
export const RELU_GRAD_KERNEL = 'AestudioReluGrad';

/** y = x·w + b (then relu): x [m, k], w [k, n], b [n]. */
export function denseKernel(): KernelConfig {
  return heapKernel<{ relu: boolean }>(DENSE_KERNEL, ({ native, at, output }, { x, w, b }, { relu }) => {
    const [m, k] = x.shape;
    const n = w.shape[1];
    const out = output([m, n]);
    native.gemm(at(x), k, 1, at(w), n, at(out), n, m, n, k, at(b), relu ? 1 : 0);
    return out;
  });
}

/** dy where the relu's output y > 0, else 0. */
export function reluGradKernel(): KernelConfig {
  return outputGradKernel(RELU_GRAD_KERNEL, (native) => native.relu_grad);
}

/**
 * The relu's gradient, for every backend (TF.js keeps one gradient per
 * kernel name): one pass where the backend has the kernel (every relu
 * convolution and transposed convolution on wasm: TF.js runs them unfused
 * while recording), else TF.js's own dy·step(x) (three kernels).
 */
export function reluGradient(): GradConfig {
  return {
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const d = dy as tf.Tensor;
      const fused = tf.getKernel(RELU_GRAD_KERNEL, tf.getBackend()) !== undefined && x.dtype === 'float32' && d.dtype === 'float32' && tf.util.arraysEqual(x.shape, d.shape);
      // relu(x) > 0 exactly where x > 0, so the kernel's mask works on x as on the output.
      return { x: () => (fused ? (tf.engine().runKernel(RELU_GRAD_KERNEL, { y: x, dy: d }) as tf.Tensor) : tf.mul(d, tf.cast(tf.step(x), 'float32'))) };
    },
  };
}

/** The dense kernel's gradient: each input's thunk runs only if the tape asks for it. */
export function denseGradient(): GradConfig {
  return {
    kernelName: DENSE_KERNEL,
    inputsToSave: ['x', 'w'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, w, y] = saved;
      const dz = (attrs as unknown as { relu: boolean }).relu ? (tf.engine().runKernel(RELU_GRAD_KERNEL, { y, dy: dy as tf.Tensor }) as tf.Tensor) : (dy as tf.Tensor);
      return { x: () => tf.matMul(dz, w, false, true), w: () => tf.matMul(x, dz, true, false), b: () => tf.sum(dz, 0) };
    },
  };
}

/** The parts of tfjs-layers 4.22's Dense this reads. */
interface DenseInternals {
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string } | null;
}

const ROUTED = new Set(['relu', 'linear', 'sigmoid']);

/** Routes `layer`'s call (a tf.layers.dense) through the fused kernel where it applies; returns the same layer. */
export function withFusedDense(layer: tf.layers.Layer): tf.layers.Layer {
  const original = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const d = layer as unknown as DenseInternals;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const activation = d.activation?.getClassName().toLowerCase() ?? 'linear';
    const applies = tf.getKernel(DENSE_KERNEL, tf.getBackend()) !== undefined && (!Array.isArray(inputs) || inputs.length === 1) && x.rank === 2 && x.dtype === 'float32' && d.kernel && d.bias && ROUTED.has(activation);
    if (!applies) return original(inputs, kwargs);
    return tf.tidy(() => {
      const y = tf.engine().runKernel(DENSE_KERNEL, { x, w: d.kernel!.read(), b: d.bias!.read() }, { relu: activation === 'relu' }) as tf.Tensor;
      return activation === 'sigmoid' ? tf.sigmoid(y) : y;
    });
  };
  return layer;
}
