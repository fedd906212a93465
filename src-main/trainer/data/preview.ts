/**
 * The dataset picker's preview, made in the trainer process: loading a
 * dataset means decoding images and parsing files, work (and memory) that
 * belongs beside TF.js, not on the window's event loop. Samples are shrunk to
 * thumbnails here, so the answer that crosses to the main process is small.
 */
import { PREVIEW_MAX_VALUES, PREVIEW_SAMPLES } from '../../../src-shared/datasets/dataset-preview';
import type { DatasetPreview } from '../../../src-shared/datasets/dataset-preview';
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import { valuesToBytes } from '../../../src-shared/util/pixels';
import { displayShape } from '../train/snapshots';
import type { LoadedDataset } from './dataset';
import { loadDataset } from './load-dataset';

type Shape3 = [number, number, number];

/** The smallest whole factor that brings a sample within {@link PREVIEW_MAX_VALUES} (a one-row vector shrinks along its row only). */
export function shrinkFactor([h, w, c]: Shape3): number {
  let f = 1;
  while (Math.ceil(h / f) * Math.ceil(w / f) * c > PREVIEW_MAX_VALUES) f++;
  return f;
}

/** Averages f×f blocks of an 8-bit image (the last row and column of blocks may be partial). */
function shrink(pixels: Uint8Array, [h, w, c]: Shape3, f: number): Uint8Array {
  const oh = Math.ceil(h / f);
  const ow = Math.ceil(w / f);
  const out = new Uint8Array(oh * ow * c);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      for (let k = 0; k < c; k++) {
        let sum = 0;
        let n = 0;
        for (let yy = y * f; yy < Math.min(h, (y + 1) * f); yy++) {
          for (let xx = x * f; xx < Math.min(w, (x + 1) * f); xx++, n++) sum += pixels[(yy * w + xx) * c + k];
        }
        out[(y * ow + x) * c + k] = Math.round(sum / n);
      }
    }
  }
  return out;
}

/** A loaded dataset's summary and a few of its samples as 8-bit images, shrunk to thumbnails when large. */
export function previewOf(data: LoadedDataset): DatasetPreview {
  const size = data.summary.shape.reduce((a, b) => a * b, 1);
  const count = Math.min(PREVIEW_SAMPLES, data.summary.count);
  const shape = displayShape(data.summary.shape);
  const f = shrinkFactor(shape);
  const imageShape: Shape3 = [Math.ceil(shape[0] / f), Math.ceil(shape[1] / f), shape[2]];
  const thumb = imageShape[0] * imageShape[1] * imageShape[2];
  // Spread the samples over the dataset so classes stored one after another all show.
  const picks = Array.from({ length: count }, (_, i) => Math.floor((i * data.summary.count) / count));
  const [lo, hi] = data.summary.normalization === 'standardized' ? [-3, 3] : [0, 1];
  const samples = new Uint8Array(count * thumb);
  picks.forEach((p, k) => {
    const pixels = valuesToBytes(data.values.subarray(p * size, (p + 1) * size), lo, hi);
    samples.set(f === 1 ? pixels : shrink(pixels, shape, f), k * thumb);
  });
  return { summary: data.summary, imageShape, samples, labelNames: data.labelNames ? [...data.labelNames] : null };
}

/** Loads (or imports) a dataset and returns its preview; import errors (DatasetError) propagate with their messages and hints. */
export async function previewDataset(ref: DatasetRef, cacheDir: string): Promise<DatasetPreview> {
  return previewOf(await loadDataset(ref, cacheDir));
}
