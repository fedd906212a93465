/**
 * The training objective of a built model on one batch: reconstruction loss
 * first, then each penalty, then a VAE's KL term. One definition for the
 * trainer's own step and for the helper threads that compute gradients on
 * parts of a batch. A VAE's reconstruction term is summed over the values of
 * a sample and averaged over the batch (as Keras's VAE example), and its KL
 * term is kept unweighted and weighted by β in the objective, so both read as
 * the two terms of the negative ELBO.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { BuiltModel } from '../model/build-model';
import { bceLoss, gaussianKl, klSparsityPenalty, l1ActivityPenalty, l2WeightPenalty, mseLoss } from '../model/penalties';

/** Names of the penalty terms, in the order {@link lossTerms} returns them after the reconstruction loss. */
export function penaltyNames(model: BuiltModel): string[] {
  return [...model.taps.flatMap((t) => [...(t.l1 > 0 ? [`l1:${t.name}`] : []), ...(t.klBeta > 0 ? [`kl:${t.name}`] : [])]), ...model.kernelPenalties.map((k) => `l2:${k.name}`)];
}

/** Values the reconstruction loss (a mean over every value) is multiplied by: a sample's values for a VAE, else 1. */
export function reconstructionScale(model: BuiltModel, spec: ModelSpec): number {
  return model.vae ? spec.inputShape.reduce((a, b) => a * b, 1) : 1;
}

/** Reconstruction loss of `xb` through the training graph (noise and sampling on), then every penalty, then a VAE's unweighted KL term. */
export function lossTerms(model: BuiltModel, spec: ModelSpec, xb: tf.Tensor): tf.Scalar[] {
  const outs = model.train.apply(xb, { training: true });
  const [recon, ...tapActs] = Array.isArray(outs) ? (outs as tf.Tensor[]) : [outs as tf.Tensor];
  const loss = spec.loss === 'bce' ? bceLoss(xb, recon) : mseLoss(xb, recon);
  const scale = reconstructionScale(model, spec);
  const terms: tf.Scalar[] = [scale === 1 ? loss : (tf.mul(loss, scale) as tf.Scalar)];
  model.taps.forEach((t, i) => {
    if (t.l1 > 0) terms.push(l1ActivityPenalty(tapActs[i], t.l1));
    if (t.klBeta > 0) terms.push(klSparsityPenalty(tapActs[i], t.klRho, t.klBeta));
  });
  for (const k of model.kernelPenalties) terms.push(l2WeightPenalty(k.kernel.read(), k.lambda));
  if (model.vae) terms.push(gaussianKl(tapActs[model.taps.length], tapActs[model.taps.length + 1]));
  return terms;
}

/** The objective from {@link lossTerms}: their sum, with a VAE's KL term (the last) weighted by its β now. */
export function objective(model: BuiltModel, terms: tf.Scalar[]): tf.Scalar {
  if (!model.vae) return tf.addN(terms) as tf.Scalar;
  const kl = terms[terms.length - 1];
  return tf.addN([...terms.slice(0, -1), tf.mul(kl, model.vae.klWeight)]) as tf.Scalar;
}

/** The trainable variables of a model, in a fixed order (the order gradients travel between threads in). */
export function trainableVariables(model: BuiltModel): tf.Variable[] {
  return model.train.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
}

/** Gradients (by variable name) of the batch `xb` and its loss terms as one tensor, left on the backend for the caller to read. */
export function batchGradientsDeferred(model: BuiltModel, spec: ModelSpec, xb: tf.Tensor, variables: tf.Variable[]): { grads: tf.NamedTensorMap; terms: tf.Tensor1D } {
  let stacked: tf.Tensor1D | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const parts = lossTerms(model, spec, xb);
    stacked = tf.keep(tf.stack(parts)) as tf.Tensor1D;
    return objective(model, parts);
  }, variables);
  value.dispose();
  return { grads, terms: stacked as unknown as tf.Tensor1D };
}

/** Loss terms and gradients (by variable name) of the batch `xb`, without applying them (the terms read synchronously). */
export function batchGradients(model: BuiltModel, spec: ModelSpec, xb: tf.Tensor, variables: tf.Variable[]): { grads: tf.NamedTensorMap; terms: number[] } {
  const { grads, terms } = batchGradientsDeferred(model, spec, xb, variables);
  const values = Array.from(terms.dataSync());
  terms.dispose();
  return { grads, terms: values };
}

/**
 * {@link batchGradients} of the samples `indices` of `data`: one part of a
 * batch split across threads. The samples are gathered outside the gradient
 * tape (inside it, backprop would also scatter a gradient into the whole dataset).
 */
export function partGradients(model: BuiltModel, spec: ModelSpec, data: tf.Tensor, indices: Int32Array, variables: tf.Variable[]): { grads: tf.NamedTensorMap; terms: number[] } {
  const xb = tf.tidy(() => tf.gather(data, tf.tensor1d(indices, 'int32')));
  try {
    return batchGradients(model, spec, xb, variables);
  } finally {
    xb.dispose();
  }
}

/** {@link partGradients} with the loss terms left on the backend ({@link batchGradientsDeferred}). */
export function partGradientsDeferred(model: BuiltModel, spec: ModelSpec, data: tf.Tensor, indices: Int32Array, variables: tf.Variable[]): { grads: tf.NamedTensorMap; terms: tf.Tensor1D } {
  const xb = tf.tidy(() => tf.gather(data, tf.tensor1d(indices, 'int32')));
  try {
    return batchGradientsDeferred(model, spec, xb, variables);
  } finally {
    xb.dispose();
  }
}
