/**
 * Data-parallel steps against the whole batch: the helpers' gradients,
 * weighted by part size and added to the trainer's own, equal the gradients
 * of the whole batch (real MNIST digits, real helper threads on their own
 * backend), parts of unequal size included; a helper that cannot start and a
 * step with a sample that does not exist are reported, not hung on, and the
 * helpers keep serving.
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
  helpers = await GradientHelpers.start(2, { spec, seed: 5, backend: 'wasm', samples: data.dataSync() as Float32Array, maxRows: 64, variables: trainableVariables(model) });
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

  it('samples that are no whole number of samples are refused by name, and a helper that cannot start is reported with its reason without hanging', async () => {
    const setup = { spec, seed: 5, backend: 'wasm' as const, samples: new Float32Array(10 * 784 + 3), maxRows: 4, variables: trainableVariables(model) };
    await expect(GradientHelpers.start(1, setup)).rejects.toThrow('the training data has 7843 values, not a whole number of samples of 784 ([28, 28, 1])');
    // A spec the helper cannot build (an op no layer table knows) fails in the helper thread.
    const broken = { ...spec, layers: spec.layers.map((l, i) => (i === 1 ? { ...l, type: 'noSuchOp' } : l)) } as typeof spec;
    await expect(GradientHelpers.start(1, { ...setup, spec: broken, samples: new Float32Array(10 * 784) })).rejects.toThrow(/^A training thread failed: /);
  });

  it('a step naming a sample that does not exist is refused before any helper starts it, leaves no tensors, and the helpers keep serving', async () => {
    const variables = trainableVariables(model);
    const before = tf.memory().numTensors;
    const bad = Int32Array.from([0, 1, 2, 3, 4, 5, 99, 7, 8]); // 99 is past the 64 samples, in the last helper's part
    await expect(helpers.step(bad, (part) => partGradients(model, spec, data, part, variables))).rejects.toThrow('sample 99 is not in [0, 63]');
    expect(tf.memory().numTensors).toBe(before);
    const ok = await helpers.step(Int32Array.from([1, 2, 3]), (part) => partGradients(model, spec, data, part, variables));
    expect(ok.terms.every(Number.isFinite)).toBe(true);
    tf.dispose(Object.values(ok.grads));
  });

  it('a part larger than the helpers were started for is refused by name', async () => {
    const variables = trainableVariables(model);
    const small = await GradientHelpers.start(1, { spec, seed: 5, backend: 'wasm', samples: data.dataSync() as Float32Array, maxRows: 2, variables });
    try {
      await expect(small.step(Int32Array.from({ length: 8 }, (_, i) => i), (part) => partGradients(model, spec, data, part, variables))).rejects.toThrow('a part of 4 samples is more than the 2 the helpers were started for');
    } finally {
      await small.dispose();
    }
  });
});
