/**
 * The fused convolution layers against TF.js's own Conv2D and Conv2DTranspose
 * calls on the cpu backend (the reference): outputs and the gradients of
 * input, kernel and bias, for each routed activation, strides 1 and 2, same
 * and valid padding, channel counts in fours (the gathering kernel's bias
 * and relu) and not (the backend's kernel, then one pass); the fused kernel
 * really runs; the first layer's input gradient is not computed when nothing
 * needs it; other inputs take TF.js's path; no tensors leak.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { chooseBackend } from './choose-backend';
import { CONV_KERNEL, RELU_BIAS_GRAD_KERNEL, withFusedConv } from './fused-conv';

beforeAll(async () => {
  await chooseBackend('wasm');
});

type Activation = 'relu' | 'linear' | 'sigmoid';
interface Case {
  transposed: boolean;
  activation: Activation;
  strides: number;
  padding: 'same' | 'valid';
  inChannels: number;
  filters: number;
}

function layerOf({ transposed, activation, strides, padding, filters }: Case): tf.layers.Layer {
  const args = { filters, kernelSize: 3, strides, padding, activation };
  return transposed ? tf.layers.conv2dTranspose(args) : tf.layers.conv2d(args);
}

/** Output and gradients (input, kernel, bias) of `layer` on `backend`, as arrays; the weights and data are the same on both. */
async function outputsAndGradients(c: Case, backend: 'cpu' | 'wasm', fused: boolean): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const layer = fused ? withFusedConv(layerOf(c), c.transposed) : layerOf(c);
  const inShape = [3, 9, 7, c.inChannels];
  layer.build(inShape);
  const [kernelShape, biasShape] = layer.getWeights().map((w) => w.shape);
  layer.setWeights([tf.randomUniform(kernelShape, -0.5, 0.5, 'float32', 3), tf.randomUniform(biasShape, -0.3, 0.3, 'float32', 4)]);
  const x = tf.randomUniform(inShape, -1, 1, 'float32', 5);
  const outShape = layer.computeOutputShape(inShape) as number[];
  const r = tf.randomUniform([3, ...outShape.slice(1)], -1, 1, 'float32', 6);
  const [w, b] = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
  const f = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, r)) as tf.Scalar;
  const { grads } = tf.variableGrads(() => f(x), [w, b]);
  const dx = tf.grad(f)(x);
  const out = [layer.apply(x) as tf.Tensor, dx, grads[w.name], grads[b.name]].map((t) => t.dataSync() as Float32Array);
  if (c.activation === 'relu') expect(out[0].some((v) => v === 0) && out[0].some((v) => v > 0), 'the relu mask matters').toBe(true);
  return out;
}

const CASES: Case[] = [
  { transposed: false, activation: 'relu', strides: 1, padding: 'same', inChannels: 1, filters: 16 },
  { transposed: false, activation: 'relu', strides: 2, padding: 'same', inChannels: 16, filters: 8 },
  { transposed: false, activation: 'linear', strides: 1, padding: 'valid', inChannels: 5, filters: 6 },
  { transposed: false, activation: 'sigmoid', strides: 1, padding: 'same', inChannels: 16, filters: 1 },
  { transposed: false, activation: 'relu', strides: 1, padding: 'same', inChannels: 8, filters: 1 },
  { transposed: true, activation: 'relu', strides: 2, padding: 'same', inChannels: 8, filters: 16 },
  { transposed: true, activation: 'relu', strides: 1, padding: 'valid', inChannels: 4, filters: 12 },
  { transposed: true, activation: 'relu', strides: 2, padding: 'same', inChannels: 8, filters: 3 },
  { transposed: true, activation: 'linear', strides: 2, padding: 'valid', inChannels: 8, filters: 4 },
  { transposed: true, activation: 'sigmoid', strides: 2, padding: 'same', inChannels: 16, filters: 1 },
];

describe('fused convolution layers (wasm)', () => {
  it.each(CASES)('$activation %#: transposed $transposed, stride $strides, $padding, $inChannels → $filters channels: output and gradients of input, kernel and bias as TF.js\'s layer on cpu', async (c) => {
    const ours = await outputsAndGradients(c, 'wasm', true);
    const reference = await outputsAndGradients(c, 'cpu', false);
    await tf.setBackend('wasm');
    ['output', 'input gradient', 'kernel gradient', 'bias gradient'].forEach((what, i) => {
      expect(ours[i].length, what).toBe(reference[i].length);
      expect(maxRelDiff(ours[i], reference[i]), what).toBeLessThan(1e-5);
    });
  });

  it('runs the fused kernels, and computes no input gradient for a first layer', async () => {
    await tf.setBackend('wasm');
    const layer = withFusedConv(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }), false);
    layer.build([2, 12, 12, 1]);
    const x = tf.randomUniform([2, 12, 12, 1], 0, 1, 'float32', 7);
    const weights = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
    const profile = await tf.profile(() => tf.tidy(() => tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar, weights).value));
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain(CONV_KERNEL);
    expect(names).toContain(RELU_BIAS_GRAD_KERNEL);
    expect(names).not.toContain('Relu');
    expect(names).not.toContain('Conv2DBackpropInput'); // x is data: its gradient is never asked for
    expect(names).toContain('Conv2DBackpropFilter');
    x.dispose();
  });

  it('leaves other inputs to TF.js\'s own call (same result) and leaks no tensors', async () => {
    await tf.setBackend('wasm');
    const plain = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', dilationRate: 2 });
    const fused = withFusedConv(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', dilationRate: 2 }), false);
    plain.build([1, 8, 8, 4]);
    fused.build([1, 8, 8, 4]);
    fused.setWeights(plain.getWeights());
    tf.tidy(() => {
      const x = tf.randomUniform([1, 8, 8, 4], -1, 1, 'float32', 8);
      expect(maxRelDiff((fused.apply(x) as tf.Tensor).dataSync() as Float32Array, (plain.apply(x) as tf.Tensor).dataSync() as Float32Array)).toBeLessThan(1e-6);
    });
    const transposed = withFusedConv(tf.layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), true);
    transposed.build([2, 5, 5, 4]);
    const trainStep = () => tf.tidy(() => tf.variableGrads(() => tf.sum(transposed.apply(tf.randomUniform([2, 5, 5, 4])) as tf.Tensor) as tf.Scalar).value);
    tf.dispose(trainStep()); // first calls may set up what later ones reuse
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(trainStep());
    expect(tf.memory().numTensors).toBe(before);
  });
});
