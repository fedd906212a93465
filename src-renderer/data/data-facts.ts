/**
 * What the app last learned about the project's data (from a preview): its
 * summary and label names, keyed by the dataset it belongs to. The compiler's
 * data checks and the latent legend read it; previews write it.
 */
import { create } from 'zustand';
import { findBuiltinDataset } from '../../src-shared/datasets/builtin';
import type { DatasetPreview } from '../../src-shared/datasets/dataset-preview';
import type { DatasetRef, DatasetSummary } from '../../src-shared/datasets/dataset-ref';

/** The facts of one dataset. */
export interface DataFacts {
  /** JSON of the DatasetRef they belong to; null before any preview. */
  refKey: string | null;
  summary: DatasetSummary | null;
  labelNames: readonly string[] | null;
}

export const useDataFacts = create<DataFacts>()(() => ({ refKey: null, summary: null, labelNames: null }));

/** Keeps what a preview of `ref` found. */
export function noteDatasetFacts(ref: DatasetRef, preview: DatasetPreview): void {
  useDataFacts.setState({ refKey: JSON.stringify(ref), summary: preview.summary, labelNames: preview.labelNames });
}

/** The facts of `ref` if they are known: a built-in's from its table, an import's from its last preview. */
export function factsOf(ref: DatasetRef | null, facts: DataFacts = useDataFacts.getState()): DataFacts | null {
  if (!ref) return null;
  const key = JSON.stringify(ref);
  if (facts.refKey === key) return facts;
  if (ref.kind === 'builtin') {
    const def = findBuiltinDataset(ref.id);
    return def ? { refKey: key, summary: null, labelNames: def.labelNames } : null;
  }
  return null;
}
