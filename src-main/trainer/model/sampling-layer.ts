/**
 * The VAE's sampling layer in TF.js (the op is src-shared/layers/ops/variational.ts).
 * It takes the heads [μ, log σ²]; called with `training: true` (the training
 * graph) it draws z = μ + exp(½·log σ²)·ε, ε ~ N(0, I), from a seed that
 * advances per call, so a run seed gives the same draws; otherwise
 * (inference, encoder, every export) it gives μ. A saved autoencoder names
 * this class, registered below (as BilinearUpSampling is). The gradient is TF.js's own
 * through slice, exp and the products: ∂z/∂μ = 1, ∂z/∂log σ² = ½·σ·ε
 * (checked against finite differences in its test).
 */
import * as tf from '@tensorflow/tfjs';

/** Samples the code from [μ, log σ²] while training; μ otherwise. */
export class SamplingLayer extends tf.layers.Layer {
  /** Registered class name (a saved model.json names it). */
  static readonly className = 'AestudioSampling';
  private readonly seed: number;
  private calls = 0;

  constructor(args: { name?: string; seed: number }) {
    super({ name: args.name, trainable: false });
    this.seed = args.seed;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...(inputShape as tf.Shape[])[0]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs?: { training?: boolean }): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error(`Sampling layer ${this.name} takes [μ, log σ²], not ${Array.isArray(inputs) ? inputs.length : 1} tensor(s)`);
    const [mu, logVar] = inputs;
    if (!kwargs?.training) return tf.clone(mu);
    const seed = this.seed + this.calls++ * 7919;
    return tf.tidy(() => tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), tf.randomNormal(mu.shape, 0, 1, 'float32', seed))));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(SamplingLayer);
