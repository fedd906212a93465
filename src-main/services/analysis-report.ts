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

async function rowsPng(rows: ImageRow[], zoom = 3, gap = 2): Promise<Buffer> {
  const sharp = await loadSharp();
  const { width, height, channels, data } = composeRows(rows.filter((r) => r.count > 0), gap);
  return sharp(data, { raw: { width, height, channels } }).resize(width * zoom, height * zoom, { kernel: 'nearest' }).png().toBuffer();
}

const svgPng = async (svg: string) => (await loadSharp())(Buffer.from(svg)).png().toBuffer();

/** `row` cut into rows of `columns` images. */
function splitRow(row: ImageRow, columns: number): ImageRow[] {
  const size = row.shape[0] * row.shape[1] * row.shape[2];
  return Array.from({ length: Math.ceil(row.count / columns) }, (_, r) => {
    const count = Math.min(columns, row.count - r * columns);
    return { shape: row.shape, count, pixels: row.pixels.subarray(r * columns * size, (r * columns + count) * size) };
  });
}

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
    case 'generate':
      // The manifold edge to edge, as the classic figure draws it; the interpolations one row per pair.
      return {
        'generate.png': await rowsPng(splitRow(result.images, result.columns), 2, result.mode === 'grid' ? 0 : 2),
        ...(result.interpolations.length > 0 && { 'generate-interpolations.png': await rowsPng(result.interpolations) }),
      };
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
