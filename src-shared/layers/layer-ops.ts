/**
 * The one table of layer operations, keyed by the ModelSpec's op union: a
 * type that lacks an entry here (or has one too many) does not compile. The
 * compiler, the memory estimate, the batch-split planner and the Keras script
 * read it; the trainer keys its TF.js construction (model/tfjs-layers.ts) and
 * ONNX writer (export/onnx-ops.ts) by the same union.
 */
import type { Shape } from '../graph/types';
import type { LayerOp, LayerSpec } from '../compiler/model-spec';
import type { LayerInference, LayerOpDef, LayerOpType, LayerRole } from './layer-op';
import { batchNormalizationOp } from './ops/normalization';
import { flattenOp, reshapeOp } from './ops/reshaping';
import { activationOp, activityRegularizerOp, dropoutOp, gaussianNoiseOp, maskingNoiseOp, saltPepperNoiseOp } from './ops/pointwise';
import { addOp, concatenateOp, multiplyOp } from './ops/merging';
import { averagePooling2dOp, globalAveragePooling2dOp, maxPooling2dOp, upSampling2dOp } from './ops/spatial';
import { conv2dOp, conv2dTransposeOp, denseOp } from './ops/weighted';
import { samplingOp } from './ops/variational';

/** Every layer operation's definition, by op type. */
export const LAYER_OPS: { readonly [T in LayerOpType]: LayerOpDef<T> } = {
  flatten: flattenOp,
  reshape: reshapeOp,
  dense: denseOp,
  conv2d: conv2dOp,
  conv2dTranspose: conv2dTransposeOp,
  maxPooling2d: maxPooling2dOp,
  averagePooling2d: averagePooling2dOp,
  globalAveragePooling2d: globalAveragePooling2dOp,
  upSampling2d: upSampling2dOp,
  activation: activationOp,
  gaussianNoise: gaussianNoiseOp,
  maskingNoise: maskingNoiseOp,
  saltPepperNoise: saltPepperNoiseOp,
  dropout: dropoutOp,
  batchNormalization: batchNormalizationOp,
  activityRegularizer: activityRegularizerOp,
  add: addOp,
  concatenate: concatenateOp,
  multiply: multiplyOp,
  sampling: samplingOp,
};

/** Every op type, in the table's order. */
export const LAYER_OP_TYPES = Object.keys(LAYER_OPS) as LayerOpType[];

/**
 * The definition of the op `type`, for a caller holding an op or layer of that
 * type. (TypeScript cannot tie `LAYER_OPS[l.type]` to `l` itself; the table's
 * key is the op's `type`, so the pairing is right by construction.)
 */
export function layerOp(type: LayerOpType): LayerOpDef<LayerOpType> {
  return LAYER_OPS[type] as LayerOpDef<LayerOpType>;
}

/** Output shape and parameter count of `op` applied to `input` (a merge: to all of `inputs`), or why it cannot apply. */
export function inferLayer(op: LayerOp, input: Shape, inputs: readonly Shape[] = [input]): LayerInference {
  return layerOp(op.type).infer(op, input, inputs);
}

/** True for an op that takes two or more inputs (a merge). */
export function takesMany(type: LayerOpType): boolean {
  return LAYER_OPS[type].takesMany === true;
}

/** What the layer is to the trainer and the exporters (weighted, fixed, noise, penalty, normalization, sampling). */
export function layerRole(layer: Pick<LayerSpec, 'type'>): LayerRole {
  return LAYER_OPS[layer.type].role;
}

/** Values of a layer's kernel: its parameters less its bias (one per unit or filter); 0 without weights. */
export function kernelValues(layer: LayerSpec): number {
  return layerOp(layer.type).kernelValues(layer);
}
