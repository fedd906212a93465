/**
 * The fused dense layer against TF.js's own Dense call on the same backend:
 * outputs and the gradients of input, kernel and bias, for each routed
 * activation; the fused kernel really runs; the first layer's input gradient
 * is not computed when nothing needs it; other inputs take TF.js's path.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { chooseBackend } from './choose-backend';
import { DENSE_KERNEL, withFusedDense } from './fused-dense';

beforeAll(async () => {
  await chooseBackend('wasm');
});

/** A built dense layer (37 → 29 units: no tile divides them) and a fused twin sharing its weights. */
function pair(activation: 'relu' | 'linear' | 'sigmoid') {
  const plain = tf.layers.dense({ units: 29, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 4 }) });
  plain.build([null, 37]);
  const fused = withFusedDense(tf.layers.dense({ units: 29, activation }));
  fused.build([null, 37]);
  fused.setWeights(plain.getWeights());
  return { plain, fused };
}

describe('fused dense layer (wasm)', () => {
  it.each(['relu', 'linear', 'sigmoid'] as const)('%s: same output and same gradients of input, kernel and bias as TF.js\'s Dense', async (activation) => {
    const { plain, fused } = pair(activation);
    const x = tf.randomUniform([13, 37], -1, 1, 'float32', 5);
    const r = tf.randomUniform([13, 29], -1, 1, 'float32', 6);
    const run = (layer: tf.layers.Layer) => {
      const [w, b] = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
      const f = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, r)) as tf.Scalar;
      const { grads } = tf.variableGrads(() => f(x), [w, b]);
      const dx = tf.grad(f)(x);
      return [layer.apply(x) as tf.Tensor, dx, grads[w.name], grads[b.name]].map((t) => t.dataSync() as Float32Array);
    };
    const ours = run(fused);
    const theirs = run(plain);
    ['output', 'input gradient', 'kernel gradient', 'bias gradient'].forEach((what, i) => expect(maxRelDiff(ours[i], theirs[i]), what).toBeLessThan(1e-5));
    if (activation === 'relu') expect(theirs[0].some((v) => v === 0) && theirs[0].some((v) => v > 0)).toBe(true); // the mask matters

    const profile = await tf.profile(() => tf.tidy(() => tf.variableGrads(() => tf.sum(fused.apply(x) as tf.Tensor) as tf.Scalar, fused.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val)).value));
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain(DENSE_KERNEL);
    // Only the two weight gradients are multiplied out: the input's is not needed here.
    expect(names.filter((n) => n === 'BatchMatMul' || n === '_FusedMatMul')).toHaveLength(1);
  });

  it('leaves rank-3 inputs to TF.js\'s own call (same result) and leaks no tensors', () => {
    const { plain, fused } = pair('relu');
    tf.tidy(() => {
      const x = tf.randomUniform([2, 3, 37], -1, 1, 'float32', 7);
      expect(maxRelDiff((fused.apply(x) as tf.Tensor).dataSync() as Float32Array, (plain.apply(x) as tf.Tensor).dataSync() as Float32Array)).toBeLessThan(1e-6);
    });
    const trainStep = () => tf.tidy(() => tf.variableGrads(() => tf.sum(fused.apply(tf.randomUniform([4, 37])) as tf.Tensor) as tf.Scalar).value);
    tf.dispose(trainStep()); // first calls may set up what later ones reuse
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(trainStep());
    expect(tf.memory().numTensors).toBe(before);
  });
});
