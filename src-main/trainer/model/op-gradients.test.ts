/**
 * Every layer op of the table (its example, and the variants its example
 * does not reach) trains the same on the wasm backend, and on tfjs-node where
 * it is built (scripts/tfjs-node/build-binding.sh), as on the cpu backend:
 * the gradients of sum(model(x)·r) with respect to the input and to every
 * weight agree within 1e-5 relative. Noise ops run as in training (their
 * seeded draws are the same on both backends).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { LAYER_OP_TYPES } from '../../../src-shared/layers/layer-ops';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { OP_VARIANTS, exampleSpec, specOfOps } from '../../../tests/helpers/layer-examples';
import { BACKENDS_UNDER_TEST, HAS_TFJS_NODE, HAS_WEBGPU, TFJS_NODE_BINDING, TFJS_NODE_REQUIRED } from '../../../tests/helpers/tfjs-node';
import { TF_NAME, chooseBackend } from '../backend/choose-backend';
import { buildModel } from './build-model';

beforeAll(async () => {
  if (HAS_TFJS_NODE) await chooseBackend('node');
  if (HAS_WEBGPU) await chooseBackend('webgpu');
  await chooseBackend('wasm');
});

let made = 0;

/** Gradients with respect to the input ("x") and every weight, on the current backend (read asynchronously: webgpu cannot read synchronously in Node). */
async function gradsOf(spec: ModelSpec): Promise<Record<string, Float32Array>> {
  const m = buildModel(spec, 5);
  const x = tf.variable(tf.randomUniform([3, ...spec.inputShape], -1, 1, 'float32', 6), true, `x${++made}`);
  const grads = tf.tidy(() => {
    const f = () => {
      const y = m.train.apply(x, { training: true }) as tf.Tensor | tf.Tensor[]; // as the trainer calls it
      const first = Array.isArray(y) ? y[0] : y;
      return tf.sum(tf.mul(first, tf.randomUniform(first.shape, -1, 1, 'float32', 7))) as tf.Scalar;
    };
    return tf.variableGrads(f).grads;
  });
  const out: Record<string, Float32Array> = {};
  for (const [k, g] of Object.entries(grads)) out[k === x.name ? 'x' : k.replace(/_\d+$/, '')] = (await g.data()) as Float32Array;
  tf.dispose([x, ...Object.values(grads)]);
  m.train.dispose();
  return out;
}

const CASES: [string, () => ModelSpec][] = [
  ...LAYER_OP_TYPES.map((t): [string, () => ModelSpec] => [t, () => exampleSpec(t)]),
  ...OP_VARIANTS.map(([name, input, ops]): [string, () => ModelSpec] => [name, () => specOfOps(input, ops)]),
];

it.runIf(TFJS_NODE_REQUIRED && !HAS_TFJS_NODE)('tfjs-node, which AESTUDIO_REQUIRE_TFJS_NODE=1 requires, is built', () => {
  expect.fail(`${TFJS_NODE_BINDING} is missing: run scripts/tfjs-node/build-binding.sh and read its errors`);
});

describe.each(BACKENDS_UNDER_TEST)('layer-op gradients on %s against cpu', (backend) => {
  const tfName = TF_NAME[backend];
  it.each(CASES)('%s: input and weight gradients within 1e-5 relative', async (_name, spec) => {
    await tf.setBackend(tfName);
    const other = await gradsOf(spec());
    await tf.setBackend('cpu');
    const cpu = await gradsOf(spec());
    expect(Object.keys(other).sort()).toEqual(Object.keys(cpu).sort());
    expect(Object.keys(cpu)).toContain('x');
    for (const [name, g] of Object.entries(cpu)) expect(maxRelDiff(other[name], g), name).toBeLessThan(1e-5);
  });
});
