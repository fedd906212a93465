/** `aestudio evaluate MODEL_DIR [--dataset …]`: reconstruction losses of a saved autoencoder on a dataset. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { findBuiltinDataset } from '../../src-shared/datasets/builtin';
import { datasetRefFromPath } from '../../src-shared/datasets/dataset-ref';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import { defaultCacheDir } from '../services/app-paths';
import type { CliIo } from './io';
import { withTrainer } from './with-trainer';

/** A dataset named on the command line: a built-in id, a folder of images, or a CSV/NPY/IDX file by its extension. */
export function datasetFromArg(arg: string): DatasetRef {
  if (findBuiltinDataset(arg)) return { kind: 'builtin', id: arg };
  const path = resolve(arg);
  const isDir = (() => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  })();
  return datasetRefFromPath(path, isDir);
}

/** Runs the command; resolves to the exit code. */
export function evaluateCommand(modelDir: string, dataset: string, io: CliIo): Promise<number> {
  return withTrainer(io, async (service) => {
    const r = await service.evaluate(resolve(modelDir), datasetFromArg(dataset), defaultCacheDir());
    io.out(`${JSON.stringify({ model: resolve(modelDir), dataset, ...r })}\n`);
    io.err(`${r.count} samples: MSE ${r.mse.toFixed(5)}, BCE ${r.bce.toFixed(5)}\n`);
  });
}
