/** Loads whatever a DatasetRef names. */
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import { loadBuiltin } from './builtin';
import type { LoadedDataset } from './dataset';
import { importIdx, importNpy } from './import-arrays';
import { importCsv } from './import-csv';
import { importImageFolder } from './import-images';

/** Loads a built-in dataset (cached in `cacheDir`) or imports a file or folder. */
export function loadDataset(ref: DatasetRef, cacheDir: string): Promise<LoadedDataset> {
  switch (ref.kind) {
    case 'builtin':
      return loadBuiltin(ref.id, cacheDir);
    case 'csv':
      return importCsv(ref.path, ref.options);
    case 'npy':
      return importNpy(ref.path, ref.options.labelsPath);
    case 'idx':
      return importIdx(ref.path, ref.options.labelsPath);
    case 'images':
      return importImageFolder(ref.path, ref.options);
  }
}
