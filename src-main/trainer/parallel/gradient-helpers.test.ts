/**
 * Data-parallel steps against the whole batch: the helpers' gradients,
 * weighted by part size and added to the trainer's own, equal the gradients
 * of the whole batch (real MNIST digits, real helper threads on their own
 * backend), parts of unequal size included; a failing part is reported, not
 * hung on, and the helpers keep serving.
 */
import * as tf from '@tensorflow/tfjs';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { chooseBackend } from '../backend/choose-backend';
import { loadBuiltin } from '../data/builtin';
import { buildModel } from '../model/build-model';
import type { BuiltModel } from '../model/build-model';
import { partGradients, trainableVariables } from '../train/loss-terms';
import { GradientHelpers, splitBatch } from './gradient-helpers';

const { spec } = templateSpec('sparse'); // dense layers, an L1 activity penalty: two loss terms
let model: BuiltModel;
let data: tf.Tensor;
let helpers: GradientHelpers;

beforeAll(async () => {
  await chooseBackend('wasm');
  const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
  data = tf.tensor(mnist.values.subarray(0, 64 * 784), [64, ...spec.inputShape]);
  model = buildModel(spec, 5);
  helpers = await GradientHelpers.start(2, { spec, seed: 5, backend: 'wasm', data: data.dataSync() as Float32Array, dataShape: data.shape, variables: trainableVariables(model) });
});

afterAll(async () => {
  await helpers.dispose();
  model.train.dispose();
  data.dispose();
});

describe('data-parallel gradients', () => {
  it('splits a batch into contiguous parts whose sizes differ by at most one', () => {
    const parts = splitBatch(Int32Array.from({ length: 10 }, (_, i) => i), 3);
    expect(parts.map((p) => Array.from(p))).toEqual([[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(splitBatch(new Int32Array(2), 3).map((p) => p.length)).toEqual([1, 1, 0]);
  });

  it.each([[Int32Array.from({ length: 10 }, (_, i) => i * 3)], [Int32Array.from({ length: 48 }, (_, i) => 63 - i)], [Int32Array.from([17])], [Int32Array.from([3, 9])]])('equal the whole batch’s gradients and loss terms (3 threads, %#; batches of 1 and 2 leave helpers idle)', async (indices) => {
    const variables = trainableVariables(model);
    const whole = partGradients(model, spec, data, indices, variables);
    const split = await helpers.step(indices, (part) => partGradients(model, spec, data, part, variables));
    expect(Object.keys(split.grads).sort()).toEqual(Object.keys(whole.grads).sort());
    for (const v of variables) expect(maxRelDiff(split.grads[v.name].dataSync() as Float32Array, whole.grads[v.name].dataSync() as Float32Array), v.name).toBeLessThan(1e-5);
    expect(split.terms.length).toBe(2);
    split.terms.forEach((t, i) => expect(Math.abs(t - whole.terms[i]) / whole.terms[i]).toBeLessThan(1e-5));
    tf.dispose([...Object.values(split.grads), ...Object.values(whole.grads)]);
  });

  it('follows the trainer’s weights: after an update, the helpers compute with the new ones', async () => {
    const variables = trainableVariables(model);
    const indices = Int32Array.from({ length: 12 }, (_, i) => i);
    for (const v of variables) v.assign(tf.tidy(() => v.mul(0.5)));
    const whole = partGradients(model, spec, data, indices, variables);
    const split = await helpers.step(indices, (part) => partGradients(model, spec, data, part, variables));
    for (const v of variables) expect(maxRelDiff(split.grads[v.name].dataSync() as Float32Array, whole.grads[v.name].dataSync() as Float32Array), v.name).toBeLessThan(1e-5);
    tf.dispose([...Object.values(split.grads), ...Object.values(whole.grads)]);
  });

  it('a helper that cannot start is reported with its reason, and starting does not hang', async () => {
    const setup = { spec, seed: 5, backend: 'wasm' as const, data: new Float32Array(10 * 784), dataShape: [11, 28, 28, 1], variables: trainableVariables(model) };
    await expect(GradientHelpers.start(1, setup)).rejects.toThrow('A training thread failed: the training data has 7840 values, not the 8624 of [11, 28, 28, 1]');
  });

  it('a part that fails is reported with the thread’s reason, leaves no tensors, and the helpers keep serving', async () => {
    const variables = trainableVariables(model);
    const before = tf.memory().numTensors;
    const bad = Int32Array.from([0, 1, 2, 3, 4, 5, 99, 7, 8]); // 99 is past the 64 samples: the last part's gather fails
    await expect(helpers.step(bad, (part) => partGradients(model, spec, data, part, variables))).rejects.toThrow(/A training thread failed: .*99/);
    expect(tf.memory().numTensors).toBe(before);
    const ok = await helpers.step(Int32Array.from([1, 2, 3]), (part) => partGradients(model, spec, data, part, variables));
    expect(ok.terms.every(Number.isFinite)).toBe(true);
    tf.dispose(Object.values(ok.grads));
  });
});
