/**
 * The fused Adam kernel against TF.js's own AdamOptimizer: the same weights (to 1e-6; bit-equal here)
 * after several steps (odd sizes, so the SIMD loop's scalar tail runs too),
 * and the slots it saves load into TF.js's optimizer and continue identically.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { chooseBackend } from './choose-backend';
import { FusedAdamOptimizer } from './fused-adam';

beforeAll(async () => {
  await chooseBackend('wasm');
});

/** Minimises a fixed quadratic of two variables (sizes 7×5 and 3) for `steps` steps with `optimizer`. */
function train(optimizer: tf.Optimizer, steps: number, start?: tf.Tensor[]) {
  const init = tf.tidy(() => [start?.[0].clone() ?? tf.randomUniform([7, 5], -1, 1, 'float32', 1), start?.[1].clone() ?? tf.randomUniform([3], -1, 1, 'float32', 2)]);
  const [w, b] = init.map((t) => tf.variable(t));
  tf.dispose(init); // the variables hold their own references
  const tw = tf.randomUniform([7, 5], -1, 1, 'float32', 3);
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.add(tf.sum(tf.square(tf.sub(w, tw))), tf.sum(tf.mul(b, b))) as tf.Scalar);
  }
  tw.dispose();
  return [w, b];
}

describe('fused Adam on wasm', () => {
  it('takes the same steps as TF.js AdamOptimizer', () => {
    const ours = train(new FusedAdamOptimizer(0.05, 0.9, 0.999, 1e-7), 25);
    const theirs = train(tf.train.adam(0.05, 0.9, 0.999, 1e-7), 25);
    // The first step moves every weight by about the learning rate, so equal results mean equal updates.
    ours.forEach((v, i) => expect(maxRelDiff(v.dataSync() as Float32Array, theirs[i].dataSync() as Float32Array), `variable ${i}`).toBeLessThan(1e-6));
    const start = train(new FusedAdamOptimizer(0.05, 0.9, 0.999, 1e-7), 0);
    expect(maxRelDiff(ours[0].dataSync() as Float32Array, start[0].dataSync() as Float32Array)).toBeGreaterThan(0.1);
    tf.dispose([...ours, ...theirs, ...start]);
  });

  it('saves Adam slots that TF.js Adam continues from, and disposes them', async () => {
    const before = tf.memory().numTensors;
    const fused = new FusedAdamOptimizer(0.05, 0.9, 0.999, 1e-7);
    const [w, b] = train(fused, 10);
    const slots = await fused.getWeights();
    expect(slots.map((s) => s.name)).toEqual(['iter', expect.stringMatching(/\/m$/), expect.stringMatching(/\/m$/), expect.stringMatching(/\/v$/), expect.stringMatching(/\/v$/)]);
    const stock = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
    const loaded = slots.map((s) => ({ name: s.name, tensor: s.tensor.clone() }));
    await stock.setWeights(loaded);
    tf.dispose(loaded.map((s) => s.tensor));
    const copy = [w.clone(), b.clone()];
    // Ten more steps each: fused from its own state, TF.js's from the loaded one.
    const a = train(fused, 10, [w, b]);
    const c = train(stock, 10, copy);
    a.forEach((v, i) => expect(maxRelDiff(v.dataSync() as Float32Array, c[i].dataSync() as Float32Array), `variable ${i}`).toBeLessThan(1e-6));
    fused.dispose();
    stock.dispose();
    tf.dispose([w, b, ...copy, ...a, ...c, ...slots.map((s) => s.tensor)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
