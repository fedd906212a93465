/** What the dataset picker shows: the summary of a dataset and a few of its samples as 8-bit images. */
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { DatasetPreview } from '../../src-shared/protocol/studio-api';
import { valuesToBytes } from '../../src-shared/util/pixels';
import { loadDataset } from '../trainer/data/load-dataset';
import { displayShape } from '../trainer/train/snapshots';

const PREVIEW_SAMPLES = 8;

/** Loads (or imports) a dataset and returns its preview; import errors propagate with their messages. */
export async function previewDataset(ref: DatasetRef, cacheDir: string): Promise<DatasetPreview> {
  const data = await loadDataset(ref, cacheDir);
  const size = data.summary.shape.reduce((a, b) => a * b, 1);
  const count = Math.min(PREVIEW_SAMPLES, data.summary.count);
  // Spread the samples over the dataset so classes stored one after another all show.
  const picks = Array.from({ length: count }, (_, i) => Math.floor((i * data.summary.count) / count));
  const [lo, hi] = data.summary.normalization === 'standardized' ? [-3, 3] : [0, 1];
  const samples = new Uint8Array(count * size);
  picks.forEach((p, k) => samples.set(valuesToBytes(data.values.subarray(p * size, (p + 1) * size), lo, hi), k * size));
  return { summary: data.summary, imageShape: displayShape(data.summary.shape), samples, labelNames: data.labelNames ? [...data.labelNames] : null };
}
