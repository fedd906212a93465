/** One-layer (or few-layer) specs built from the layer-op table's examples, for tests that enumerate every op. */
import { ACTIVATIONS } from '../../src-shared/catalog/params';
import { MODEL_INPUT, MODEL_SPEC_VERSION } from '../../src-shared/compiler/model-spec';
import type { LayerOp, LayerSpec, ModelSpec } from '../../src-shared/compiler/model-spec';
import { LAYER_OPS, inferLayer, takesMany } from '../../src-shared/layers/layer-ops';
import type { LayerOpType } from '../../src-shared/layers/layer-op';

/**
 * A spec of `ops` applied one after another to `inputShape` (each op's shape rule gives the next input); the last layer is the code.
 * A merge op merges the tensor before it with itself (x + x, [x, x], x · x), so every op is a one-layer model.
 */
export function specOfOps(inputShape: readonly number[], ops: readonly LayerOp[]): ModelSpec {
  let shape = [...inputShape];
  let prev = MODEL_INPUT;
  const layers = ops.map((op, i): LayerSpec => {
    const many = takesMany(op.type);
    const r = inferLayer(op, shape, many ? [shape, shape] : [shape]);
    if (!r.ok) throw new Error(`${op.type} does not apply to ${shape.join('×')}: ${r.message}`);
    const layer: LayerSpec = { ...op, name: `${op.type}_${i + 1}`, nodeId: `n${i + 1}`, inputs: many ? [prev, prev] : [prev], auto: false, inputShape: shape, outputShape: r.outputShape, paramCount: r.paramCount, kernelL2: 0 };
    shape = r.outputShape;
    prev = layer.name;
    return layer;
  });
  const totalParams = layers.reduce((a, l) => a + l.paramCount, 0);
  return {
    format: 'aestudio-model-spec', version: MODEL_SPEC_VERSION, dataset: 'custom', inputShape: [...inputShape], layers,
    codeLayerIndex: layers.length - 1, codeShape: shape, loss: 'mse', totalParams, compressionRatio: 1, nodes: [],
  };
}

/** The one-layer spec of an op's own example (its table entry's `example`). */
export function exampleSpec(type: LayerOpType): ModelSpec {
  const { op, input } = LAYER_OPS[type].example;
  return specOfOps(input, [op]);
}

/** Parameter values the ops' single examples do not reach (the other padding, odd sizes, each activation, the other interpolation): [name, input shape, ops]. */
export const OP_VARIANTS: [string, number[], LayerOp[]][] = [
  ['max-pooling, padding valid, odd size', [5, 7, 2], [{ type: 'maxPooling2d', poolSize: 2, padding: 'valid' }]],
  ['max-pooling 3, padding same, odd size', [7, 5, 2], [{ type: 'maxPooling2d', poolSize: 3, padding: 'same' }]],
  ['average pooling, padding valid, odd size', [5, 7, 2], [{ type: 'averagePooling2d', poolSize: 2, padding: 'valid' }]],
  ['average pooling 3, padding same, odd size', [7, 5, 2], [{ type: 'averagePooling2d', poolSize: 3, padding: 'same' }]],
  ['upsampling ×3, nearest', [2, 3, 2], [{ type: 'upSampling2d', size: 3, interpolation: 'nearest' }]],
  ['upsampling ×3, bilinear', [3, 2, 2], [{ type: 'upSampling2d', size: 3, interpolation: 'bilinear' }]],
  ['batch norm of a vector', [6], [{ type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 }]],
  ['global average pooling of a 1×1 image', [1, 1, 3], [{ type: 'globalAveragePooling2d' }]],
  ['strided conv, valid', [7, 6, 2], [{ type: 'conv2d', filters: 2, kernelSize: 3, strides: 2, padding: 'valid', activation: 'linear' }]],
  ...ACTIVATIONS.map((activation): [string, number[], LayerOp[]] => [`dense with ${activation}`, [6], [{ type: 'dense', units: 4, activation, alpha: 0.1 }]]),
  ...ACTIVATIONS.map((activation): [string, number[], LayerOp[]] => [`activation ${activation} alone`, [3, 2, 2], [{ type: 'activation', activation }]]),
  ['conv with leaky ReLU α 0.05', [4, 4, 2], [{ type: 'conv2d', filters: 3, kernelSize: 3, strides: 1, padding: 'same', activation: 'leakyRelu', alpha: 0.05 }]],
];
