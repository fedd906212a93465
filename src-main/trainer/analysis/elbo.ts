/**
 * A VAE's negative ELBO of each sample, its anomaly score beside the
 * reconstruction error: the reconstruction loss summed over the sample's
 * values (the run's loss, BCE clipped as Keras clips it, or squared error)
 * plus KL(q(z|x) ‖ N(0, I)) = −½·Σⱼ(1 + log σ²ⱼ − μⱼ² − σ²ⱼ) from the heads μ
 * and log σ². β = 1 here whatever the run trained with: that is the ELBO.
 * The reconstruction is decoded from μ (z = μ, as inference decodes), so the
 * score is deterministic: a one-point estimate of E_q[log p(x|z)], not a
 * Monte-Carlo average over draws of z.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { BuiltModel } from '../model/build-model';

const BATCH = 256;
const EPS = 1e-7;

/** Per-sample terms of the negative ELBO of `count` samples (`values`, one after another). */
export interface PerSampleElbo {
  reconstruction: Float32Array<ArrayBuffer>;
  kl: Float32Array<ArrayBuffer>;
  /** reconstruction + kl. */
  total: Float32Array<ArrayBuffer>;
}

/** The negative ELBO of each of `count` samples, in batches; null for a model that is not a VAE (no heads μ and log σ²). */
export function perSampleNegativeElbo(model: BuiltModel, spec: ModelSpec, values: Float32Array, count: number): PerSampleElbo | null {
  const heads = model.encoderHeads;
  if (!heads) return null;
  const size = spec.inputShape.reduce((a, b) => a * b, 1);
  const reconstruction = new Float32Array(count);
  const kl = new Float32Array(count);
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const [rec, div] = tf.tidy(() => {
      const x = tf.tensor(values.subarray(start * size, (start + n) * size), [n, ...spec.inputShape]);
      const t = x.reshape([n, size]);
      const y = (model.inference.predict(x) as tf.Tensor).reshape([n, size]);
      let perValue: tf.Tensor;
      if (spec.loss === 'bce') {
        const p = tf.clipByValue(y, EPS, 1 - EPS);
        perValue = tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
      } else {
        perValue = tf.squaredDifference(t, y);
      }
      const [mu, logVar] = heads.predict(x) as tf.Tensor[];
      const klValues = tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar)));
      return [tf.sum(perValue, 1), tf.mul(-0.5, tf.sum(klValues.reshape([n, -1]), 1))];
    });
    reconstruction.set(rec.dataSync() as Float32Array, start);
    kl.set(div.dataSync() as Float32Array, start);
    rec.dispose();
    div.dispose();
  }
  return { reconstruction, kl, total: Float32Array.from(reconstruction, (r, i) => r + kl[i]) };
}
