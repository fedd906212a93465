/** Feature extraction: the encoder's codes of a whole dataset, written out, and a quick check of their use: k-NN on codes against raw values. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisRequestFull, AnalysisResultOf } from '../../../src-shared/analysis/analysis-messages';
import { splitIndices } from '../../../src-shared/util/random';
import { writeFileAtomic } from '../../common/atomic-write';
import type { AnalysisContext } from './analysis-context';
import { requestedDataset, slug } from './anomaly';
import { knnAccuracy } from './knn';
import { encodeNpy } from './npy-writer';
import { gatherSamples, predictAll } from './tensors';

type Request = Extract<AnalysisRequestFull, { task: 'features' }>;

const KNN_REFERENCES = 5000;
const KNN_QUERIES = 1000;

/** Codes as CSV: a label column when there are labels, then c0 … c(d−1). */
function codesCsv(codes: Float32Array, count: number, dim: number, labels: Int32Array | null): string {
  const header = [...(labels ? ['label'] : []), ...Array.from({ length: dim }, (_, j) => `c${j}`)].join(',');
  const rows = [header];
  for (let i = 0; i < count; i++) {
    const values = Array.from(codes.subarray(i * dim, (i + 1) * dim), (v) => String(v));
    rows.push((labels ? [String(labels[i]), ...values] : values).join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** Encodes the dataset and writes its codes to `outDir`. */
export async function analyzeFeatures(ctx: AnalysisContext, req: Request, cacheDir: string, outDir: string): Promise<AnalysisResultOf<'features'>> {
  const data = req.dataset ? await requestedDataset(ctx, req.dataset, cacheDir) : ctx.data;
  const n = data.summary.count;
  const codes = predictAll(ctx.model.encoder, data.values, n, ctx.sampleShape);
  const dim = ctx.codeSize;
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, `codes-${slug(data.summary.name)}`);
  const files: string[] = [];
  if (req.formats.includes('csv')) {
    await writeFileAtomic(`${base}.csv`, codesCsv(codes, n, dim, data.labels));
    files.push(`${base}.csv`);
  }
  if (req.formats.includes('npy')) {
    await writeFileAtomic(`${base}.npy`, encodeNpy(codes, [n, dim]));
    files.push(`${base}.npy`);
    if (data.labels) {
      await writeFileAtomic(`${base}-labels.npy`, encodeNpy(data.labels, [n]));
      files.push(`${base}-labels.npy`);
    }
  }
  let knn: AnalysisResultOf<'features'>['knn'] = null;
  if (data.labels) {
    // The run's own split when these are its data (queries it never trained on); else a seeded 80/20 split.
    const split = data === ctx.data ? ctx.split : splitIndices(n, 0.2, 1);
    const refs = split.train.subarray(0, Math.min(KNN_REFERENCES, split.train.length));
    const queries = (split.val.length > 0 ? split.val : split.train).subarray(0, KNN_QUERIES);
    const labels = data.labels;
    const at = (idx: Int32Array) => Int32Array.from(idx, (i) => labels[i]);
    knn = {
      k: 5,
      trainCount: refs.length,
      testCount: queries.length,
      codes: knnAccuracy(gatherSamples(codes, dim, refs), at(refs), gatherSamples(codes, dim, queries), at(queries), dim),
      pixels: knnAccuracy(gatherSamples(data.values, ctx.size, refs), at(refs), gatherSamples(data.values, ctx.size, queries), at(queries), ctx.size),
    };
  }
  return { task: 'features', datasetName: data.summary.name, count: n, codeSize: dim, files, knn };
}
