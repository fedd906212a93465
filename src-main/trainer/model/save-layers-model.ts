/**
 * Writes a TF.js layers model (model.json + its weights file) into a folder:
 * the run's final model, its per-epoch checkpoint and the TF.js export all
 * use it, so train/ and export/ share it from here rather than from each other.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomic-write';
import { keepActivationConfigs } from './activations';

/** Where and how to write: the weights file's name, and fields added to model.json (e.g. a checkpoint's epoch). */
export interface SaveOptions {
  weightsFile?: string;
  extra?: Record<string, unknown>;
}

/**
 * Writes model.json + the weights file into `dir`; returns the file names.
 * The weights are written first, model.json last: model.json is the commit
 * point, so a reader never sees a model.json naming weights that are not there.
 */
export async function saveLayersModel(model: tf.LayersModel, dir: string, options: SaveOptions = {}): Promise<string[]> {
  const weightsFile = options.weightsFile ?? 'weights.bin';
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ? new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData])) : new Uint8Array();
      keepActivationConfigs(model, artifacts.modelTopology);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: 'Autoencoder Studio',
        ...options.extra,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFileAtomic(join(dir, weightsFile), weights);
      await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return ['model.json', weightsFile];
}
