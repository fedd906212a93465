/**
 * The dataset a run folder's record names, as a reader may use it. A run in
 * the app's own runs folder was written by the app, so its ref is used as
 * it is. Any other run folder (the CLI's analyze and export take any
 * folder) may be a file someone sent: a ref that names a file is resolved
 * against the run folder and refused when it leads out of it, so a record
 * cannot make the trainer read, or echo, a file elsewhere on the disk.
 */
import { join, resolve } from 'node:path';
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import { RUN_RECORD_FILE } from '../../../src-shared/run/run-record';
import { resolveConfinedPath } from '../../common/confined-path';
import { FileRefusal } from '../../common/file-refusal';
import { DatasetError } from '../data/dataset';

/** How a run folder's dataset ref may be used. */
export interface RunFolderAccess {
  /** The folder is in the app's own runs folder (written by the app): its dataset ref is used as it is. */
  trusted?: boolean;
  /** Data given by the person (CLI --dataset), used in place of a ref that is refused. */
  fallback?: DatasetRef;
}

/** The run's dataset, or null with the reason it cannot be used (thrown by whoever needs the data). */
export async function runDataset(dir: string, ref: DatasetRef | null, access: RunFolderAccess): Promise<{ dataset: DatasetRef | null; datasetProblem: DatasetError | null }> {
  if (!ref) {
    const problem = new DatasetError(`${join(dir, RUN_RECORD_FILE)} does not say which dataset the run trained on`, 'Pass the data with --dataset, or choose the dataset in the analysis panel.');
    return access.fallback ? { dataset: access.fallback, datasetProblem: null } : { dataset: null, datasetProblem: problem };
  }
  if (access.trusted || ref.kind === 'builtin') return { dataset: ref, datasetProblem: null };
  try {
    const file = join(dir, RUN_RECORD_FILE);
    // A file that is missing is left for the loader to report; only a path that leads out is refused here.
    const inside = (path: string, field: string) =>
      resolveConfinedPath(path, { file, field, root: dir }).catch((e: unknown) => {
        if (e instanceof FileRefusal && e.reason === 'missing') return resolve(dir, path);
        throw e;
      });
    const path = await inside(ref.path, 'dataset.ref.path');
    const labelsPath = 'labelsPath' in ref.options && ref.options.labelsPath ? await inside(ref.options.labelsPath, 'dataset.ref.options.labelsPath') : undefined;
    return { dataset: { ...ref, path, options: { ...ref.options, ...(labelsPath && { labelsPath }) } } as DatasetRef, datasetProblem: null };
  } catch (e) {
    if (!(e instanceof FileRefusal)) throw e;
    if (access.fallback) return { dataset: access.fallback, datasetProblem: null };
    return {
      dataset: null,
      datasetProblem: new DatasetError(
        `${e.message}; a run folder from outside the app's runs folder may only name data inside itself`,
        'Pass the data it trained on with --dataset (CLI), or choose the dataset in the analysis panel.',
      ),
    };
  }
}
