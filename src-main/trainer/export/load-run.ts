/** A finished run folder read back: its spec, its trained weights in freshly built models, its metrics. */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { EpochMetrics } from '../../../src-shared/protocol/trainer-messages';
import { DatasetError } from '../data/dataset';
import { buildModel } from '../model/build-model';
import type { BuiltModel } from '../model/build-model';
import { RUN_FOLDER_HINT, copyWeightsByName, readNamedWeights } from '../model/load-weights';
import { disposeBuiltModel } from '../model/dispose-model';
import { readRunRecord, readRunSpec } from '../../common/run-folder';
import { FileRefusal } from '../../common/file-refusal';
import { runDataset } from './run-dataset';
import type { RunFolderAccess } from './run-dataset';

/** A run ready to export. */
export interface LoadedRun {
  spec: ModelSpec;
  model: BuiltModel;
  epochs: EpochMetrics[];
  /** The data it trained on, as this reader may use it (see run-dataset.ts); null with the reason in datasetProblem. */
  dataset: DatasetRef | null;
  datasetProblem: DatasetError | null;
  /** The settings it trained with (null for a folder from an older version that did not keep them). */
  settings: TrainingSettings | null;
  /** The run's --max-samples, if it used one (its split depends on it). */
  maxSamples: number | null;
}

/** Loads a run folder; its weights go into models built from its spec (so encoder and decoder exist too). */
export async function loadRun(dir: string, access: RunFolderAccess = {}): Promise<LoadedRun> {
  const spec = await readRunSpec(dir).catch((e: unknown) => {
    if (e instanceof FileRefusal) throw e.reason === 'missing' ? new DatasetError(`${e.path} is missing`, RUN_FOLDER_HINT) : new DatasetError(e.message, e.hint);
    throw new DatasetError((e as Error).message, 'The run folder may come from another version; train again.');
  });
  const saved = await readNamedWeights(dir);
  let model: BuiltModel | null = null;
  try {
    model = buildModel(spec, 0);
    copyWeightsByName(saved, model.inference, dir);
  } catch (e) {
    if (model) disposeBuiltModel(model);
    throw e;
  } finally {
    tf.dispose(saved);
  }
  // The record through the run folder's one schema (older records migrated); a broken one is refused by name.
  const read = await readRunRecord(dir);
  if (!read.ok) {
    disposeBuiltModel(model);
    throw new DatasetError(read.error, 'Choose the folder of a finished run; if its metrics.json was edited, restore it or train again.');
  }
  const { epochs, settings, maxSamples } = read.record;
  const data = await runDataset(dir, read.record.dataset.ref, access);
  return { spec, model, epochs, settings, maxSamples, ...data };
}
