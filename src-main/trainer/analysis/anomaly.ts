/**
 * Anomaly detection: each sample's reconstruction error is its score; the
 * worst reconstructed are the likeliest anomalies. A VAE's samples are also
 * scored by their negative ELBO (elbo.ts), so the two can be compared on the same labels.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisRequestFull, AnalysisResultOf } from '../../../src-shared/analysis/analysis-messages';
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import { DatasetError } from '../data/dataset';
import type { LoadedDataset } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { writeFileAtomic } from '../../common/atomic-write';
import type { AnalysisContext } from './analysis-context';
import { perSampleNegativeElbo } from './elbo';
import { requireFinite } from './finite';
import { imageRow } from './images';
import { gatherSamples, perSampleMse, predictAll } from './tensors';

type Request = Extract<AnalysisRequestFull, { task: 'anomaly' }>;

/** The dataset a request names, or the run's own (all labels); refused when its samples do not fit the model. */
export async function requestedDataset(ctx: AnalysisContext, ref: DatasetRef | undefined, cacheDir: string): Promise<LoadedDataset> {
  const data = !ref || JSON.stringify(ref) === JSON.stringify(ctx.datasetRef) ? ctx.full : await loadDataset(ref, cacheDir);
  const size = data.summary.shape.reduce((a, b) => a * b, 1);
  if (size !== ctx.size) throw new DatasetError(`${data.summary.name} has samples of ${data.summary.shape.join('×')}, but the model takes ${ctx.sampleShape.join('×')}`, 'Choose data of the shape the run trained on.');
  return data;
}

/** A file-name-safe version of a dataset name. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'data';
}

/** Scores every sample; writes the scores CSV to `outDir`. */
export async function analyzeAnomaly(ctx: AnalysisContext, req: Request, cacheDir: string, outDir: string): Promise<AnalysisResultOf<'anomaly'>> {
  const data = await requestedDataset(ctx, req.dataset, cacheDir);
  const n = data.summary.count;
  const recon = predictAll(ctx.model.inference, data.values, n, ctx.sampleShape);
  const scores = perSampleMse(data.values, recon, ctx.size);
  requireFinite(scores, 1, { what: 'The reconstruction error (anomaly score)', unit: 'sample' }); // squares of finite outputs can still overflow float32
  const elbo = perSampleNegativeElbo(ctx.model, ctx.spec, data.values, n)?.total ?? null;
  if (elbo) requireFinite(elbo, 1, { what: 'The negative ELBO (anomaly score)', unit: 'sample' }); // exp(log σ²) can overflow
  // Without an explicit choice, the labels the run left out of training are the anomalies.
  const trained = ctx.settings?.labels;
  const present = data.labels ? [...new Set(data.labels)].sort((a, b) => a - b) : [];
  const anomalousLabels = req.anomalousLabels ?? (trained ? present.filter((l) => !trained.includes(l)) : []);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const top = Int32Array.from(order.slice(0, Math.min(req.top, n)));
  const file = join(outDir, `anomaly-scores-${slug(data.summary.name)}.csv`);
  const lines = [`index,label,score,anomalous_label${elbo ? ',negative_elbo' : ''}`];
  const anomalous = new Set(anomalousLabels);
  for (let i = 0; i < n; i++) {
    const label = data.labels ? data.labels[i] : '';
    lines.push(`${i},${label},${scores[i]},${data.labels ? Number(anomalous.has(data.labels[i])) : ''}${elbo ? `,${elbo[i]}` : ''}`);
  }
  await mkdir(outDir, { recursive: true });
  await writeFileAtomic(file, `${lines.join('\n')}\n`);
  return {
    task: 'anomaly',
    datasetName: data.summary.name,
    scores,
    elbo,
    labels: data.labels ? Int32Array.from(data.labels) : null,
    anomalousLabels,
    top: { indices: top, images: imageRow(gatherSamples(data.values, ctx.size, top), top.length, ctx.sampleShape, ctx.range) },
    files: [file],
  };
}
