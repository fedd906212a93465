/** Loss and penalty values against hand computation on tiny tensors. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { bceLoss, klSparsityPenalty, l1ActivityPenalty, l2WeightPenalty, mseLoss } from './penalties';

const value = (t: tf.Tensor) => t.dataSync()[0];

describe('penalties', () => {
  // Two samples, three units.
  const a = tf.tensor2d([[0.5, -1, 0], [0.25, 2, 0.1]]);

  it('L1 activity: λ · Σ|a| per sample, averaged over the batch', () => {
    // (0.5 + 1 + 0 + 0.25 + 2 + 0.1) / 2 = 1.925
    expect(value(l1ActivityPenalty(a, 0.1))).toBeCloseTo(0.1925, 6);
  });

  it('KL sparsity: β · Σⱼ KL(ρ ‖ mean activation of unit j)', () => {
    const s = tf.tensor2d([[0.1, 0.5], [0.3, 0.7]]); // unit means 0.2 and 0.6
    const kl = (rho: number, q: number) => rho * Math.log(rho / q) + (1 - rho) * Math.log((1 - rho) / (1 - q));
    expect(value(klSparsityPenalty(s, 0.05, 3))).toBeCloseTo(3 * (kl(0.05, 0.2) + kl(0.05, 0.6)), 5);
    expect(value(klSparsityPenalty(tf.fill([4, 2], 0.05), 0.05, 3))).toBeCloseTo(0, 6); // on target: no penalty
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
});
