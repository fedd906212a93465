/**
 * The VAE's sampling layer: the code is μ at inference (the layer alone, and
 * a built model's encoder and autoencoder), a draw μ + σ·ε while training,
 * and its gradient reaches μ and log σ² as finite differences of the same
 * draw say it should.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { specOfOps } from '../../../tests/helpers/layer-examples';
import { buildModel } from './build-model';
import { SamplingLayer } from './sampling-layer';

// Two samples, a 3-value code: μ (first three columns) and log σ² (last three).
const STATS = [[0.5, -1, 2, 0, -0.7, 0.4], [-0.3, 0.8, 0, 1.1, -2, 0.2]];
const mu = STATS.map((r) => r.slice(0, 3).map(Math.fround)); // as float32 holds them

describe('the sampling layer', () => {
  it('gives μ at inference, and a fresh draw μ + σ·ε at each training call', () => {
    const layer = new SamplingLayer({ name: 's', seed: 3 });
    const stats = tf.tensor2d(STATS);
    expect((layer.apply(stats) as tf.Tensor).arraySync()).toEqual(mu);
    expect((layer.apply(stats, { training: false }) as tf.Tensor).arraySync()).toEqual(mu);
    const a = (layer.apply(stats, { training: true }) as tf.Tensor).arraySync() as number[][];
    const b = (layer.apply(stats, { training: true }) as tf.Tensor).arraySync() as number[][];
    expect(a).not.toEqual(mu);
    expect(a).not.toEqual(b); // the seed advances per call
  });

  it('draws z with mean μ and variance σ² (20,000 draws of one code)', () => {
    const layer = new SamplingLayer({ name: 's', seed: 9 });
    const z = layer.apply(tf.tile(tf.tensor2d([[1.5, -2, Math.log(0.25), Math.log(4)]]), [20_000, 1]), { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(z, 0);
    // Standard errors: σ/√n ≈ 0.004 and 0.014 for the means; a few of them at most.
    expect(Array.from(mean.dataSync()).map((v, i) => Math.abs(v - [1.5, -2][i]))).toSatisfy((d: number[]) => d[0] < 0.02 && d[1] < 0.06);
    expect(Array.from(variance.dataSync()).map((v, i) => v / [0.25, 4][i])).toSatisfy((r: number[]) => r.every((x) => Math.abs(x - 1) < 0.05));
  });

  it('passes its gradient to μ and log σ²: ∂z/∂μ = 1, ∂z/∂log σ² = ½σε, as central finite differences of the same draw give', () => {
    const r = tf.tensor2d([[0.3, -1.2, 0.7], [1, 0.4, -0.5]]);
    // A new layer per evaluation draws the same ε (its first call's seed), so f is one smooth function of the heads.
    const f = (stats: tf.Tensor) => tf.sum(tf.mul(new SamplingLayer({ seed: 21 }).apply(stats, { training: true }) as tf.Tensor, r)) as tf.Scalar;
    const x = tf.tensor2d(STATS);
    const grad = tf.grad(f)(x).arraySync() as number[][];
    const h = 1e-2;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 6; j++) {
        const at = (d: number) => f(tf.tensor2d(STATS.map((row, a) => row.map((v, b) => (a === i && b === j ? v + d : v))))).dataSync()[0];
        const numeric = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(grad[i][j] - numeric), `∂f/∂stats[${i}][${j}]`).toBeLessThan(2e-3 * (1 + Math.abs(numeric)));
      }
    }
    // ∂f/∂μ is r itself; ∂f/∂log σ² is nonzero wherever r is (it carries ε).
    expect(grad.map((row) => row.slice(0, 3))).toEqual(r.arraySync());
    expect(grad.flatMap((row) => row.slice(3)).every((g) => g !== 0)).toBe(true);
  });

  it('is μ in a built model\'s encoder and autoencoder: the heads\' first half, never a draw', () => {
    const spec = specOfOps([5], [{ type: 'dense', units: 6, activation: 'linear' }, { type: 'sampling', beta: 1, warmupEpochs: 0 }]);
    const m = buildModel(spec, 4);
    const x = tf.randomUniform([3, 5], -1, 1, 'float32', 8);
    const [kernel, bias] = m.inference.getLayer('dense_1').getWeights();
    const heads = tf.add(tf.matMul(x, kernel), bias);
    const expected = tf.slice(heads, [0, 0], [3, 3]);
    for (const model of [m.encoder, m.inference]) {
      const z = model.predict(x) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(z, expected))).dataSync()[0]).toBeLessThan(1e-6);
    }
    // The training graph samples (its first output) and hands the heads to the KL term (its last).
    const [drawn, stats] = m.train.apply(x, { training: true }) as tf.Tensor[];
    expect(tf.max(tf.abs(tf.sub(drawn, expected))).dataSync()[0]).toBeGreaterThan(1e-3);
    expect(tf.max(tf.abs(tf.sub(stats, heads))).dataSync()[0]).toBeLessThan(1e-6);
    expect(m.vae).toMatchObject({ beta: 1, warmupEpochs: 0, klWeight: 1 });
    m.train.dispose();
  });
});
