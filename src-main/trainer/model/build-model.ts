/**
 * ModelSpec → TF.js models. One set of layer objects is wired into several
 * functional graphs that share weights:
 * - `train`: input → noise → … → reconstruction, plus the activations at each
 *   activity-regularizer point as extra outputs (the penalties need them);
 * - `inference`: the same without noise (what is exported and evaluated);
 * - `encoder` (input → code) and `decoder` (code → reconstruction);
 * - `noise`: input → noised input, for the reconstructions' middle column.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, ModelSpec } from '../../../src-shared/compiler/model-spec';
import { withFusedDense } from '../backend/fused-dense';
import { NoiseLayer } from './noise-layers';

/** An activity-regularizer point: which output of `train` carries its activations, and its weights. */
export interface ActivityTap {
  name: string;
  l1: number;
  klRho: number;
  klBeta: number;
}

/** An L2 penalty on a layer's kernel. */
export interface KernelPenalty {
  name: string;
  kernel: tf.LayerVariable;
  lambda: number;
}

/** Everything the trainer and the exporters need from one spec. */
export interface BuiltModel {
  train: tf.LayersModel;
  inference: tf.LayersModel;
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
  noise: tf.LayersModel | null;
  taps: ActivityTap[];
  kernelPenalties: KernelPenalty[];
}

type Weighted = Extract<LayerSpec, { type: 'dense' | 'conv2d' | 'conv2dTranspose' }>;

/** The TF.js layer for one spec layer; null for regularizer points (identity in the forward pass). */
export function makeLayer(spec: LayerSpec, seed: number): tf.layers.Layer | null {
  const name = spec.name;
  const init = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: 'zeros' as const });
  switch (spec.type) {
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'reshape':
      return tf.layers.reshape({ name, targetShape: spec.targetShape });
    case 'dense':
      // On wasm its call runs as one fused kernel (backend/fused-dense.ts); the layer and its saved form are unchanged.
      return withFusedDense(tf.layers.dense({ name, units: spec.units, activation: spec.activation, ...init() }));
    case 'conv2d':
      return tf.layers.conv2d({ name, filters: spec.filters, kernelSize: spec.kernelSize, strides: spec.strides, padding: spec.padding, activation: spec.activation, ...init() });
    case 'conv2dTranspose':
      return tf.layers.conv2dTranspose({ name, filters: spec.filters, kernelSize: spec.kernelSize, strides: spec.strides, padding: spec.padding, activation: spec.activation, ...init() });
    case 'maxPooling2d':
      return tf.layers.maxPooling2d({ name, poolSize: spec.poolSize, strides: spec.poolSize, padding: 'valid' });
    case 'upSampling2d':
      return tf.layers.upSampling2d({ name, size: [spec.size, spec.size], interpolation: 'nearest' });
    case 'activation':
      return tf.layers.activation({ name, activation: spec.activation });
    case 'gaussianNoise':
      return new NoiseLayer({ name, kind: 'gaussian', amount: spec.stddev, seed });
    case 'maskingNoise':
      return new NoiseLayer({ name, kind: 'masking', amount: spec.rate, seed });
    case 'saltPepperNoise':
      return new NoiseLayer({ name, kind: 'saltPepper', amount: spec.rate, seed });
    case 'activityRegularizer':
      return null;
  }
}

const isNoise = (l: LayerSpec) => l.type === 'gaussianNoise' || l.type === 'maskingNoise' || l.type === 'saltPepperNoise';
const isWeighted = (l: LayerSpec): l is Weighted => l.type === 'dense' || l.type === 'conv2d' || l.type === 'conv2dTranspose';

/** Builds the models of a spec; `seed` makes the initial weights (and the noise sequence) reproducible. */
export function buildModel(spec: ModelSpec, seed: number): BuiltModel {
  const layers = spec.layers.map((l, i) => makeLayer(l, seed * 1000 + i + 1));
  const input = tf.input({ shape: [...spec.inputShape], name: 'input' });

  // Training graph: every layer; regularizer points become extra outputs.
  let t: tf.SymbolicTensor = input;
  const tapOutputs: tf.SymbolicTensor[] = [];
  const taps: ActivityTap[] = [];
  spec.layers.forEach((l, i) => {
    if (l.type === 'activityRegularizer') {
      tapOutputs.push(t);
      taps.push({ name: l.nodeId, l1: l.l1, klRho: l.klRho, klBeta: l.klBeta });
    } else {
      t = layers[i]!.apply(t, isNoise(l) ? { training: true } : {}) as tf.SymbolicTensor;
    }
  });
  const train = tf.model({ inputs: input, outputs: [t, ...tapOutputs], name: 'train' });

  // Inference graph: the same layer objects (shared weights) without noise.
  const clean = (from: number, to: number, start: tf.SymbolicTensor) => {
    let s = start;
    for (let i = from; i < to; i++) if (layers[i] && !isNoise(spec.layers[i])) s = layers[i]!.apply(s) as tf.SymbolicTensor;
    return s;
  };
  const code = clean(0, spec.codeLayerIndex + 1, input);
  const output = clean(spec.codeLayerIndex + 1, spec.layers.length, code);
  const inference = tf.model({ inputs: input, outputs: output, name: 'autoencoder' });
  const encoder = tf.model({ inputs: input, outputs: code, name: 'encoder' });
  const codeInput = tf.input({ shape: [...spec.codeShape], name: 'code' });
  const decoder = tf.model({ inputs: codeInput, outputs: clean(spec.codeLayerIndex + 1, spec.layers.length, codeInput), name: 'decoder' });

  // The noised input is shown next to the clean one, so only noise applied to the input itself counts (the leading noise layers).
  let noised: tf.SymbolicTensor = input;
  for (let i = 0; i < spec.layers.length && isNoise(spec.layers[i]); i++) noised = layers[i]!.apply(noised, { training: true }) as tf.SymbolicTensor;
  const noise = noised === input ? null : tf.model({ inputs: input, outputs: noised, name: 'noise' });

  const kernelPenalties: KernelPenalty[] = [];
  spec.layers.forEach((l, i) => {
    // Dense and conv layers expose their kernel variable once built (which tf.model() above has done).
    if (isWeighted(l) && l.kernelL2 > 0) kernelPenalties.push({ name: l.name, kernel: (layers[i] as unknown as { kernel: tf.LayerVariable }).kernel, lambda: l.kernelL2 });
  });
  return { train, inference, encoder, decoder, noise, taps, kernelPenalties };
}
