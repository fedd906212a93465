/** A finished run folder read back: its spec, its trained weights in freshly built models, its metrics. */
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelSpecSchema } from '../../../src-shared/compiler/model-spec';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { EpochMetrics } from '../../../src-shared/protocol/trainer-messages';
import { DatasetError } from '../data/dataset';
import { buildModel } from '../model/build-model';
import type { BuiltModel } from '../model/build-model';
import { disposeBuiltModel } from '../model/dispose-model';
import { readRunRecord } from '../../common/run-folder';
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

async function readJson(dir: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(dir, file), 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(code === 'ENOENT' ? `${join(dir, file)} is missing` : `${join(dir, file)} cannot be read: ${(e as Error).message}`, 'Choose the folder of a finished run (it holds spec.json, model.json, weights.bin and metrics.json).');
  }
}

/** Reads a TF.js layers model (model.json + weights.bin) from a folder. */
export async function readLayersModel(dir: string): Promise<tf.LayersModel> {
  const modelJson = (await readJson(dir, 'model.json')) as { modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) throw new DatasetError(`${join(dir, 'model.json')} is not a TF.js layers model`, 'Choose a folder exported by Autoencoder Studio (TF.js format) or a run folder.');
  const weightData = Buffer.concat(await Promise.all(modelJson.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p)))));
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights), weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer }),
  );
}

/**
 * Sets the weights of every weighted layer of `target` from the layer of the
 * same name in `source`; refuses, naming the layer, when one is missing or
 * has another shape (the architectures differ).
 */
export function copyWeightsByName(source: tf.LayersModel, target: tf.LayersModel, where: string): void {
  for (const layer of target.layers) {
    const mine = layer.getWeights();
    if (mine.length === 0) continue;
    const theirs = source.layers.find((l) => l.name === layer.name)?.getWeights();
    if (!theirs) throw new DatasetError(`The weights in ${where} have no layer "${layer.name}"`, 'Start from weights of the same graph (a run of it, or its TF.js export).');
    mine.forEach((w, i) => {
      if (!theirs[i] || theirs[i].shape.join('×') !== w.shape.join('×')) {
        throw new DatasetError(`The weights in ${where} do not fit layer "${layer.name}": ${theirs[i]?.shape.join('×') ?? 'nothing'} there, ${w.shape.join('×')} here`, 'Start from weights of the same architecture, or train from scratch.');
      }
    });
    layer.setWeights(theirs);
  }
}

/** Loads a run folder; its weights go into models built from its spec (so encoder and decoder exist too). */
export async function loadRun(dir: string, access: RunFolderAccess = {}): Promise<LoadedRun> {
  const specRaw = await readJson(dir, 'spec.json');
  const parsed = ModelSpecSchema.safeParse(specRaw);
  if (!parsed.success) throw new DatasetError(`${join(dir, 'spec.json')} is not a model spec (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`, 'The run folder may come from another version; train again.');
  const spec = parsed.data;
  const saved = await readLayersModel(dir);
  const model = buildModel(spec, 0);
  try {
    copyWeightsByName(saved, model.inference, dir);
  } finally {
    saved.dispose();
  }
  // The record through the run folder's one schema (older records migrated); a broken one is refused by name.
  const read = await readRunRecord(dir);
  if (!read.ok) {
    disposeBuiltModel(model);
    throw new DatasetError(read.error, 'Choose the folder of a finished run; if its metrics.json was edited, restore it or train again.');
  }
  const { epochs, settings, maxSamples } = read.record;
  const data = runDataset(dir, read.record.dataset.ref, access);
  return { spec, model, epochs, settings, maxSamples, ...data };
}
