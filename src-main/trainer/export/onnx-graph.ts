/**
 * Spec layers as an ONNX model (opset 13), written with the ONNX protobuf
 * definitions (onnx-proto): each layer's nodes come from its op's writer
 * (onnx-ops.ts) and read the tensors its `inputs` name, so branches and
 * merges connect by name; the graph has the same NHWC input and output as
 * the TF.js model.
 */
import type * as tf from '@tensorflow/tfjs';
import type { onnx as OnnxT } from 'onnx-proto';
import { MODEL_INPUT } from '../../../src-shared/compiler/model-spec';
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

/**
 * Serialises `layers` (in their spec's order; noise and regularizer layers
 * write nothing) to an ONNX model whose input, of `inputShape`, stands for the
 * output of `source` (the model input, or the code for a decoder) and whose
 * output is the last layer's, named "output"; or, given `outputs`, one graph
 * output per entry: the output of layer `layer`, named `name` (a VAE's
 * encoder: its mean and log-variance heads).
 */
export function onnxModelBytes(layers: readonly LayerSpec[], inputShape: readonly number[], weights: LayerWeights, graphName: string, source: string = MODEL_INPUT, outputs?: readonly { layer: string; name: string }[]): Uint8Array {
  const chain = new OnnxChain(inputShape, weights, source);
  for (const l of layers) writeOnnxLayer(l, l.inputs, chain);
  const g = chain.g;
  const last = layers.at(-1);
  const graphOutputs = (outputs ?? [{ layer: last?.name ?? source, name: 'output' }]).map(({ layer, name }) => {
    const shape = layers.find((l) => l.name === layer)?.outputShape ?? inputShape;
    g.nodes.push({ opType: 'Identity', input: [chain.outputOf(layer)], output: [name], name });
    return { name, shape };
  });

  const valueInfo = (name: string, shape: readonly number[]): OnnxT.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))] } } },
  });
  const model: OnnxT.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Autoencoder Studio',
    graph: { name: graphName, node: g.nodes, initializer: g.initializers, input: [valueInfo('input', inputShape)], output: graphOutputs.map((o) => valueInfo(o.name, o.shape)) },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
