/**
 * The dataset picker's preview, made in the trainer process: loading a
 * dataset means decoding images and parsing files, work (and memory) that
 * belongs beside TF.js, not on the window's event loop.
 */
import { PREVIEW_SAMPLES } from '../../../src-shared/datasets/dataset-preview';
import type { DatasetPreview } from '../../../src-shared/datasets/dataset-preview';
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import { valuesToBytes } from '../../../src-shared/util/pixels';
import { displayShape } from '../train/snapshots';
import type { LoadedDataset } from './dataset';
import { loadDataset } from './load-dataset';

/** A loaded dataset's summary and a few of its samples as 8-bit images. */
export function previewOf(data: LoadedDataset): DatasetPreview {
  const size = data.summary.shape.reduce((a, b) => a * b, 1);
  const count = Math.min(PREVIEW_SAMPLES, data.summary.count);
  // Spread the samples over the dataset so classes stored one after another all show.
  const picks = Array.from({ length: count }, (_, i) => Math.floor((i * data.summary.count) / count));
  const [lo, hi] = data.summary.normalization === 'standardized' ? [-3, 3] : [0, 1];
  const samples = new Uint8Array(count * size);
  picks.forEach((p, k) => samples.set(valuesToBytes(data.values.subarray(p * size, (p + 1) * size), lo, hi), k * size));
  return { summary: data.summary, imageShape: displayShape(data.summary.shape), samples, labelNames: data.labelNames ? [...data.labelNames] : null };
}

/** Loads (or imports) a dataset and returns its preview; import errors (DatasetError) propagate with their messages and hints. */
export async function previewDataset(ref: DatasetRef, cacheDir: string): Promise<DatasetPreview> {
  return previewOf(await loadDataset(ref, cacheDir));
}
