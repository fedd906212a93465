/**
 * Loss and penalty values against hand computation on tiny tensors, and the
 * losses' gradients against autodiff of their formulas, on cpu (TF.js ops)
 * and on wasm (our fused kernels, backend/fused-losses.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { chooseBackend } from '../backend/choose-backend';
import { hasFusedLosses } from '../backend/fused-losses';
import { bceLoss, gaussianKl, klSparsityPenalty, l1ActivityPenalty, l2WeightPenalty, mseLoss } from './penalties';

const value = (t: tf.Tensor) => t.dataSync()[0];

/** The losses as formulas of TF.js ops (autodiff gives their gradients): the references for ours. */
const EPS = 1e-7;
const bceFormula = (t: tf.Tensor, p: tf.Tensor) => {
  const c = tf.clipByValue(p, EPS, 1 - EPS);
  return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(c)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, c)))))) as tf.Scalar;
};
const mseFormula = (t: tf.Tensor, p: tf.Tensor) => tf.mean(tf.squaredDifference(t, p)) as tf.Scalar;

describe.each(['cpu', 'wasm'] as const)('penalties on %s', (backend) => {
  beforeAll(async () => {
    await chooseBackend(backend);
  });
  // Two samples, three units.
  const a = () => tf.tensor2d([[0.5, -1, 0], [0.25, 2, 0.1]]);

  it('uses the fused loss kernels exactly on wasm', () => {
    expect(hasFusedLosses()).toBe(backend === 'wasm');
  });

  it('L1 activity: λ · Σ|a| per sample, averaged over the batch', () => {
    // (0.5 + 1 + 0 + 0.25 + 2 + 0.1) / 2 = 1.925
    expect(value(l1ActivityPenalty(a(), 0.1))).toBeCloseTo(0.1925, 6);
  });

  it('KL sparsity: β · Σⱼ KL(ρ ‖ mean activation of unit j)', () => {
    const s = tf.tensor2d([[0.1, 0.5], [0.3, 0.7]]); // unit means 0.2 and 0.6
    const kl = (rho: number, q: number) => rho * Math.log(rho / q) + (1 - rho) * Math.log((1 - rho) / (1 - q));
    expect(value(klSparsityPenalty(s, 0.05, 3))).toBeCloseTo(3 * (kl(0.05, 0.2) + kl(0.05, 0.6)), 5);
    expect(value(klSparsityPenalty(tf.fill([4, 2], 0.05), 0.05, 3))).toBeCloseTo(0, 6); // on target: no penalty
  });

  it('VAE KL: KL(N(μ, σ²) ‖ N(0, 1)) summed over a sample\'s code values, averaged over the batch', () => {
    // Per value ½(σ² + μ² − 1 − log σ²). Sample 1: μ = 1, σ² = 1 → 0.5; μ = 0, σ² = 4 → ½(3 − ln 4).
    // Sample 2: μ = −2, σ² = ¼ → ½(3.25 + ln 4); μ = 0, σ² = 1 → 0. The logs cancel: (0.5 + 1.5 + 1.625) / 2 = 1.8125.
    const mu = tf.tensor2d([[1, 0], [-2, 0]]);
    const logVar = tf.tensor2d([[0, Math.log(4)], [Math.log(0.25), 0]]);
    expect(value(gaussianKl(mu, logVar))).toBeCloseTo(1.8125, 5);
    expect(value(gaussianKl(tf.zeros([3, 4]), tf.zeros([3, 4])))).toBeCloseTo(0, 7); // q = the prior: no divergence
  });

  it('L2 weight: λ · Σw²', () => {
    expect(value(l2WeightPenalty(tf.tensor2d([[1, -2], [3, 0]]), 0.01))).toBeCloseTo(0.14, 6);
  });

  it('MSE and BCE over every value', () => {
    const t = tf.tensor1d([0, 1, 1, 0]);
    const p = tf.tensor1d([0.1, 0.8, 0.6, 0.3]);
    expect(value(mseLoss(t, p))).toBeCloseTo((0.01 + 0.04 + 0.16 + 0.09) / 4, 6);
    expect(value(bceLoss(t, p))).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.7)) / 4, 5);
    expect(Number.isFinite(value(bceLoss(t, tf.tensor1d([0, 1, 0, 1]))))).toBe(true); // clipped, never infinite
  });

  it('BCE\'s written-out gradient equals autodiff of the clipped formula, including at and beyond the clip bounds', () => {
    const t = tf.randomUniform([16, 50], 0, 1, 'float32', 1);
    const p = tf.concat([tf.randomUniform([16, 46], 0.001, 0.999, 'float32', 2), tf.tensor2d(Array.from({ length: 16 }, () => [0, 1, 1e-9, 0.5]), [16, 4])], 1);
    const [ours] = tf.grads((x: tf.Tensor) => bceLoss(t, x))([p]);
    const [theirs] = tf.grads((x: tf.Tensor) => bceFormula(t, x))([p]);
    const a = ours.dataSync() as Float32Array;
    expect(maxRelDiff(a, theirs.dataSync() as Float32Array)).toBeLessThan(1e-5);
    expect(Array.from(a.subarray(46, 48), Math.abs)).toEqual([0, 0]); // outside the clip range: no gradient, as the clip gives
    expect(value(bceLoss(t, p))).toBeCloseTo(value(bceFormula(t, p)), 6);
  });

  it.each([
    ['a batch of 16×50', [16, 50]],
    ['a size no SIMD width divides', [3, 7]],
  ] as const)('MSE and BCE values and gradients equal the formulas\' autodiff on %s', (_name, shape) => {
    const t = tf.randomUniform([...shape], 0, 1, 'float32', 3);
    const p = tf.randomUniform([...shape], 0.0005, 0.9995, 'float32', 4);
    for (const [ours, reference] of [[mseLoss, mseFormula], [bceLoss, bceFormula]] as const) {
      // Within 1e-6 relative: float32 rounding of 800 log terms summed in different orders.
      expect(Math.abs(value(ours(t, p)) / value(reference(t, p)) - 1)).toBeLessThan(1e-6);
      const [g] = tf.grads((x: tf.Tensor) => ours(t, x))([p]);
      const [r] = tf.grads((x: tf.Tensor) => reference(t, x))([p]);
      expect(maxRelDiff(g.dataSync() as Float32Array, r.dataSync() as Float32Array)).toBeLessThan(1e-5);
    }
  });
});
