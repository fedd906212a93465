/**
 * Regularizer penalties, as Keras defines them so numbers compare with
 * Keras and the literature: L1 activity λ·Σ|a| per sample averaged over the
 * batch; KL sparsity β·Σⱼ KL(ρ ‖ ρ̂ⱼ) with ρ̂ⱼ the batch mean of unit j;
 * L2 weight λ·Σw².
 */
import * as tf from '@tensorflow/tfjs';
import { FUSED_LOSS, hasFusedLosses } from '../backend/fused-losses';

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

/**
 * KL(q(z|x) ‖ N(0, I)) of a VAE's heads μ and log σ² (batch × k each):
 * −½·Σⱼ(1 + log σ²ⱼ − μⱼ² − σ²ⱼ) over the k code values of a sample, averaged
 * over the batch, as Keras's VAE example (unweighted: the caller applies β).
 */
export function gaussianKl(mu: tf.Tensor, logVar: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const perValue = tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar)));
    return tf.mul(-0.5 / (mu.shape[0] ?? 1), tf.sum(perValue)) as tf.Scalar;
  });
}

/** λ · Σ w² over a kernel. */
export function l2WeightPenalty(kernel: tf.Tensor, lambda: number): tf.Scalar {
  return tf.tidy(() => tf.mul(lambda, tf.sum(tf.square(kernel))) as tf.Scalar);
}

/** Mean squared error over every value. */
export function mseLoss(target: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  if (fusable(target, prediction)) return fusedMse(target, prediction);
  return tf.tidy(() => tf.mean(tf.squaredDifference(target, prediction)) as tf.Scalar);
}

/** Binary cross-entropy over every value, predictions clipped to [ε, 1−ε] (as Keras does) so log never sees 0. */
export function bceLoss(target: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  if (fusable(target, prediction)) return fusedBce(target, prediction);
  return bceWithGradient(target, prediction);
}

/** The wasm backend computes either loss and its gradient in one kernel each (backend/fused-losses.ts). */
function fusable(target: tf.Tensor, prediction: tf.Tensor): boolean {
  return hasFusedLosses() && target.dtype === 'float32' && prediction.dtype === 'float32' && tf.util.arraysEqual(target.shape, prediction.shape);
}

type LossFn = (target: tf.Tensor, prediction: tf.Tensor) => tf.Scalar;

/** A loss whose value and gradient (with respect to the prediction; the target is data) are the kernels `forward` and `backward`. */
function fusedLoss(forward: string, backward: string): LossFn {
  return tf.customGrad(((target: tf.Tensor, prediction: tf.Tensor, save: tf.GradSaveFunc) => {
    save([target, prediction]);
    const attrs = { eps: EPS };
    return {
      value: tf.engine().runKernel(forward, { t: target, p: prediction }, attrs) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, [t, p]: tf.Tensor[]) => [tf.zerosLike(t), tf.engine().runKernel(backward, { t, p, dy }, attrs) as tf.Tensor],
    };
    // customGrad's type takes the inputs and save function as one variadic list.
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as LossFn;
}

const fusedMse = fusedLoss(FUSED_LOSS.mse, FUSED_LOSS.mseGrad);
const fusedBce = fusedLoss(FUSED_LOSS.bce, FUSED_LOSS.bceGrad);

/**
 * The same loss with its gradient written out: d/dp = (p − t) / (p(1 − p)) / n
 * where p lies within the clip range, 0 outside (as the clip's own gradient
 * gives). Autodiff of the formula above takes ~20 small kernels on the
 * backward pass (two log gradients, the clip mask built from three
 * comparisons); this takes 7, a measurable share of a dense model's step on
 * wasm. Equal to the autodiff gradient to float precision (tested).
 */
const bceWithGradient = tf.customGrad(((target: tf.Tensor, prediction: tf.Tensor, save: tf.GradSaveFunc) => {
  const p = tf.clipByValue(prediction, EPS, 1 - EPS);
  const ll = tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p))));
  save([target, prediction, p]);
  return {
    value: tf.neg(tf.mean(ll)) as tf.Scalar,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [t, raw, clipped] = saved;
      const inRange = tf.cast(tf.equal(raw, clipped), 'float32');
      const scale = tf.div(dy, raw.size);
      const dp = tf.mul(tf.div(tf.sub(clipped, t), tf.mul(clipped, tf.sub(1, clipped))), tf.mul(inRange, scale));
      return [tf.zerosLike(t), dp];
    },
  };
  // customGrad's type takes the inputs and save function as one variadic list.
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (target: tf.Tensor, prediction: tf.Tensor) => tf.Scalar;
