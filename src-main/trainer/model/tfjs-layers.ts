/**
 * How the trainer builds each layer operation in TF.js, keyed by the op union
 * of src-shared/layers: an op without a construction here does not compile.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../../src-shared/compiler/model-spec';
import type { LayerOf, LayerOpType } from '../../../src-shared/layers/layer-op';
import { withFusedConv } from '../backend/fused-conv';
import { withFusedDense } from '../backend/fused-dense';
import { tfjsActivation } from './activations';
import { NoiseLayer } from './noise-layers';
import { BilinearUpSampling } from './resize-layers';
import { SamplingLayer } from './sampling-layer';

/** Builds one layer of op `T`; null for an op that is no layer in the forward pass (a regularizer point). */
type TfjsConstruction<T extends LayerOpType> = (layer: LayerOf<T>, seed: number) => tf.layers.Layer | null;

const init = (seed: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: 'zeros' as const });

/** The TF.js layer of each op. */
export const TFJS_LAYERS: { readonly [T in LayerOpType]: TfjsConstruction<T> } = {
  flatten: ({ name }) => tf.layers.flatten({ name }),
  reshape: ({ name, targetShape }) => tf.layers.reshape({ name, targetShape }),
  // On wasm its call runs as one fused kernel (backend/fused-dense.ts); the layer and its saved form are unchanged.
  dense: (l, seed) => withFusedDense(tf.layers.dense({ name: l.name, units: l.units, activation: tfjsActivation(l), ...init(seed) })),
  // Likewise convolutions (backend/fused-conv.ts).
  conv2d: (l, seed) => withFusedConv(tf.layers.conv2d({ name: l.name, filters: l.filters, kernelSize: l.kernelSize, strides: l.strides, padding: l.padding, activation: tfjsActivation(l), ...init(seed) }), false),
  conv2dTranspose: (l, seed) => withFusedConv(tf.layers.conv2dTranspose({ name: l.name, filters: l.filters, kernelSize: l.kernelSize, strides: l.strides, padding: l.padding, activation: tfjsActivation(l), ...init(seed) }), true),
  maxPooling2d: ({ name, poolSize, padding }) => tf.layers.maxPooling2d({ name, poolSize, strides: poolSize, padding }),
  averagePooling2d: ({ name, poolSize, padding }) => tf.layers.averagePooling2d({ name, poolSize, strides: poolSize, padding }),
  globalAveragePooling2d: ({ name }) => tf.layers.globalAveragePooling2d({ name }),
  upSampling2d: ({ name, size, interpolation }) => (interpolation === 'bilinear' ? new BilinearUpSampling({ name, size }) : tf.layers.upSampling2d({ name, size: [size, size], interpolation: 'nearest' })),
  activation: (l) => tf.layers.activation({ name: l.name, activation: tfjsActivation(l) }),
  gaussianNoise: ({ name, stddev }, seed) => new NoiseLayer({ name, kind: 'gaussian', amount: stddev, seed }),
  maskingNoise: ({ name, rate }, seed) => new NoiseLayer({ name, kind: 'masking', amount: rate, seed }),
  saltPepperNoise: ({ name, rate }, seed) => new NoiseLayer({ name, kind: 'saltPepper', amount: rate, seed }),
  // Not tf.layers.dropout: a fixed seed there draws the same mask every batch; the noise layer's seed advances per call.
  dropout: ({ name, rate }, seed) => new NoiseLayer({ name, kind: 'dropout', amount: rate, seed }),
  // Keras' defaults but for momentum and epsilon, which the spec states.
  batchNormalization: ({ name, momentum, epsilon }) => tf.layers.batchNormalization({ name, momentum, epsilon, axis: -1 }),
  activityRegularizer: () => null, // identity forward: buildModel taps the activations it sees instead
  add: ({ name }) => tf.layers.add({ name }),
  concatenate: ({ name }) => tf.layers.concatenate({ name, axis: -1 }),
  multiply: ({ name }) => tf.layers.multiply({ name }),
  sampling: ({ name }, seed) => new SamplingLayer({ name, seed }),
};

/** The TF.js layer for one spec layer; null for regularizer points (identity in the forward pass). */
export function makeLayer(layer: LayerSpec, seed: number): tf.layers.Layer | null {
  // The table is keyed by the layer's own type, so its entry takes this layer (TypeScript cannot tie the two).
  return (TFJS_LAYERS[layer.type] as TfjsConstruction<LayerOpType>)(layer, seed);
}
