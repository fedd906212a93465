/**
 * The VAE's sampling layer: the code is μ at inference (the layer alone, and
 * a built model's encoder and autoencoder), a draw μ + σ·ε while training,
 * and its gradient reaches μ and log σ² as finite differences of the same
 * draw say it should.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import { chainGraph } from '../../../tests/helpers/graphs';
import { buildModel } from './build-model';
import { SamplingLayer } from './sampling-layer';

// Two samples of a 3-value code.
const MU = [[0.5, -1, 2], [-0.3, 0.8, 0]];
const LOG_VAR = [[0, -0.7, 0.4], [1.1, -2, 0.2]];
const heads = () => [tf.tensor2d(MU), tf.tensor2d(LOG_VAR)];
const mu32 = MU.map((r) => r.map(Math.fround)); // as float32 holds them

describe('the sampling layer', () => {
  it('gives μ at inference, and a fresh draw μ + σ·ε at each training call', () => {
    const layer = new SamplingLayer({ name: 's', seed: 3 });
    expect((layer.apply(heads()) as tf.Tensor).arraySync()).toEqual(mu32);
    expect((layer.apply(heads(), { training: false }) as tf.Tensor).arraySync()).toEqual(mu32);
    const a = (layer.apply(heads(), { training: true }) as tf.Tensor).arraySync() as number[][];
    const b = (layer.apply(heads(), { training: true }) as tf.Tensor).arraySync() as number[][];
    expect(a).not.toEqual(mu32);
    expect(a).not.toEqual(b); // the seed advances per call
  });

  it('draws z with mean μ and variance σ² (20,000 draws of one code)', () => {
    const layer = new SamplingLayer({ name: 's', seed: 9 });
    const n = 20_000;
    const z = layer.apply([tf.tile(tf.tensor2d([[1.5, -2]]), [n, 1]), tf.tile(tf.tensor2d([[Math.log(0.25), Math.log(4)]]), [n, 1])], { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(z, 0);
    // Standard errors of the means: σ/√n ≈ 0.004 and 0.014; of the variances, about 1% of σ².
    const [m0, m1] = mean.dataSync();
    expect(Math.abs(m0 - 1.5)).toBeLessThan(0.02);
    expect(Math.abs(m1 + 2)).toBeLessThan(0.06);
    const [v0, v1] = variance.dataSync();
    expect(Math.abs(v0 / 0.25 - 1)).toBeLessThan(0.05);
    expect(Math.abs(v1 / 4 - 1)).toBeLessThan(0.05);
  });

  it('passes its gradient to μ and log σ²: ∂z/∂μ = 1, ∂z/∂log σ² = ½σε, as central finite differences of the same draw give', () => {
    const r = tf.tensor2d([[0.3, -1.2, 0.7], [1, 0.4, -0.5]]);
    // A new layer per evaluation draws the same ε (its first call's seed), so f is one smooth function of the heads.
    const f = (mu: tf.Tensor, logVar: tf.Tensor) => tf.sum(tf.mul(new SamplingLayer({ seed: 21 }).apply([mu, logVar], { training: true }) as tf.Tensor, r)) as tf.Scalar;
    const [gMu, gLogVar] = tf.grads(f)(heads()).map((g) => g.arraySync() as number[][]);
    const h = 1e-2;
    for (const [which, grad] of [[0, gMu], [1, gLogVar]] as const) {
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 3; j++) {
          const at = (d: number) => {
            const moved = [MU, LOG_VAR].map((m, w) => tf.tensor2d(m.map((row, a) => row.map((v, b) => (w === which && a === i && b === j ? v + d : v)))));
            return f(moved[0], moved[1]).dataSync()[0];
          };
          const numeric = (at(h) - at(-h)) / (2 * h);
          expect(Math.abs(grad[i][j] - numeric), `∂f/∂${which === 0 ? 'μ' : 'log σ²'}[${i}][${j}]`).toBeLessThan(2e-3 * (1 + Math.abs(numeric)));
        }
      }
    }
    // ∂f/∂μ is r itself; ∂f/∂log σ² is nonzero wherever r is (it carries ε).
    expect(gMu).toEqual(r.arraySync());
    expect(gLogVar.flat().every((g) => g !== 0)).toBe(true);
  });

  it('is μ in a built model\'s encoder and autoencoder (the mean head, never a draw); the training graph samples and hands both heads to the KL term', () => {
    const r = compile(chainGraph([
      ['in', 'input', { dataset: 'custom', height: 1, width: 5, channels: 1, flat: true }],
      ['code', 'bottleneck', { form: 'variational', size: 3 }],
      ['dec', 'decoder', { layer: 'dense', units: 5, activation: 'linear' }],
      ['out', 'output', { activation: 'linear' }],
    ]));
    if (!r.ok) throw new Error('the small VAE does not compile');
    const m = buildModel(r.spec, 4);
    const x = tf.randomUniform([4, 5], -1, 1, 'float32', 8);
    const head = (name: string) => {
      const [kernel, bias] = m.inference.getLayer(name).getWeights();
      return tf.add(tf.matMul(x, kernel), bias);
    };
    const mean = head('code_mean');
    expect(tf.max(tf.abs(tf.sub(m.encoder.predict(x) as tf.Tensor, mean))).dataSync()[0]).toBeLessThan(1e-6);
    const [kernel, bias] = m.inference.getLayer('dec').getWeights();
    expect(tf.max(tf.abs(tf.sub(m.inference.predict(x) as tf.Tensor, tf.add(tf.matMul(mean, kernel), bias)))).dataSync()[0]).toBeLessThan(1e-5);
    const [, drawnMean, drawnLogVar] = m.train.apply(x, { training: true }) as tf.Tensor[];
    expect(tf.max(tf.abs(tf.sub(drawnMean, mean))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(drawnLogVar, head('code_log_var')))).dataSync()[0]).toBeLessThan(1e-6);
    expect(m.vae).toMatchObject({ beta: 1, warmupEpochs: 0, klWeight: 1 });
    m.train.dispose();
  });
});
