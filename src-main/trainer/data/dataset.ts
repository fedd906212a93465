/** A dataset in memory, ready to become one tensor on the backend. */
import type { DatasetSummary } from '../../../src-shared/datasets/dataset-ref';

/** Samples as one flat array of float32 values, row-major, `shape` per sample. */
export interface LoadedDataset {
  summary: DatasetSummary;
  /** Values at training scale ([0, 1] for images), `count × prod(shape)` of them. */
  values: Float32Array;
  /** One label per sample, or null. */
  labels: Int32Array | null;
  /** Names of label values, when known (built-ins). */
  labelNames?: readonly string[];
}

/** A data problem a person can fix: what, where (file, row, column) and what to try. */
export class DatasetError extends Error {
  constructor(
    message: string,
    /** What to try. */
    readonly hint: string,
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}
