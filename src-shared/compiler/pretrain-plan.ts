/**
 * Layer-wise pretraining's stages for a spec (Hinton & Salakhutdinov, 2006):
 * stage k pairs the k-th weighted encoder layer with its mirror in the
 * decoder (the k-th from the output), and the two train as a shallow
 * autoencoder on the codes of the encoder layers before them. Pure, so the
 * training form shows the stages (or why there are none) as the graph is
 * edited, the CLI refuses before it starts a trainer, and the trainer runs
 * exactly these stages.
 */
import type { LayerOpType } from '../layers/layer-op';
import { MODEL_INPUT } from './model-spec';
import type { LayerSpec, ModelSpec } from './model-spec';

/** What each op is to pretraining: one side of a pair, a layer that goes along with the pair it sits in, or not pretrainable at all. */
const PRETRAIN_PART: { readonly [T in LayerOpType]: 'paired' | 'carried' | 'refused' } = {
  dense: 'paired',
  conv2d: 'paired',
  conv2dTranspose: 'paired',
  flatten: 'carried',
  reshape: 'carried',
  maxPooling2d: 'carried',
  averagePooling2d: 'carried',
  globalAveragePooling2d: 'carried',
  upSampling2d: 'carried',
  activation: 'carried',
  gaussianNoise: 'carried',
  maskingNoise: 'carried',
  saltPepperNoise: 'carried',
  dropout: 'carried',
  batchNormalization: 'carried',
  activityRegularizer: 'carried',
  // A merge joins branches: there is no stack of single layers to mirror.
  add: 'refused',
  concatenate: 'refused',
  multiply: 'refused',
  // A variational bottleneck samples from two heads (a branch), and its code is trained by its KL term, not as a shallow autoencoder.
  sampling: 'refused',
};

/** One stage: the layers (indices into the spec's layers, in order) that train together, and what they reconstruct. */
export interface PretrainStage {
  /** 1 for the outermost pair (next to the input and the output). */
  stage: number;
  /** The weighted encoder layer and its mirrored decoder layer, by name. */
  pair: [encoder: string, decoder: string];
  /** The encoder layers of this stage: the weighted one and the unweighted layers that go with it (pooling, flatten, noise …). */
  encoder: number[];
  /** The decoder layers of this stage, from the one that takes this stage's code to the one that gives back its input. */
  decoder: number[];
  /** The stage's input: the output of this layer (index), or of the model's input (−1); frozen stages before it compute it. */
  inputFrom: number;
  /** Shape of that input, which the stage reconstructs. */
  inputShape: number[];
}

/** The stages of a spec, or why it has none. */
export type PretrainPlan = { ok: true; stages: PretrainStage[] } | { ok: false; reason: string };

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const shapeText = (s: readonly number[]) => s.join('×');

/** Why a spec's layers are not one chain (branches, merges, connections around the code), or null when they are. */
function notAChain(spec: Pick<ModelSpec, 'layers' | 'decoderAbsent'>): string | null {
  if (spec.decoderAbsent) return spec.decoderAbsent; // it says that connections go around the code, and where
  for (let i = 0; i < spec.layers.length; i++) {
    const l = spec.layers[i];
    if (PRETRAIN_PART[l.type] === 'refused') return `${l.name} merges branches (${l.inputs.join(', ')}), so the layers are not one stack`;
    const before = i === 0 ? MODEL_INPUT : spec.layers[i - 1].name;
    if (l.inputs.length !== 1 || l.inputs[0] !== before) return `${l.name} takes ${l.inputs.join(', ')} rather than the layer before it (${before}): the graph branches, as a variational bottleneck's two heads do, so its layers are not one stack`;
  }
  return null;
}

/**
 * The stages of layer-wise pretraining for `spec`: one per pair of weighted
 * encoder and decoder layers, outermost first. Refused, with the reason, for
 * a graph that is not a single stack (branches, merges, a variational
 * bottleneck, a skip around the code), whose stacks differ in length, or
 * whose mirrored layers do not give back the shape their encoder layer took.
 */
