/**
 * ModelSpec → TF.js models. One set of layer objects is wired, by the names
 * each layer's `inputs` give, into several functional graphs (tf.model over
 * symbolic tensors, so branches and merges need nothing more) that share weights:
 * - `train`: input → noise → … → reconstruction, plus the activations at each
 *   activity-regularizer point as extra outputs (the penalties need them),
 *   and, last, a VAE's heads μ and log σ² (its KL term needs them);
 * - `inference`: the same without noise, and with a VAE's code μ where the
 *   training graph samples (what is saved, exported and evaluated);
 * - `encoder` (input → code) and `decoder` (code → reconstruction; none when
 *   a connection goes around the code); for a VAE also `encoderHeads`
 *   (input → [μ, log σ²], the encoder every export writes);
 * - `noise`: input → noised input, for the reconstructions' middle column.
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT } from '../../../src-shared/compiler/model-spec';
import type { LayerSpec, ModelSpec } from '../../../src-shared/compiler/model-spec';
import { codeParts } from '../../../src-shared/compiler/spec-graph';
import { layerRole } from '../../../src-shared/layers/layer-ops';
import { makeLayer } from './tfjs-layers';

/** An activity-regularizer point: which output of `train` carries its activations, and its weights. */
export interface ActivityTap {
  name: string;
  l1: number;
  klRho: number;
  klBeta: number;
}

/**
 * A VAE's KL term: the train model's last two outputs are the heads μ and
 * log σ² its sampling layer takes. `klWeight` is the β the loss uses now: the layer's β,
 * or (during a warm-up) the session's β of the epoch (ops/variational.ts's betaAtEpoch).
 */
export interface VariationalTap {
  name: string;
  beta: number;
  warmupEpochs: number;
  klWeight: number;
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
  /** A VAE's encoder as exported: input → [μ, log σ²], two outputs named by their layers; null for any other model. */
  encoderHeads: tf.LayersModel | null;
  /** Code → reconstruction; null when connections go around the code (the spec's `decoderAbsent` says so). */
  decoder: tf.LayersModel | null;
  noise: tf.LayersModel | null;
  taps: ActivityTap[];
  /** The KL term of a variational autoencoder; null for any other. */
  vae: VariationalTap | null;
  kernelPenalties: KernelPenalty[];
  /** Each spec layer's output in the inference graph, by layer name (and "input"): what the dashboard's activations read. */
  layerOutputs: ReadonlyMap<string, tf.SymbolicTensor>;
}

const isNoise = (l: LayerSpec) => layerRole(l) === 'noise';

/**
 * Applies `layers[i]` for each index of `which` (in order), reading each
 * layer's inputs by name from `tensors` and adding its output there. Noise
 * acts only when `noise` is set; a regularizer point passes its input on. A
 * VAE's sampling layer samples where `noise` is set (the training graph) and
 * gives μ in every other; it stays in them, so the log σ² head (and its
 * weights) stays part of every model that is saved or loaded.
 */
function wire(spec: ModelSpec, layers: readonly (tf.layers.Layer | null)[], which: readonly number[], tensors: Map<string, tf.SymbolicTensor>, noise: boolean, tap?: (l: LayerSpec, ts: tf.SymbolicTensor[]) => void): void {
  for (const i of which) {
    const l = spec.layers[i];
    const ins = l.inputs.map((name) => {
      const t = tensors.get(name);
      if (!t) throw new Error(`Layer ${l.name} takes ${name}, which this part of the model does not compute`);
      return t;
    });
    const layer = layers[i];
    tap?.(l, ins);
    if (!layer || (isNoise(l) && !noise)) {
      tensors.set(l.name, ins[0]);
    } else {
      const kwargs = isNoise(l) ? { training: true } : layerRole(l) === 'sampling' ? { training: noise } : {};
      tensors.set(l.name, layer.apply(ins.length > 1 ? ins : ins[0], kwargs) as tf.SymbolicTensor);
    }
  }
}

