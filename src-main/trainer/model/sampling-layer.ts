/**
 * The VAE's sampling layer in TF.js (the op is src-shared/layers/ops/variational.ts).
 * Its input is the heads μ ‖ log σ²; called with `training: true` (the
 * training graph) it draws z = μ + exp(½·log σ²)·ε, ε ~ N(0, I), from a seed
 * that advances per call, so a run seed gives the same draws; otherwise
 * (inference, encoder, every export) it gives μ. The gradient is TF.js's own
 * through slice, exp and the products: ∂z/∂μ = 1, ∂z/∂log σ² = ½·σ·ε
 * (checked against finite differences in its test).
 */
import * as tf from '@tensorflow/tfjs';

/** Samples the code from μ ‖ log σ² while training; μ otherwise. */
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
    const [b, n] = inputShape as tf.Shape;
    return [b, n === null ? null : n / 2];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs?: { training?: boolean }): tf.Tensor {
    const stats = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    const k = stats.shape[1] / 2;
    if (!kwargs?.training) return tf.slice(stats, [0, 0], [-1, k]);
    const seed = this.seed + this.calls++ * 7919;
    return tf.tidy(() => {
      const mu = tf.slice(stats, [0, 0], [-1, k]);
      const logVar = tf.slice(stats, [0, k], [-1, k]);
      const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', seed);
      return tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(SamplingLayer);
