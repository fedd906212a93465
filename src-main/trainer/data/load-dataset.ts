/** Loads whatever a DatasetRef names: one loader per import format of the table, so a format without one does not compile. */
import type { DatasetRef, ImportRef } from '../../../src-shared/datasets/dataset-ref';
import type { ImportFormat } from '../../../src-shared/datasets/import-formats';
import { loadBuiltin } from './builtin';
import type { LoadedDataset } from './dataset';
import { importIdx, importNpy } from './import-arrays';
import { importCsv } from './import-csv';
import { importImageFolder } from './import-images';

type Loader<K extends ImportFormat> = (ref: ImportRef<K>) => Promise<LoadedDataset>;

/** The trainer's side of the import-format table. */
export const IMPORT_LOADERS: { [K in ImportFormat]: Loader<K> } = {
  csv: (ref) => importCsv(ref.path, ref.options),
  images: (ref) => importImageFolder(ref.path, ref.options),
  npy: (ref) => importNpy(ref.path, ref.options.labelsPath),
  idx: (ref) => importIdx(ref.path, ref.options.labelsPath),
};

/** Loads a built-in dataset (cached in `cacheDir`) or imports a file or folder. */
export function loadDataset(ref: DatasetRef, cacheDir: string): Promise<LoadedDataset> {
  if (ref.kind === 'builtin') return loadBuiltin(ref.id, cacheDir);
  const load = IMPORT_LOADERS[ref.kind] as Loader<typeof ref.kind>;
  return load(ref);
}
