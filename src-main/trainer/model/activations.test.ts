/**
 * Every activation trains the same on the wasm backend as on the cpu backend
 * (the gradients of a dense and a conv layer using it, within 1e-5 relative),
 * and leaky ReLU keeps its slope through a saved and reloaded model.json.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../../src-shared/catalog/params';
import type { Activation } from '../../../src-shared/catalog/params';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { specOfOps } from '../../../tests/helpers/layer-examples';
import { chooseBackend } from '../backend/choose-backend';
import { buildModel } from './build-model';
import { readLayersModel } from './load-weights';
import { saveLayersModel } from './save-layers-model';

beforeAll(async () => {
  await chooseBackend('wasm');
});

/** Gradients of sum(model(x)·r) with respect to every weight, on the current backend, by weight name. */
function gradsOf(spec: ModelSpec): Record<string, Float32Array> {
  const m = buildModel(spec, 5);
  const out = tf.tidy(() => {
    const x = tf.randomUniform([3, ...spec.inputShape], -2, 2, 'float32', 6); // both signs: every activation's two sides
    const r = tf.randomUniform([3, ...spec.layers.at(-1)!.outputShape], -1, 1, 'float32', 7);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(m.inference.apply(x) as tf.Tensor, r)) as tf.Scalar);
    return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k.replace(/_\d+$/, ''), g.dataSync() as Float32Array]));
  });
  m.train.dispose();
  return out;
}

const layersUsing = (activation: Activation): ModelSpec => specOfOps([5, 5, 2], [
  { type: 'conv2d', filters: 3, kernelSize: 3, strides: 1, padding: 'same', activation, alpha: 0.1 },
  { type: 'flatten' },
  { type: 'dense', units: 4, activation, alpha: 0.1 },
]);

describe('activations', () => {
  it.each(ACTIVATIONS)('%s: conv and dense gradients on wasm equal the cpu backend\'s', async (activation) => {
    await tf.setBackend('wasm');
    const wasm = gradsOf(layersUsing(activation));
    await tf.setBackend('cpu');
    const cpu = gradsOf(layersUsing(activation));
    expect(Object.keys(cpu)).toHaveLength(4); // kernel and bias of both layers
    for (const [name, g] of Object.entries(cpu)) expect(maxRelDiff(wasm[name], g), name).toBeLessThan(1e-5);
  });

  it('leaky ReLU uses its own slope, and a saved model.json reloads with it', async () => {
    await tf.setBackend('cpu');
    const spec = specOfOps([3], [{ type: 'activation', activation: 'leakyRelu', alpha: 0.1 }]);
    const m = buildModel(spec, 1);
    const x = tf.tensor2d([[-2, 0, 3]]);
    expect(Array.from((m.inference.predict(x) as tf.Tensor).dataSync())).toEqual([Math.fround(-0.2), 0, 3]);
    const dir = await mkdtemp(join(tmpdir(), 'aes-leaky-'));
    await saveLayersModel(m.inference, dir);
    const reloaded = await readLayersModel(dir);
    expect(Array.from((reloaded.predict(x) as tf.Tensor).dataSync())).toEqual([Math.fround(-0.2), 0, 3]);
    x.dispose();
    m.train.dispose();
  });
});
