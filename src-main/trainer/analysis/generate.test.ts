/**
 * Generation and the VAE's anomaly score on real runs: the dense VAE template
 * (2-D latent) trained two short epochs on MNIST digits, the vanilla template
 * (a plain autoencoder, 64-value code) one, and a small U-Net whose skip goes
 * around its code. Known answers: the grid's codes are the prior's quantiles,
 * its corners decode different digits, an interpolation starts and ends at
 * the decoded μ of its two samples, the U-Net is refused, and the per-sample
 * negative ELBO equals reconstruction + KL computed by hand.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisResultOf, ImageRow } from '../../../src-shared/analysis/analysis-messages';
import { normalQuantile } from '../../../src-shared/analysis/prior';
import { summarizeAnalysis } from '../../../src-shared/analysis/summary';
import { compile } from '../../../src-shared/compiler/compile';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { DEFAULT_TRAINING_SETTINGS } from '../../../src-shared/project/training-settings';
import { SMALL_UNET, SMALL_UNET_EDGES, dagGraph } from '../../../tests/helpers/graphs';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import type { BackendChoice } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { writeRunOutputs } from '../train/outputs';
import { RunControl, disposeSession, runSession } from '../train/session';
import { analysisContext, releaseAnalysisContext } from './analysis-context';
import { perSampleNegativeElbo } from './elbo';
import { decodeForRun, runAnalysis } from './run-analysis';
import { gatherSamples } from './tensors';

let backend: BackendChoice;
let mnist: LoadedDataset;
let vaeDir: string;
let plainDir: string;
let unetDir: string;
let outDir: string;

async function train(spec: ModelSpec, epochs: number, maxSamples: number, settings = DEFAULT_TRAINING_SETTINGS): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aes-generate-'));
  const input = { runId: 'g', spec, dataset: { kind: 'builtin' as const, id: 'mnist' }, settings: { ...settings, epochs, batchSize: 32 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples, progressIntervalMs: 1000, reconstructionIntervalMs: 1e6, quiet: true } };
  const result = await runSession(input, backend, mnist, () => undefined, new RunControl());
  await writeRunOutputs(dir, input, result);
  disposeSession(result);
  return dir;
}

const image = (row: ImageRow, k: number) => row.pixels.subarray(k * 784, (k + 1) * 784);
const meanAbsDiff = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

beforeAll(async () => {
  ({ backend, mnist } = await trainerSetup());
  const vae = templateSpec('vae-dense');
  vaeDir = await train(vae.spec, 2, 600, vae.project.training);
  const plain = templateSpec('vanilla');
  plainDir = await train(plain.spec, 1, 400, plain.project.training);
  const unet = compile(dagGraph(SMALL_UNET, SMALL_UNET_EDGES));
  if (!unet.ok) throw new Error('SMALL_UNET does not compile');
  unetDir = await train(unet.spec, 1, 64);
  outDir = await mkdtemp(join(tmpdir(), 'aes-generate-out-'));
}, 180_000);

afterAll(() => releaseAnalysisContext());

describe('generation from a VAE with a 2-D latent', () => {
  it("decodes a 15×15 grid over the prior's quantiles whose corners are different images", async () => {
    const r = (await runAnalysis(vaeDir, { task: 'generate' }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'generate'>;
    expect(r.prior.kind).toBe('standard-normal');
    expect(r.mode).toBe('grid');
    expect(r.columns).toBe(15);
    expect(r.images.count).toBe(225);
    expect(r.images.shape).toEqual([28, 28, 1]);
    expect(r.images.pixels.length).toBe(225 * 784);
    // Top-left is (z₀ low, z₁ high), bottom-right (z₀ high, z₁ low), at the quantiles 1/30 and 29/30.
    const lo = normalQuantile(0.5 / 15);
    expect(r.codes[0]).toBeCloseTo(lo, 5);
    expect(r.codes[1]).toBeCloseTo(-lo, 5);
    expect(r.codes[224 * 2]).toBeCloseTo(-lo, 5);
    expect(r.codes[224 * 2 + 1]).toBeCloseTo(lo, 5);
    const corners = [0, 14, 210, 224].map((k) => image(r.images, k));
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) expect(meanAbsDiff(corners[a], corners[b])).toBeGreaterThan(8); // measured 16 to 53 of 255
  }, 60_000);

  it('interpolates between held-out samples from the decoded μ of one to the decoded μ of the other', async () => {
    const r = (await runAnalysis(vaeDir, { task: 'generate', pairs: 3, steps: 7 }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'generate'>;
    expect(r.interpolations.map((row) => row.count)).toEqual([7, 7, 7]);
    expect(r.pairs.length).toBe(6);
    expect(r.originals.count).toBe(6);
    const ctx = await analysisContext(vaeDir, TEST_CACHE_DIR);
    for (const [end, step] of [[0, 0], [1, 6]] as const) {
      const x = tf.tensor(gatherSamples(mnist.values, 784, [r.pairs[end]]), [1, 28, 28, 1]);
      const [mu] = ctx.model.encoderHeads!.predict(x) as tf.Tensor[];
      const decoded = await decodeForRun(vaeDir, mu.dataSync() as Float32Array, 1, TEST_CACHE_DIR);
      tf.dispose([x, mu]);
      const got = image(r.interpolations[0], step);
      let worst = 0;
      for (let i = 0; i < 784; i++) worst = Math.max(worst, Math.abs(got[i] - decoded.pixels[i]));
      expect(worst).toBeLessThanOrEqual(1); // one batch against another: the last bit of a float may round a pixel the other way
    }
    expect(meanAbsDiff(image(r.interpolations[0], 0), image(r.interpolations[0], 6))).toBeGreaterThan(1);
  }, 60_000);
});

describe('generation from a plain autoencoder', () => {
  it("draws random codes around its codes' mean and spread, and says that is what it did", async () => {
    const r = (await runAnalysis(plainDir, { task: 'generate', samples: 20, seed: 3 }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'generate'>;
    expect(r.prior.kind).toBe('code-statistics');
    expect(r.prior.note).toMatch(/no prior/);
    expect(r.mode).toBe('random');
    expect(r.images.count).toBe(20);
    expect(r.columns).toBe(5);
    expect(r.codes.length).toBe(20 * 64);
    expect(Math.min(...r.prior.std)).toBeGreaterThanOrEqual(0);
    const again = (await runAnalysis(plainDir, { task: 'generate', samples: 20, seed: 3 }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'generate'>;
    expect(Array.from(again.codes)).toEqual(Array.from(r.codes)); // seeded
  }, 60_000);
});

describe('generation from a U-Net', () => {
  it('is refused, saying the skip goes around the code', async () => {
    await expect(runAnalysis(unetDir, { task: 'generate' }, TEST_CACHE_DIR, outDir)).rejects.toThrow(/Generating needs the decoder alone, and this model has none: connections go around the code/);
  }, 60_000);
});

describe("a VAE's negative ELBO as an anomaly score", () => {
  it('equals the reconstruction summed over each sample plus its KL term, computed by hand', async () => {
    const ctx = await analysisContext(vaeDir, TEST_CACHE_DIR);
    const n = 6;
    const values = mnist.values.slice(0, n * 784);
    const got = perSampleNegativeElbo(ctx.model, ctx.spec, values, n)!;
    const x = tf.tensor(values, [n, 28, 28, 1]);
    const y = (ctx.model.inference.predict(x) as tf.Tensor).dataSync();
    const [muT, lvT] = ctx.model.encoderHeads!.predict(x) as tf.Tensor[];
    const mu = muT.dataSync();
    const lv = lvT.dataSync();
    tf.dispose([x, muT, lvT]);
    expect(ctx.spec.loss).toBe('bce');
    for (let k = 0; k < n; k++) {
      let rec = 0;
      for (let i = k * 784; i < (k + 1) * 784; i++) {
        const p = Math.min(1 - 1e-7, Math.max(1e-7, y[i]));
        rec -= values[i] * Math.log(p) + (1 - values[i]) * Math.log(1 - p);
      }
      let kl = 0;
      for (let j = 0; j < 2; j++) kl += -0.5 * (1 + lv[k * 2 + j] - mu[k * 2 + j] ** 2 - Math.exp(lv[k * 2 + j]));
      expect(got.reconstruction[k]).toBeCloseTo(rec, 1);
      expect(got.kl[k]).toBeCloseTo(kl, 4);
      expect(got.total[k]).toBeCloseTo(rec + kl, 1);
      expect(got.kl[k]).toBeGreaterThan(0);
    }
  }, 60_000);

  it('scores every sample by both, compares their AUCs on the same labels, and writes both to the CSV', async () => {
    const r = (await runAnalysis(vaeDir, { task: 'anomaly', anomalousLabels: [9] }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'anomaly'>;
    expect(r.elbo!.length).toBe(r.scores.length);
    const summary = summarizeAnalysis(r) as { rocAuc: number; negativeElbo: { rocAuc: number; median: number } };
    for (const auc of [summary.rocAuc, summary.negativeElbo.rocAuc]) {
      expect(auc).toBeGreaterThan(0);
      expect(auc).toBeLessThan(1);
    }
    expect(summary.negativeElbo.median).toBeGreaterThan(0);
    const csv = (await readFile(r.files[0], 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('index,label,score,anomalous_label,negative_elbo');
    expect(Number(csv[1].split(',')[4])).toBeCloseTo(r.elbo![0], 3);
    const plain = (await runAnalysis(plainDir, { task: 'anomaly' }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'anomaly'>;
    expect(plain.elbo).toBeNull();
    expect((await readFile(plain.files[0], 'utf8')).split('\n')[0]).toBe('index,label,score,anomalous_label'); // no ELBO column without a VAE
  }, 60_000);
});
