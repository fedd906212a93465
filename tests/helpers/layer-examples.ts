/** One-layer (or few-layer) specs built from the layer-op table's examples, for tests that enumerate every op. */
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