/** Builds the models of a spec; `seed` makes the initial weights (and the noise sequence) reproducible. */
export function buildModel(spec: ModelSpec, seed: number): BuiltModel {
  const layers = spec.layers.map((l, i) => makeLayer(l, seed * 1000 + i + 1));
  const input = tf.input({ shape: [...spec.inputShape], name: 'input' });
  const all = spec.layers.map((_, i) => i);
  const last = spec.layers.at(-1)?.name ?? MODEL_INPUT;

  // Training graph: every layer; regularizer points become extra outputs.
  const tapOutputs: tf.SymbolicTensor[] = [];
  const taps: ActivityTap[] = [];
  let vae: VariationalTap | null = null;
  let vaeHeads: tf.SymbolicTensor[] = [];
  const trained = new Map([[MODEL_INPUT, input]]);
  wire(spec, layers, all, trained, true, (l, [t, ...more]) => {
    if (l.type === 'sampling') {
      vae = { name: l.nodeId, beta: l.beta, warmupEpochs: l.warmupEpochs, klWeight: l.beta };
      vaeHeads = [t, ...more];
    }
    if (l.type !== 'activityRegularizer') return;
    tapOutputs.push(t);
    taps.push({ name: l.nodeId, l1: l.l1, klRho: l.klRho, klBeta: l.klBeta });
  });
  const train = tf.model({ inputs: input, outputs: [trained.get(last)!, ...tapOutputs, ...vaeHeads], name: 'train' });

  // Inference graph: the same layer objects (shared weights) without noise.
  const clean = new Map([[MODEL_INPUT, input]]);
  wire(spec, layers, all, clean, false);
  const inference = tf.model({ inputs: input, outputs: clean.get(last)!, name: 'autoencoder' });
  const codeName = spec.layers[spec.codeLayerIndex].name;
  const encoder = tf.model({ inputs: input, outputs: clean.get(codeName)!, name: 'encoder' });
  const sampling = spec.layers.find((l) => l.type === 'sampling');
  const encoderHeads = sampling ? tf.model({ inputs: input, outputs: sampling.inputs.map((n) => clean.get(n)!), name: 'encoder' }) : null;
  // The decoder alone exists only when nothing goes around the code (spec.decoderAbsent says why not).
  let decoder: tf.LayersModel | null = null;
  if (!spec.decoderAbsent) {
    const codeInput = tf.input({ shape: [...spec.codeShape], name: 'code' });
    const decoded = new Map([[codeName, codeInput]]);
    wire(spec, layers, codeParts(spec.layers, spec.codeLayerIndex).decoder, decoded, false);
    decoder = tf.model({ inputs: codeInput, outputs: decoded.get(last)!, name: 'decoder' });
  }

  // The noised input is shown next to the clean one, so only noise applied to the input itself counts (the noise layers that follow it in a row).
  let noised: tf.SymbolicTensor = input;
  let noisedName = MODEL_INPUT;
  spec.layers.forEach((l, i) => {
    if (!isNoise(l) || l.inputs[0] !== noisedName) return;
    noised = layers[i]!.apply(noised, { training: true }) as tf.SymbolicTensor;
    noisedName = l.name;
  });
  const noise = noised === input ? null : tf.model({ inputs: input, outputs: noised, name: 'noise' });
  const kernelPenalties: KernelPenalty[] = [];
  spec.layers.forEach((l, i) => {
    // Dense and conv layers expose their kernel variable once built (which tf.model() above has done).
    if (layerRole(l) === 'weighted' && l.kernelL2 > 0) kernelPenalties.push({ name: l.name, kernel: (layers[i] as unknown as { kernel: tf.LayerVariable }).kernel, lambda: l.kernelL2 });
  });
  return { train, inference, encoder, encoderHeads, decoder, noise, taps, vae, kernelPenalties, layerOutputs: clean };
}
