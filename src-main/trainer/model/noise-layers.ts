/**
 * Noise layers for denoising autoencoders. They corrupt their input only
 * when called with `training: true`, and each call draws from a seed that
 * advances, so the same run seed gives the same noise sequence. They exist
 * only in the training graph: inference, encoder, decoder and every export
 * are built without them.
 */
import * as tf from '@tensorflow/tfjs';

/** What a noise layer does. */
export type NoiseKind = 'gaussian' | 'masking' | 'saltPepper' | 'dropout';

interface NoiseArgs {
  name: string;
  kind: NoiseKind;
  /** σ for gaussian, the probability for masking, salt-and-pepper and dropout. */
  amount: number;
  seed: number;
}

/** Corrupts its input while training; identity otherwise. */
export class NoiseLayer extends tf.layers.Layer {
  /** Registered class name (only used if someone serialises the training graph). */
  static readonly className = 'AestudioNoise';
  private readonly kind: NoiseKind;
  private readonly amount: number;
  private readonly seed: number;
  private calls = 0;

  constructor(args: NoiseArgs) {
    super({ name: args.name, trainable: false });
    this.kind = args.kind;
    this.amount = args.amount;
    this.seed = args.seed;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training) return x;
    const seed = this.seed + this.calls++ * 7919;
    return tf.tidy(() => {
      switch (this.kind) {
        case 'gaussian':
          return tf.add(x, tf.randomNormal(x.shape, 0, this.amount, 'float32', seed));
        case 'masking': {
          const keep = tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.amount);
          return tf.mul(x, tf.cast(keep, 'float32'));
        }
        case 'dropout': {
          // Inverted dropout (as Keras): the kept values are scaled so each value's expectation is unchanged.
          const keep = tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.amount);
          return tf.mul(x, tf.mul(tf.cast(keep, 'float32'), 1 / (1 - this.amount)));
        }
        case 'saltPepper': {
          const u = tf.randomUniform(x.shape, 0, 1, 'float32', seed);
          const hit = tf.less(u, this.amount);
          // Within a hit, the lower half of u becomes pepper (0), the upper half salt (1).
          const salt = tf.cast(tf.greaterEqual(u, this.amount / 2), 'float32');
          return tf.where(hit, salt, x);
        }
      }
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kind: this.kind, amount: this.amount, seed: this.seed };
  }
}
tf.serialization.registerClass(NoiseLayer);
