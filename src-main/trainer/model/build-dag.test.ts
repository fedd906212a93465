/**
 * Graphs in TF.js and ONNX: for each merge mode, a model with branches, a
 * merge and a skip connection around the code built with the functional API
 * and written to ONNX by tensor name computes what TF.js computes, in
 * onnxruntime, within 1e-5. A version 1 spec (a chain without `inputs`)
 * builds the same model as its version 2 compile.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import { ModelSpecSchema } from '../../../src-shared/compiler/model-spec';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { codeParts } from '../../../src-shared/compiler/spec-graph';
import { branchMergeGraph, skipMergeGraph } from '../../../tests/helpers/graphs';
import type { Graph } from '../../../src-shared/graph/types';
import { templateSpec } from '../../../tests/helpers/specs';
import type { LayerWeights } from '../export/onnx-builder';
import { layerWeightsOf, onnxModelBytes } from '../export/onnx-graph';
import { buildModel } from './build-model';
import type { BuiltModel } from './build-model';

function compiled(graph: Graph): ModelSpec {
  const r = compile(graph);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.spec;
}

const skipped = (mode: string): ModelSpec => compiled(skipMergeGraph(mode));
const branched = (mode: string): ModelSpec => compiled(branchMergeGraph(mode));

const weightsOf = (m: BuiltModel): LayerWeights => layerWeightsOf(m.inference);

async function largestDiff(model: tf.LayersModel, bytes: Uint8Array, shape: readonly number[]): Promise<number> {
  const x = tf.randomUniform([3, ...shape], -1, 1, 'float32', 7);
  const expected = (model.predict(x) as tf.Tensor).dataSync();
  const session = await ort.InferenceSession.create(bytes);
  const got = (await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape) })).output.data as Float32Array;
  expect(got.length).toBe(expected.length);
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff = Math.max(diff, Math.abs(got[i] - expected[i]));
  x.dispose();
  return diff;
}

describe('graphs in TF.js and ONNX', () => {
  it.each(['add', 'concat', 'multiply'])('%s: a skip around the code — autoencoder and encoder match onnxruntime, and there is no decoder', async (mode) => {
    const spec = skipped(mode);
    expect(spec.decoderAbsent).toBeDefined();
    const m = buildModel(spec, 2);
    expect(m.decoder).toBeNull();
    expect(m.noise).not.toBeNull(); // the noise on the input still shows
    const w = weightsOf(m);
    expect(await largestDiff(m.inference, onnxModelBytes(spec.layers, spec.inputShape, w, 'ae'), spec.inputShape)).toBeLessThan(1e-5);
    const enc = codeParts(spec.layers, spec.codeLayerIndex).encoder.map((i) => spec.layers[i]);
    expect(await largestDiff(m.encoder, onnxModelBytes(enc, spec.inputShape, w, 'enc'), spec.inputShape)).toBeLessThan(1e-5);
    m.train.dispose();
  });

  it.each(['add', 'concat', 'multiply'])('%s: branches from the code — the decoder exists alone and matches onnxruntime, and encoder then decoder is the autoencoder', async (mode) => {
    const spec = branched(mode);
    const m = buildModel(spec, 4);
    const w = weightsOf(m);
    const parts = codeParts(spec.layers, spec.codeLayerIndex);
    const dec = parts.decoder.map((i) => spec.layers[i]);
    expect(await largestDiff(m.inference, onnxModelBytes(spec.layers, spec.inputShape, w, 'ae'), spec.inputShape)).toBeLessThan(1e-5);
    expect(await largestDiff(m.decoder!, onnxModelBytes(dec, spec.codeShape, w, 'dec', spec.layers[spec.codeLayerIndex].name), spec.codeShape)).toBeLessThan(1e-5);
    const x = tf.randomUniform([4, ...spec.inputShape], -1, 1, 'float32', 3);
    const whole = (m.inference.predict(x) as tf.Tensor).dataSync();
    const composed = (m.decoder!.predict(m.encoder.predict(x) as tf.Tensor) as tf.Tensor).dataSync();
    expect(Array.from(composed)).toEqual(Array.from(whole));
    m.train.dispose();
  });

  it('the training graph of a DAG gives every weight a gradient, the skip branch\'s included', () => {
    const spec = skipped('concat');
    const m = buildModel(spec, 1);
    const x = tf.randomUniform([2, ...spec.inputShape], 0, 1, 'float32', 5);
    const vars = m.train.trainableWeights.map((w) => w.read() as tf.Variable);
    expect(vars.length).toBe(2 * 4); // e1, code, up and last: a kernel and a bias each
    const { grads } = tf.variableGrads(() => {
      const y = ([] as tf.Tensor[]).concat(m.train.apply(x, { training: true }) as tf.Tensor | tf.Tensor[])[0];
      return tf.mean(tf.square(tf.sub(y, x))) as tf.Scalar;
    }, vars);
    for (const v of vars) expect(tf.sum(tf.abs(grads[v.name])).dataSync()[0], v.name).toBeGreaterThan(0);
    m.train.dispose();
  });

  it('a version 1 spec (no inputs: a chain) builds the same model as its version 2 compile', () => {
    const { spec } = templateSpec('convolutional');
    // Read as a version 1 file is: through the schema, which gives each layer the chain's input.
    const v1 = ModelSpecSchema.parse({ ...spec, version: 1, layers: spec.layers.map(({ inputs: _, ...l }) => l) });
    const a = buildModel(spec, 9);
    const b = buildModel(v1, 9);
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 1);
    expect(Array.from((b.inference.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((a.inference.predict(x) as tf.Tensor).dataSync()));
    expect(b.decoder).not.toBeNull();
    a.train.dispose();
    b.train.dispose();
  });
});
