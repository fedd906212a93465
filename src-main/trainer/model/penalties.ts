/**
 * Regularizer penalties, as Keras defines them so numbers compare with
 * Keras and the literature: L1 activity λ·Σ|a| per sample averaged over the
 * batch; KL sparsity β·Σⱼ KL(ρ ‖ ρ̂ⱼ) with ρ̂ⱼ the batch mean of unit j;
 * L2 weight λ·Σw².
 */
import * as tf from '@tensorflow/tfjs';

const EPS = 1e-7;

/** λ · mean over the batch of Σ|a| over the units of one sample. */
export function l1ActivityPenalty(activations: tf.Tensor, lambda: number): tf.Scalar {
  return tf.tidy(() => tf.mul(lambda, tf.div(tf.sum(tf.abs(activations)), activations.shape[0] ?? 1)) as tf.Scalar);
}

/** β · Σ over units of KL(ρ ‖ ρ̂), ρ̂ = mean activation of each unit over the batch (clipped away from 0 and 1). */
export function klSparsityPenalty(activations: tf.Tensor, rho: number, beta: number): tf.Scalar {
  return tf.tidy(() => {
    const units = activations.reshape([activations.shape[0] ?? 1, -1]);
    const rhoHat = tf.clipByValue(tf.mean(units, 0), EPS, 1 - EPS);
    const kl = tf.add(
      tf.mul(rho, tf.log(tf.div(rho, rhoHat))),
      tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))),
    );
    return tf.mul(beta, tf.sum(kl)) as tf.Scalar;
  });
}

/** λ · Σ w² over a kernel. */
export function l2WeightPenalty(kernel: tf.Tensor, lambda: number): tf.Scalar {
  return tf.tidy(() => tf.mul(lambda, tf.sum(tf.square(kernel))) as tf.Scalar);
}

/** Mean squared error over every value. */
export function mseLoss(target: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(target, prediction)) as tf.Scalar);
}

/** Binary cross-entropy over every value, predictions clipped to [ε, 1−ε] (as Keras does) so log never sees 0. */
export function bceLoss(target: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(prediction, EPS, 1 - EPS);
    const ll = tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(ll)) as tf.Scalar;
  });
}