export function pretrainPlan(spec: Pick<ModelSpec, 'layers' | 'codeLayerIndex' | 'inputShape' | 'decoderAbsent'>): PretrainPlan {
  const chain = notAChain(spec);
  if (chain) return { ok: false, reason: chain };
  const { layers, codeLayerIndex: code } = spec;
  const paired = (from: number, to: number) => layers.map((_, i) => i).filter((i) => i >= from && i <= to && PRETRAIN_PART[layers[i].type] === 'paired');
  const enc = paired(0, code);
  const dec = paired(code + 1, layers.length - 1);
  const names = (ix: number[]) => (ix.length ? ix.map((i) => layers[i].name).join(', ') : 'none');
  if (enc.length === 0) return { ok: false, reason: 'the encoder has no dense or convolutional layer to pretrain' };
  if (enc.length !== dec.length) return { ok: false, reason: `the stacks are unequal: the encoder has ${enc.length} weighted layer${enc.length === 1 ? '' : 's'} (${names(enc)}) and the decoder ${dec.length} (${names(dec)}), so they do not pair up` };
  const n = enc.length;
  // Encoder stage k: from its weighted layer (the first stage also from the input) up to the next stage's weighted layer, the last up to the code.
  const encStart = (k: number) => (k === 0 ? 0 : enc[k]);
  const encEnd = (k: number) => (k === n - 1 ? code : enc[k + 1] - 1);
  const inputShape = (k: number): number[] => (k === 0 ? [...spec.inputShape] : [...layers[encEnd(k - 1)].outputShape]);
  // Decoder stage k ends where its mirrored layer (dec[n-1-k]) has given back the stage's input shape, before the next outer weighted layer.
  const decEnd: number[] = new Array<number>(n);
  decEnd[0] = layers.length - 1;
  for (let k = 1; k < n; k++) {
    const mirror = dec[n - 1 - k];
    const limit = dec[n - k] - 1;
    let cut = -1;
    for (let p = mirror; p <= limit && cut < 0; p++) if (sameShape(layers[p].outputShape, inputShape(k))) cut = p;
    if (cut < 0) {
      const given = layers.slice(mirror, limit + 1).map((l: LayerSpec) => `${l.name} ${shapeText(l.outputShape)}`).join(', ');
      return { ok: false, reason: `the shapes do not pair up: ${layers[enc[k]].name} takes ${shapeText(inputShape(k))} but its mirror ${layers[mirror].name} does not give that back (${given})` };
    }
    decEnd[k] = cut;
  }
  if (!sameShape(layers[decEnd[0]].outputShape, inputShape(0))) return { ok: false, reason: `the shapes do not pair up: the output is ${shapeText(layers[decEnd[0]].outputShape)} but the input ${shapeText(inputShape(0))}` };
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  const stages: PretrainStage[] = [];
  for (let k = 0; k < n; k++) {
    const decStart = k === n - 1 ? code + 1 : decEnd[k + 1] + 1;
    stages.push({ stage: k + 1, pair: [layers[enc[k]].name, layers[dec[n - 1 - k]].name], encoder: range(encStart(k), encEnd(k)), decoder: range(decStart, decEnd[k]), inputFrom: k === 0 ? -1 : encEnd(k - 1), inputShape: inputShape(k) });
  }
  return { ok: true, stages };
}

/** One line for people: "enc1 ↔ dec2, then code ↔ dec1". */
export function pretrainPlanText(plan: PretrainPlan): string {
  return plan.ok ? plan.stages.map((s) => `${s.pair[0]} ↔ ${s.pair[1]}`).join(', then ') : `No layer-wise pretraining: ${plan.reason}.`;
}

/** Why a run that asks for pretraining is refused, and what to try: one text for the trainer's error and the CLI's early refusal. */
export function pretrainRefusal(reason: string): { message: string; hint: string } {
  return {
    message: `Layer-wise pretraining cannot run on this graph: ${reason}`,
    hint: 'Set pretraining to 0 epochs per stage to train end to end, or make the graph one stack of dense (or shape-matched convolutional) layers with as many weighted layers in the decoder as in the encoder.',
  };
}
