/**
 * A chain of spec layers as an ONNX model (opset 13), written with the ONNX
 * protobuf definitions (onnx-proto): each layer's nodes come from its op's
 * writer (onnx-ops.ts); the graph has the same NHWC input and output as the
 * TF.js model.
 */
import type * as tf from '@tensorflow/tfjs';
import type { onnx as OnnxT } from 'onnx-proto';
import type { LayerSpec } from '../../../src-shared/compiler/model-spec';
import { OnnxChain, onnx } from './onnx-builder';
import type { LayerWeights } from './onnx-builder';
import { writeOnnxLayer } from './onnx-ops';

/** The opset the writer targets: Resize with nearest_mode and the operators the writers use are stable there. */
export const ONNX_OPSET = 13;

/** Every weight array of a model's layers, by layer name, as the writers take them. */
export function layerWeightsOf(model: tf.LayersModel): LayerWeights {
  return new Map(model.layers.filter((l) => l.getWeights().length > 0).map((l) => [l.name, l.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync() as Float32Array }))]));
}

/** Serialises `layers` (a chain; noise and regularizer layers write nothing) taking `inputShape` to an ONNX model. */
export function onnxModelBytes(layers: readonly LayerSpec[], inputShape: readonly number[], weights: LayerWeights, graphName: string): Uint8Array {
  const chain = new OnnxChain(inputShape, weights);
  for (const l of layers) writeOnnxLayer(l, chain);
  const outShape = layers.length ? layers[layers.length - 1].outputShape : inputShape;
  if (outShape.length === 3) chain.to('nhwc');
  const g = chain.g;
  g.nodes.push({ opType: 'Identity', input: [chain.cur], output: ['output'], name: 'output' });

  const valueInfo = (name: string, shape: readonly number[]): OnnxT.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))] } } },
  });
  const model: OnnxT.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Autoencoder Studio',
    graph: { name: graphName, node: g.nodes, initializer: g.initializers, input: [valueInfo('input', inputShape)], output: [valueInfo('output', outShape)] },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
