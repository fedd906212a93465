/**
 * The dataset picker's preview, made in the trainer process: loading a
 * dataset means decoding images and parsing files, work (and memory) that
 * belongs beside TF.js, not on the window's event loop. Samples are shrunk to
 * thumbnails here, so the answer that crosses to the main process is small.
 */
import { PREVIEW_ANSWER_MAX_VALUES, PREVIEW_MAX_CLASSES, PREVIEW_MAX_VALUES, PREVIEW_SAMPLES, PreviewQuerySchema, isVectorShape } from '../../../src-shared/datasets/dataset-preview';
import type { DatasetPreview, PreviewPage, PreviewQuery } from '../../../src-shared/datasets/dataset-preview';
import { splitIndices } from '../../../src-shared/util/random';
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

/** Each loaded dataset's statistics and class counts, computed once: paging through Fashion-MNIST would otherwise pass over its 55 million values per page. */
const facts = new WeakMap<Float32Array, { stats: PreviewPage['stats']; classes: PreviewPage['classes'] }>();

function factsOf(data: LoadedDataset): { stats: PreviewPage['stats']; classes: PreviewPage['classes'] } {
  let f = facts.get(data.values);
  if (!f) {
    f = { stats: valueStats(data.values), classes: classCounts(data.labels) };
    facts.set(data.values, f);
  }
  return f;
}

/** Statistics of the values at training scale, over the whole dataset. */
function valueStats(values: Float32Array): PreviewPage['stats'] {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sq = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sq += v * v;
  }
  const n = Math.max(1, values.length);
  const mean = sum / n;
  return values.length ? { min, max, mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) } : { min: 0, max: 0, mean: 0, std: 0 };
}

/** Samples per label value, ascending; null without labels. */
function classCounts(labels: Int32Array | null): PreviewPage['classes'] {
  if (!labels) return null;
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).slice(0, PREVIEW_MAX_CLASSES).map(([label, count]) => ({ label, count }));
}

/** The indices a page shows: the filter's matches from `offset`, at most `limit` of them. */
function pageIndices(data: LoadedDataset, label: number | null, offset: number, limit: number): { matching: number; indices: number[] } {
  const { count } = data.summary;
  if (label === null || !data.labels) return { matching: count, indices: Array.from({ length: Math.max(0, Math.min(limit, count - offset)) }, (_, i) => offset + i) };
  const indices: number[] = [];
  let matching = 0;
  for (let i = 0; i < count; i++) {
    if (data.labels[i] !== label) continue;
    if (matching >= offset && indices.length < limit) indices.push(i);
    matching++;
  }
  return { matching, indices };
}

/**
 * A loaded dataset's summary and a few of its samples as 8-bit images, shrunk to thumbnails when large.
 * Without a query: {@link PREVIEW_SAMPLES} samples spread over the dataset (the picker). With one: the
 * page it names, with labels, split and the dataset's statistics (the Data view); a page of large
 * samples holds fewer than asked, so the answer stays within {@link PREVIEW_ANSWER_MAX_VALUES}.
 */
export function previewOf(data: LoadedDataset, query?: PreviewQuery): DatasetPreview {
  const size = data.summary.shape.reduce((a, b) => a * b, 1);
  const shape = displayShape(data.summary.shape);
  const f = shrinkFactor(shape);
  const imageShape: Shape3 = [Math.ceil(shape[0] / f), Math.ceil(shape[1] / f), shape[2]];
  const thumb = imageShape[0] * imageShape[1] * imageShape[2];
  const fit = Math.max(1, Math.floor(PREVIEW_ANSWER_MAX_VALUES / thumb));
  let picks: number[];
  let page: PreviewPage | undefined;
  const known = query ? factsOf(data) : null;
  const stats = known?.stats ?? null;
  if (!query) {
    // Spread the samples over the dataset so classes stored one after another all show.
    const count = Math.min(PREVIEW_SAMPLES, data.summary.count);
    picks = Array.from({ length: count }, (_, i) => Math.floor((i * data.summary.count) / count));
  } else {
    const q = PreviewQuerySchema.parse(query);
    const label = data.labels ? q.label : null;
    const { matching, indices } = pageIndices(data, label, q.offset, Math.min(q.limit, fit));
    const split = splitIndices(data.summary.count, q.validationSplit, q.seed);
    const held = new Set(split.val);
    picks = indices;
    page = {
      offset: q.offset,
      label,
      matching,
      indices,
      labels: data.labels ? indices.map((i) => data.labels![i]) : null,
      validation: indices.map((i) => held.has(i)),
      classes: known!.classes,
      stats: stats!,
      split: { train: split.train.length, validation: split.val.length },
    };
  }
  // Images keep the scale training shows them at; a vector is scaled to its own range, so its plot uses the height.
  let [lo, hi] = data.summary.normalization === 'standardized' ? [-3, 3] : [0, 1];
  if (stats && isVectorShape(data.summary.shape) && stats.max > stats.min) [lo, hi] = [stats.min, stats.max];
  const samples = new Uint8Array(picks.length * thumb);
  picks.forEach((p, k) => {
    const pixels = valuesToBytes(data.values.subarray(p * size, (p + 1) * size), lo, hi);
    samples.set(f === 1 ? pixels : shrink(pixels, shape, f), k * thumb);
  });
  return { summary: data.summary, imageShape, samples, scale: [lo, hi], labelNames: data.labelNames ? [...data.labelNames] : null, ...(page ? { page } : {}) };
}

/** Loads (or imports) a dataset and returns its preview; import errors (DatasetError) propagate with their messages and hints. */
export async function previewDataset(ref: DatasetRef, cacheDir: string, query?: PreviewQuery): Promise<DatasetPreview> {
  return previewOf(await loadDataset(ref, cacheDir), query);
}
