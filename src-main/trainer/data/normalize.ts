/**
 * Brings imported values to the training scale and reports what was done:
 * images to [0, 1] (÷255 for 8-bit data, else min–max), tables standardised
 * per column (zero mean, unit variance) unless already within [0, 1].
 */
import type { DatasetSummary } from '../../../src-shared/datasets/dataset-ref';
import { DatasetError } from './dataset';
import type { LoadedDataset } from './dataset';

/** Range of the values; the caller has already refused NaN and Infinity. */
export function valueRange(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Wraps imported values as a dataset, normalising them in place. */
export function finishDataset(args: {
  name: string;
  shape: number[];
  values: Float32Array;
  labels: Int32Array | null;
  layout: 'image' | 'table';
  /** Set for 8-bit sources, whose range is 0–255 by definition. */
  eightBit?: boolean;
}): LoadedDataset {
  const { values, shape, layout } = args;
  const size = shape.reduce((a, b) => a * b, 1);
  const count = size > 0 ? values.length / size : 0;
  if (count === 0) throw new DatasetError(`${args.name} holds no samples`, 'Choose a file or folder with at least one sample.');
  const sourceRange = valueRange(values);
  const [lo, hi] = sourceRange;
  let normalization: DatasetSummary['normalization'] = 'none';
  if (lo < 0 || hi > 1) {
    if (layout === 'image') {
      const [a, b] = args.eightBit || (lo >= 0 && hi <= 255) ? [0, 255] : [lo, hi];
      const span = b - a || 1;
      for (let i = 0; i < values.length; i++) values[i] = (values[i] - a) / span;
      normalization = 'scaled-0-1';
    } else {
      for (let j = 0; j < size; j++) {
        let sum = 0;
        let sq = 0;
        for (let i = 0; i < count; i++) sum += values[i * size + j];
        const mean = sum / count;
        for (let i = 0; i < count; i++) sq += (values[i * size + j] - mean) ** 2;
        const std = Math.sqrt(sq / count) || 1; // a constant column becomes zeros
        for (let i = 0; i < count; i++) values[i * size + j] = (values[i * size + j] - mean) / std;
      }
      normalization = 'standardized';
    }
  }
  const labelCount = args.labels ? new Set(args.labels).size : 0;
  return { summary: { name: args.name, shape, count, sourceRange, normalization, labelCount }, values, labels: args.labels };
}
