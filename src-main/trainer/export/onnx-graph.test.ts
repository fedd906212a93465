/**
 * The ONNX writer against TF.js on every layer type the catalog can produce
 * (strided and valid convolutions, pooling, dense with flatten/reshape,
 * transposed convolutions same and valid, upsampling, every activation):
 * onnxruntime's outputs equal TF.js's within 1e-5.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxT } from 'onnx-proto';

import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { chainGraph } from '../../../tests/helpers/graphs';
import type { ChainStep } from '../../../tests/helpers/graphs';
import { buildModel } from '../model/build-model';
import { transposeArray } from './onnx-builder';
import { ONNX_OPSET, layerWeightsOf, onnxModelBytes } from './onnx-graph';

// onnx-proto is CommonJS whose named exports Node's ESM loader cannot see: take the namespace off the default export.
const { onnx } = onnxProto;

function specOf(steps: ChainStep[]): ModelSpec {
  const r = compile(chainGraph(steps));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.spec;
}

async function compare(spec: ModelSpec): Promise<{ diff: number; model: OnnxT.ModelProto }> {
  const m = buildModel(spec, 5);
  const weights = layerWeightsOf(m.inference);
  const bytes = onnxModelBytes(spec.layers, spec.inputShape, weights, 'test');
  const x = tf.randomUniform([3, ...spec.inputShape], 0, 1, 'float32', 2);
  const expected = (m.inference.predict(x) as tf.Tensor).dataSync();
  const session = await ort.InferenceSession.create(bytes);
  const got = (await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape) })).output.data as Float32Array;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff = Math.max(diff, Math.abs(got[i] - expected[i]));
  m.train.dispose();
  return { diff, model: onnx.ModelProto.decode(bytes) };
}

describe('ONNX writer', () => {
  it('transposes arrays as numpy.transpose does', () => {
    const t = transposeArray(new Float32Array([0, 1, 2, 3, 4, 5]), [2, 3], [1, 0]);
    expect(t).toEqual({ shape: [3, 2], values: new Float32Array([0, 3, 1, 4, 2, 5]) });
  });

  it('a graph using every conv-side layer type matches TF.js', async () => {
    const { diff, model } = await compare(specOf([
      ['in', 'input'],
      ['n', 'noise', { gaussianStd: 0.5 }],
      ['c1', 'encoder', { layer: 'conv', filters: 4, stride: 2, pool: 1, activation: 'elu' }],
      ['c2', 'encoder', { layer: 'conv', filters: 6, kernel: 5, padding: 'same', pool: 2, activation: 'tanh' }],
      ['code', 'bottleneck', { size: 10, activation: 'selu' }],
      ['r', 'regularizer', { l1: 0.01 }],
      ['d0', 'decoder', { units: 294, activation: 'softplus' }],
      ['d1', 'decoder', { layer: 'deconv', filters: 4, kernel: 2, stride: 2, padding: 'valid', activation: 'relu' }],
      ['d2', 'decoder', { layer: 'upconv', filters: 1, upsample: 2, kernel: 3, activation: 'linear' }],
      ['out', 'output'],
    ]));
    expect(diff).toBeLessThan(1e-5);
    expect(Number(model.opsetImport[0].version)).toBe(ONNX_OPSET);
    expect(model.graph!.node!.map((n) => n.opType)).not.toContain('RandomNormal'); // noise is gone
  });

  it('transposed convolutions with "same" padding and odd kernels match TF.js', async () => {
    const { diff } = await compare(specOf([
      ['in', 'input'],
      ['c', 'encoder', { layer: 'conv', filters: 3, kernel: 5, stride: 2, pool: 1 }],
      ['code', 'bottleneck', { form: 'conv', size: 2, pool: 2 }],
      ['d1', 'decoder', { layer: 'deconv', filters: 3, kernel: 5, stride: 2 }],
      ['d2', 'decoder', { layer: 'deconv', filters: 1, kernel: 3, stride: 2, activation: 'linear' }],
      ['out', 'output', { activation: 'linear' }],
    ]));
    expect(diff).toBeLessThan(1e-5);
  });

  it('the dense multilayer shape (flatten in, reshape out) matches TF.js', async () => {
    const { diff, model } = await compare(specOf([['in', 'input'], ['e', 'encoder', { units: 128 }], ['code', 'bottleneck', { size: 32 }], ['d', 'decoder', { units: 784, activation: 'linear' }], ['out', 'output']]));
    expect(diff).toBeLessThan(1e-5);
    // Every node input is produced before it is used (or is a graph input or initializer), as the ONNX checker requires.
    const known = new Set(['input', '', ...model.graph!.initializer!.map((t) => t.name!)]);
    for (const n of model.graph!.node!) {
      for (const i of n.input!) expect(known.has(i), `${n.name} uses ${i} before it exists`).toBe(true);
      n.output!.forEach((o) => known.add(o));
    }
  });
});
