/** Writes an analysis result as files (the CLI's output): a JSON summary and PNGs of its images and charts. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisResult, ImageRow } from '../../src-shared/analysis/analysis-messages';
import { histogram, percentile } from '../../src-shared/analysis/anomaly-stats';
import { composeRows } from '../../src-shared/analysis/image-grid';
import { DEFAULT_ANOMALY_PERCENTILE, summarizeAnalysis } from '../../src-shared/analysis/summary';
import { writeFileAtomic } from '../common/atomic-write';
import { barsSvg, histogramSvg, scatterSvg } from './analysis-figures';

// sharp (native libvips) only when a report is written: this module is reachable from the services,
// which the Electron main process loads, and must not load sharp with them.
const loadSharp = async () => (await import('sharp')).default;

async function rowsPng(rows: ImageRow[], zoom = 3): Promise<Buffer> {
  const sharp = await loadSharp();
  const { width, height, channels, data } = composeRows(rows.filter((r) => r.count > 0));
  return sharp(data, { raw: { width, height, channels } }).resize(width * zoom, height * zoom, { kernel: 'nearest' }).png().toBuffer();
}

const svgPng = async (svg: string) => (await loadSharp())(Buffer.from(svg)).png().toBuffer();

/** The pictures of one result, by file name. */
async function pictures(result: AnalysisResult): Promise<Record<string, Buffer>> {
  switch (result.task) {
    case 'denoise':
      return { 'denoise.png': await rowsPng([result.clean, result.noised, result.denoised]) };
    case 'pca':
      return {
        'pca.png': await rowsPng([result.samples.clean, result.samples.ae, result.samples.pca]),
        'pca-scatter.png': await svgPng(scatterSvg([{ title: `autoencoder code (${result.ae.projection === 'pca' ? 'first 2 PCs' : '2-D'})`, points: result.ae.points }, { title: `PCA, ${result.components} components (first 2)`, points: result.pca.points }], result.labels)),
      };
    case 'anomaly': {
      const anomalous = new Set(result.anomalousLabels);
      const labels = result.labels;
      const h = histogram(result.scores, 60, labels ? (i) => anomalous.has(labels[i]) : undefined);
      const t = percentile(result.scores, DEFAULT_ANOMALY_PERCENTILE);
      return {
        'anomaly.png': await rowsPng([result.top.images]),
        'anomaly-histogram.png': await svgPng(histogramSvg(h, t, `reconstruction error of ${result.datasetName}; red: labels ${result.anomalousLabels.join(', ') || 'none'}; line: ${DEFAULT_ANOMALY_PERCENTILE}th percentile`)),
      };
    }
    case 'features':
      return result.knn ? { 'features.png': await svgPng(barsSvg(`${result.knn.k}-NN accuracy, ${result.knn.testCount} held-out samples`, [{ label: `codes (${result.codeSize})`, value: result.knn.codes }, { label: 'raw values', value: result.knn.pixels }])) } : {};
    case 'compression':
      return { 'compression.png': await rowsPng([result.original, result.aeFloat, result.aeUint8, result.jpeg]) };
    case 'latent':
      return { 'latent.png': await rowsPng([result.samples, result.interpolation]) };
  }
}

/** Writes `<task>.json` and the result's PNGs into `outDir`; returns the paths written. */
export async function writeAnalysisReport(result: AnalysisResult, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const json = join(outDir, `${result.task}.json`);
  await writeFileAtomic(json, `${JSON.stringify(summarizeAnalysis(result), null, 2)}\n`);
  written.push(json);
  for (const [name, png] of Object.entries(await pictures(result))) {
    await writeFileAtomic(join(outDir, name), png);
    written.push(join(outDir, name));
  }
  return written;
}
