/**
 * Every analysis on real runs: a vanilla autoencoder trained on MNIST digits
 * 0–8 only (so the 9s are anomalies it never saw) and a small convolutional
 * one (code 7×7×8). Known answers where there are any: held-out 9s score
 * above the median, denoising raises PSNR, JPEG stays in budget, the
 * interpolation starts at the first sample's reconstruction.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisResultOf } from '../../../src-shared/analysis/analysis-messages';
import { rocAuc } from '../../../src-shared/analysis/anomaly-stats';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { chooseBackend } from '../backend/choose-backend';
import { loadBuiltin } from '../data/builtin';
import { decodeNpy } from '../data/import-arrays';
import { selectLabels } from '../data/select-labels';
import { writeRunOutputs } from '../train/outputs';
import { RunControl, disposeSession, runSession } from '../train/session';
import { releaseAnalysisContext } from './analysis-context';
import { decodeForRun, runAnalysis } from './run-analysis';

let vanillaDir: string;
let convDir: string;
let denoisingDir: string;
let outDir: string;

async function train(name: string, epochs: number, maxSamples: number, labels?: number[]): Promise<string> {
  const backend = await chooseBackend();
  const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
  const { spec, project } = templateSpec(name);
  const dir = await mkdtemp(join(tmpdir(), `aes-analysis-${name}-`));
  const settings = { ...project.training, epochs, batchSize: 64, ...(labels ? { labels } : {}) };
  const input = { runId: name, spec, dataset: { kind: 'builtin' as const, id: 'mnist' }, settings, options: { cacheDir: TEST_CACHE_DIR, maxSamples, progressIntervalMs: 1000, reconstructionIntervalMs: 1e6, quiet: true } };
  const result = await runSession(input, backend, labels ? selectLabels(mnist, labels) : mnist, () => undefined, new RunControl());
  await writeRunOutputs(dir, input, result);
  disposeSession(result);
  return dir;
}

const median = (v: ArrayLike<number>) => Float64Array.from(v).sort()[Math.floor(v.length / 2)];

beforeAll(async () => {
  vanillaDir = await train('vanilla', 6, 10000, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  convDir = await train('convolutional', 1, 400);
  denoisingDir = await train('denoising', 10, 10000);
  outDir = await mkdtemp(join(tmpdir(), 'aes-analysis-out-'));
}, 240_000);

describe('anomaly detection', () => {
  it('ranks the 9s that a digits-0–8 autoencoder never saw above the median, and writes every score', async () => {
    const r = (await runAnalysis(vanillaDir, { task: 'anomaly' }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'anomaly'>;
    expect(r.anomalousLabels).toEqual([9]); // the labels the run left out, without being told
    expect(r.scores.length).toBe(10000); // the whole dataset, all labels
    const nines = Array.from(r.scores).filter((_, i) => r.labels![i] === 9);
    expect(median(nines)).toBeGreaterThan(median(r.scores));
    expect(rocAuc(r.scores, (i) => r.labels![i] === 9)).toBeGreaterThan(0.5); // 9s resemble 4s and 7s: a hard pair, AUC ≈ 0.6 in the literature
    expect(r.scores[r.top.indices[0]]).toBe(Math.max(...r.scores));
    const csv = (await readFile(r.files[0], 'utf8')).trim().split('\n');
    expect(csv.length).toBe(10001);
    expect(csv[0]).toBe('index,label,score,anomalous_label');
  }, 60_000);

  it('scores another dataset and refuses one whose samples do not fit, naming both shapes', async () => {
    const fashion = (await runAnalysis(vanillaDir, { task: 'anomaly', dataset: { kind: 'builtin', id: 'fashion-mnist' }, anomalousLabels: [] }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'anomaly'>;
    const digits = (await runAnalysis(vanillaDir, { task: 'anomaly' }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'anomaly'>;
    expect(median(fashion.scores)).toBeGreaterThan(median(digits.scores)); // clothes are further from digits than digits are
    const csvPath = join(outDir, 'bad.csv');
    await import('node:fs/promises').then((fs) => fs.writeFile(csvPath, '1,2,3\n4,5,6\n'));
    await expect(runAnalysis(vanillaDir, { task: 'anomaly', dataset: { kind: 'csv', path: csvPath, options: { header: false } } }, TEST_CACHE_DIR, outDir)).rejects.toThrow(/3.*28×28×1/);
  }, 120_000);
});

describe('dimensionality reduction against PCA', () => {
  it('fits PCA with as many components as the code and scores both on the same held-out digits', async () => {
    const r = (await runAnalysis(vanillaDir, { task: 'pca', maxSamples: 3000 }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'pca'>;
    expect(r.components).toBe(64);
    expect(r.ae.points.length).toBe(2 * r.valCount);
    expect(r.pca.points.length).toBe(2 * r.valCount);
    // 64 principal components keep most of MNIST's variance, and reconstruct better than a barely trained network.
    expect(r.pca.explainedVariance).toBeGreaterThan(0.8);
    expect(r.pca.mse).toBeLessThan(0.02);
    for (const m of [r.ae, r.pca]) {
      expect(m.knnAccuracy!).toBeGreaterThan(0.7);
      expect(m.silhouette!).toBeGreaterThan(-1);
      expect(m.silhouette!).toBeLessThan(1);
      expect(m.bce).toBeGreaterThan(m.mse);
    }
    expect(r.samples.pca.count).toBe(8);
  }, 60_000);
});

describe('denoising', () => {
  it('raises PSNR over the noised digits (denoising template, trained with the same noise), and denoises dropped files, refusing ones that are not images', async () => {
    const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
    const png = await sharp(Uint8Array.from(mnist.values.subarray(784 * 3, 784 * 4), (v) => v * 255), { raw: { width: 28, height: 28, channels: 1 } }).resize(56, 56).png().toBuffer();
    const r = (await runAnalysis(
      denoisingDir,
      { task: 'denoise', noise: { type: 'gaussian', level: 0.3 }, files: [{ name: 'digit.png', bytes: new Uint8Array(png) }, { name: 'notes.png', bytes: new TextEncoder().encode('not an image') }] },
      TEST_CACHE_DIR,
      outDir,
    )) as AnalysisResultOf<'denoise'>;
    expect(r.psnrDenoised).toBeGreaterThan(r.psnrNoised + 2);
    expect(r.clean.count).toBe(12);
    expect(r.files.map((f) => [f.name, f.output.shape])).toEqual([['digit.png', [28, 28, 1]]]);
    expect(r.fileErrors).toHaveLength(1);
    expect(r.fileErrors[0]).toMatch(/^notes\.png could not be read as an image/);
  }, 60_000);
});

describe('feature extraction', () => {
  it('writes the codes as CSV and NPY, and finds them useful for k-NN', async () => {
    const r = (await runAnalysis(vanillaDir, { task: 'features' }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'features'>;
    expect(r.codeSize).toBe(64);
    const npy = decodeNpy(new Uint8Array(await readFile(r.files.find((f) => f.endsWith('0-8.npy'))!)), 'codes');
    expect(npy.shape).toEqual([r.count, 64]);
    const csv = (await readFile(r.files.find((f) => f.endsWith('.csv'))!, 'utf8')).trim().split('\n');
    expect(csv.length).toBe(r.count + 1);
    expect(csv[0].split(',').length).toBe(65); // label + 64 code values
    expect(r.knn!.codes).toBeGreaterThan(0.7);
    expect(r.knn!.pixels).toBeGreaterThan(0.7);
  }, 60_000);
});

describe('compression', () => {
  it('compares the code with JPEG at the same byte budget, within the budget', async () => {
    for (const dir of [vanillaDir, convDir]) {
      const r = (await runAnalysis(dir, { task: 'compression', count: 6 }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'compression'>;
      expect(r.originalBytes).toBe(784);
      expect(r.budget).toBe(r.codeBytes.uint8);
      expect(r.scores.jpeg.bytes).toBeLessThanOrEqual(r.budget);
      expect(r.overBudget).toBe(0);
      expect(r.jpeg.pixels.length).toBe(6 * 784);
      // 8-bit codes lose a little against float32 ones, never much.
      expect(r.scores.aeUint8.psnr).toBeGreaterThan(r.scores.aeFloat.psnr - 3);
      for (const s of Object.values(r.scores)) expect(s.ssim).toBeGreaterThan(0);
    }
  }, 60_000);
});

describe('latent explorer', () => {
  it('interpolates from one sample to another and decodes any code, for dense and convolutional codes', async () => {
    for (const [dir, codeSize] of [[vanillaDir, 64], [convDir, 392]] as const) {
      const r = (await runAnalysis(dir, { task: 'latent', from: 2, to: 5, steps: 6 }, TEST_CACHE_DIR, outDir)) as AnalysisResultOf<'latent'>;
      expect(r.codeSize).toBe(codeSize);
      expect(r.axes.kind).toBe('pca'); // more than 16 values: sliders along principal directions
      expect(r.axes.basis.length).toBe(8 * codeSize);
      expect(r.interpolation.count).toBe(6);
      const first = await decodeForRun(dir, r.codes.slice(2 * codeSize, 3 * codeSize), 1, TEST_CACHE_DIR);
      expect(Array.from(first.pixels)).toEqual(Array.from(r.interpolation.pixels.subarray(0, 784)));
      const last = await decodeForRun(dir, r.codes.slice(5 * codeSize, 6 * codeSize), 1, TEST_CACHE_DIR);
      expect(Array.from(last.pixels)).toEqual(Array.from(r.interpolation.pixels.subarray(5 * 784)));
      await expect(decodeForRun(dir, new Float32Array(3), 1, TEST_CACHE_DIR)).rejects.toThrow(/not 1 codes of/);
    }
    await expect(runAnalysis(vanillaDir, { task: 'latent', from: 0, to: 40 }, TEST_CACHE_DIR, outDir)).rejects.toThrow(/not among the 16 shown/);
    releaseAnalysisContext();
  }, 60_000);
});
