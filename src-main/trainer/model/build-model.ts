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
import { layerRole } from '../../../src-shared/layers/layer-ops';
import { makeLayer } from './tfjs-layers';

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

const isNoise = (l: LayerSpec) => layerRole(l) === 'noise';

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
    if (layerRole(l) === 'weighted' && l.kernelL2 > 0) kernelPenalties.push({ name: l.name, kernel: (layers[i] as unknown as { kernel: tf.LayerVariable }).kernel, lambda: l.kernelL2 });
  });
  return { train, inference, encoder, decoder, noise, taps, kernelPenalties };
}
