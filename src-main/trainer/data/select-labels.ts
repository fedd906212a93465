/** Keeps only the samples of some labels: training an anomaly detector on the normal classes. */
import { formatLabelList } from '../../../src-shared/datasets/label-list';
import { DatasetError } from './dataset';
import type { LoadedDataset } from './dataset';

/** A copy of `data` with only the samples whose label is in `labels` (in their original order). */
export function selectLabels(data: LoadedDataset, labels: readonly number[]): LoadedDataset {
  if (!data.labels) throw new DatasetError(`${data.summary.name} has no labels, so it cannot be limited to labels ${formatLabelList(labels)}`, 'Clear "Train only on labels", or use a dataset with labels.');
  const wanted = new Set(labels);
  const keep: number[] = [];
  for (let i = 0; i < data.labels.length; i++) if (wanted.has(data.labels[i])) keep.push(i);
  if (keep.length === 0) throw new DatasetError(`No sample of ${data.summary.name} has label ${formatLabelList(labels)}`, `Its labels run from 0 to ${data.summary.labelCount - 1}.`);
  const size = data.values.length / data.summary.count;
  const values = new Float32Array(keep.length * size);
  keep.forEach((src, dst) => values.set(data.values.subarray(src * size, (src + 1) * size), dst * size));
  return {
    ...data,
    summary: { ...data.summary, name: `${data.summary.name} (labels ${formatLabelList(labels)})`, count: keep.length },
    values,
    labels: Int32Array.from(keep, (i) => data.labels![i]),
  };
}
