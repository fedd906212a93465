/** A dataset in memory, ready to become one tensor on the backend. */
import { totalmem } from 'node:os';
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

/**
 * The most values an import may hold, checked from headers before anything is allocated:
 * 2^28 (1 GiB as float32), or a sixteenth of the machine's memory if that is less. The
 * values exist as float32 here, again as the training tensor and its split and shuffled
 * copies, so an import of a sixteenth of memory already costs about a quarter of it.
 */
export const MAX_DATASET_VALUES = Math.min(2 ** 28, Math.floor(totalmem() / 16));

/** A piece of untrusted text fit to print: control and invisible characters escaped, at most `max` characters (then "…"). */
export function snippet(text: string, max = 24): string {
  const chars = [...text.slice(0, max * 2 + 1)];
  // eslint-disable-next-line no-control-regex
  const clean = chars.slice(0, max).join('').replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${clean}${chars.length > max ? '…' : ''}`;
}

/** `snippet` in double quotes, for quoting a cell or a key. */
export const quoteSnippet = (text: string, max = 24): string => `"${snippet(text, max)}"`;
