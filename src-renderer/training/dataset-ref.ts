/** The dataset the document trains on, as the trainer names it. */
import { CUSTOM_DATASET_ID, findBuiltinDataset } from '../../src-shared/datasets/builtin';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { DocumentState } from '../state/document-store';

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/** A built-in dataset, or the project's import (relative paths resolved against the project file's folder); null without one. */
export function documentDatasetRef(doc: Pick<DocumentState, 'nodes' | 'datasetImport' | 'filePath'>): DatasetRef | null {
  const input = doc.nodes.find((n) => n.data.kind === 'input');
  const id = String(input?.data.params.dataset ?? 'mnist');
  if (id !== CUSTOM_DATASET_ID) return { kind: 'builtin', id };
  const imp = doc.datasetImport;
  if (!imp) return null;
  const dir = doc.filePath ? doc.filePath.replace(/[\\/][^\\/]*$/, '') : '';
  const path = isAbsolute(imp.path) || !dir ? imp.path : `${dir}/${imp.path}`;
  return { kind: imp.format, path, options: imp.options } as DatasetRef;
}

/** The dataset in words, for the Input node and the Train view: "MNIST digits", or the imported file's name. */
export function datasetTitle(doc: Pick<DocumentState, 'nodes' | 'datasetImport'>): string {
  const input = doc.nodes.find((n) => n.data.kind === 'input');
  const id = String(input?.data.params.dataset ?? 'mnist');
  if (id !== CUSTOM_DATASET_ID) return findBuiltinDataset(id)?.title ?? id;
  const imp = doc.datasetImport;
  return imp ? (imp.path.split(/[\\/]/).filter(Boolean).pop() ?? imp.path) : 'no dataset imported yet';
}
