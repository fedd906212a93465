/** The sigmoid's gradient: one wasm kernel on wasm, TF.js's formula elsewhere, the same numbers on both. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { chooseBackend } from './choose-backend';
import { SIGMOID_GRAD_KERNEL } from './sigmoid-gradient';

/** Gradient of Σ sigmoid(x)·r for fixed random x and r (r makes dy differ per element), on the current backend. */
function sigmoidGrad(shape: number[]): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomUniform(shape, -6, 6, 'float32', 21);
    const r = tf.randomUniform(shape, -1, 1, 'float32', 22);
    return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.sigmoid(v), r)))(x).dataSync() as Float32Array;
  });
}

describe('sigmoid gradient', () => {
  it.each([
    ['a batch of 128×784 (a decoder output)', [128, 784]],
    ['a size no SIMD width divides', [3, 7]],
  ])('on %s: the wasm kernel equals TF.js\'s formula to the last bit, and whole gradients match the cpu backend', async (_name, shape) => {
    await chooseBackend('wasm');
    const [fused, formula] = tf.tidy(() => {
      const y = tf.randomUniform(shape, 0, 1, 'float32', 23);
      const dy = tf.randomUniform(shape, -1, 1, 'float32', 24);
      return [tf.engine().runKernel(SIGMOID_GRAD_KERNEL, { y, dy }) as tf.Tensor, tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y)))].map((t) => Array.from(t.dataSync()));
    });
    expect(fused).toEqual(formula);
    const before = tf.memory().numTensors;
    const wasm = sigmoidGrad(shape);
    expect(tf.memory().numTensors).toBe(before);
    await chooseBackend('cpu');
    expect(tf.getKernel(SIGMOID_GRAD_KERNEL, 'cpu')).toBeUndefined(); // cpu keeps the formula
    const cpu = sigmoidGrad(shape);
    // The backends' exp differ in the last bits, so the sigmoid's outputs do too.
    expect(maxRelDiff(wasm, cpu)).toBeLessThan(1e-5);
    expect(cpu.some((v) => v !== 0)).toBe(true);
  });
});
