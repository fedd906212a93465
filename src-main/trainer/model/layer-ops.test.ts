/**
 * Every op of the layer-op table, built from its own example as a one-layer
 * model: TF.js constructs it with the shape the compiler inferred, the ONNX
 * writer gives it nodes (none only for training-only ops), and onnxruntime
 * computes what TF.js computes within 1e-5. A new op without a construction
 * or a writer does not compile; one whose entries disagree fails here.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { LAYER_OP_TYPES, layerRole } from '../../../src-shared/layers/layer-ops';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { OP_VARIANTS, exampleSpec, specOfOps } from '../../../tests/helpers/layer-examples';
import { layerWeightsOf, onnxModelBytes } from '../export/onnx-graph';
import { buildModel } from './build-model';
import { makeLayer } from './tfjs-layers';

// onnx-proto is CommonJS whose named exports Node's ESM loader cannot see: take the namespace off the default export.
const { onnx } = onnxProto;

/** Sets every weight to values in [0.5, 1.5) (a variance stays positive), so a check does not pass on initial zeros and ones. */
function randomizeWeights(model: tf.LayersModel): void {
  model.layers.forEach((l, i) => l.setWeights(l.getWeights().map((w, j) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', 100 + 10 * i + j))));
}

/** Largest difference between TF.js's inference model and onnxruntime on the same random batch. */
async function onnxDiff(spec: ModelSpec, bytes: Uint8Array, inference: tf.LayersModel): Promise<number> {
  const x = tf.randomUniform([2, ...spec.inputShape], -1, 1, 'float32', 4);
  const expected = (inference.predict(x) as tf.Tensor).dataSync();
  const session = await ort.InferenceSession.create(bytes);
  const got = (await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape) })).output;
  x.dispose();
  expect(got.dims.slice(1)).toEqual((inference.outputs[0].shape as number[]).slice(1));
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff = Math.max(diff, Math.abs((got.data as Float32Array)[i] - expected[i]));
  return diff;
}


describe('each layer op in TF.js and ONNX', () => {
  it.each(OP_VARIANTS)('%s: onnxruntime computes what TF.js computes', async (name, input, ops) => {
    const spec = specOfOps(input, ops);
    const m = buildModel(spec, 3);
    randomizeWeights(m.inference);
    const weights = layerWeightsOf(m.inference);
    expect(await onnxDiff(spec, onnxModelBytes(spec.layers, spec.inputShape, weights, name), m.inference)).toBeLessThan(1e-5);
    m.train.dispose();
  });

  it.each(LAYER_OP_TYPES)('%s: a TF.js layer of the inferred shape, ONNX nodes, and the same numbers in onnxruntime', async (type) => {
    const spec = exampleSpec(type);
    const [layer] = spec.layers;
    const role = layerRole(layer);

    // A penalty is no layer in the forward pass (buildModel taps the activations it sees); every other op is one.
    const made = makeLayer(layer, 1); // not built yet: it holds no tensors
    expect(made === null).toBe(role === 'penalty');
    if (made) expect(made.name).toBe(layer.name);

    const m = buildModel(spec, 3);
    const inferenceShape = (m.inference.outputs[0].shape as number[]).slice(1);
    // Noise and penalties are identity at inference.
    expect(inferenceShape).toEqual(role === 'noise' || role === 'penalty' ? layer.inputShape : layer.outputShape);
    if (role === 'noise') expect((m.train.outputs[0].shape as number[]).slice(1)).toEqual(layer.outputShape);

    randomizeWeights(m.inference); // trained-looking weights (and moving statistics) rather than the initial ones
    const weights = layerWeightsOf(m.inference);
    expect(weights.size).toBe(role === 'weighted' || role === 'normalization' ? 1 : 0);
    const bytes = onnxModelBytes(spec.layers, spec.inputShape, weights, type);
    const written = onnx.ModelProto.decode(bytes).graph!.node!.filter((n) => n.name!.startsWith(layer.name));
    if (role === 'noise' || role === 'penalty') expect(written).toEqual([]);
    else expect(written.length, `${type} wrote no ONNX nodes`).toBeGreaterThan(0);

    expect(await onnxDiff(spec, bytes, m.inference)).toBeLessThan(1e-5);
    m.train.dispose();
  });
});
