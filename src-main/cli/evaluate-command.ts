/** `aestudio evaluate MODEL_DIR [--dataset …]`: reconstruction losses of a saved autoencoder on a dataset. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUILTIN_DATASETS, findBuiltinDataset } from '../../src-shared/datasets/builtin';
import { datasetRefFromPath } from '../../src-shared/datasets/dataset-ref';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { RunFolderAccess } from '../../src-shared/protocol/trainer-messages';
import { defaultCacheDir } from '../services/app-paths';
import type { CliIo } from './io';
import { withTrainer } from './with-trainer';

/**
 * A dataset named on the command line: a built-in id, a folder of images, or a
 * CSV/NPY/IDX file by its extension; a name that is neither a built-in nor an
 * existing path is refused, listing the built-ins (a typo of "mnist" is not a file).
 */
export function datasetFromArg(arg: string): { ok: true; ref: DatasetRef } | { ok: false; error: string } {
  if (findBuiltinDataset(arg)) return { ok: true, ref: { kind: 'builtin', id: arg } };
  const path = resolve(arg);
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    const builtins = BUILTIN_DATASETS.map((d) => d.id).join(', ');
    return { ok: false, error: `--dataset: "${arg}" is neither a built-in dataset (${builtins}) nor an existing file or folder (${path}). Give a built-in id, or the path of a dataset file or folder (aestudio --help lists the formats).` };
  }
  return { ok: true, ref: datasetRefFromPath(path, isDir) };
}

/**
 * How a run folder named on the command line may be read. Any folder may be a
 * run someone sent: its record's dataset must stay inside it, else `--dataset`
 * stands in for it. Null (the error printed) when `--dataset` names nothing.
 */
export function runFolderAccess(dataset: string | undefined, io: CliIo): RunFolderAccess | null {
  const given = dataset ? datasetFromArg(dataset) : null;
  if (given && !given.ok) {
    io.err(`${given.error}\n`);
    return null;
  }
  return { fallback: given?.ref };
}

/** Runs the command; resolves to the exit code. */
export function evaluateCommand(modelDir: string, dataset: string, ref: DatasetRef, io: CliIo): Promise<number> {
  return withTrainer(io, async (service) => {
    const r = await service.evaluate(resolve(modelDir), ref, defaultCacheDir());
    io.out(`${JSON.stringify({ model: resolve(modelDir), dataset, ...r })}\n`);
    io.err(`${r.count} samples: MSE ${r.mse.toFixed(5)}, BCE ${r.bce.toFixed(5)}\n`);
  });
}
