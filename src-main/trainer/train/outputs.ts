/**
 * What a run leaves on disk: metrics.json, the exact spec (spec.json), the
 * trained autoencoder in TF.js layers format (model.json + weights.bin,
 * without noise layers), a Keras script that rebuilds it and loads those
 * weights (model.py), and a PNG grid of validation reconstructions (rows:
 * input, noised, output).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { composeRows } from '../../../src-shared/analysis/image-grid';
import { kerasScript } from '../../../src-shared/export/keras-script';
import { writeFileAtomic } from '../../common/atomic-write';
import type { EpochMetrics } from '../../../src-shared/protocol/trainer-messages';
import type { ReconstructionSnapshot } from './snapshots';
import type { SessionInput, SessionResult } from './session';

/** Writes a TF.js layers model as model.json + weights.bin into `dir`; returns the file names. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ? new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData])) : new Uint8Array();
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: 'Autoencoder Studio',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFileAtomic(join(dir, 'weights.bin'), weights);
      await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return ['model.json', 'weights.bin'];
}

/** A PNG of the reconstructions: one row per kind of image, one column per sample, 2 px gaps, scaled ×`zoom`. */
export async function reconstructionGridPng(snap: ReconstructionSnapshot, zoom = 2): Promise<Buffer> {
  const rows = [snap.input, ...(snap.noised ? [snap.noised] : []), snap.output].map((pixels) => ({ shape: snap.shape, count: snap.count, pixels }));
  const { width, height, channels, data } = composeRows(rows);
  return sharp(data, { raw: { width, height, channels } }).resize(width * zoom, height * zoom, { kernel: 'nearest' }).png().toBuffer();
}

/** The run record of a failed run: its spec, settings, the epochs it finished and the error. */
export async function writeFailedRun(dir: string, input: SessionInput, epochs: EpochMetrics[], error: { message: string; hint: string }): Promise<void> {
  await mkdir(dir, { recursive: true });
  const metrics = { runId: input.runId, status: 'failed', error, dataset: { ref: input.dataset }, seed: input.settings.seed, settings: input.settings, epochs, finishedAt: new Date().toISOString() };
  await writeFileAtomic(join(dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await writeFileAtomic(join(dir, 'spec.json'), `${JSON.stringify(input.spec, null, 2)}\n`);
  if (input.options.projectText) await writeFileAtomic(join(dir, 'project.aestudio'), input.options.projectText);
}

/** Writes every output of a session to `dir`; returns the file names written. */
export async function writeRunOutputs(dir: string, input: SessionInput, result: SessionResult): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = await saveLayersModel(result.model.inference, dir);
  const metrics = {
    runId: input.runId,
    status: result.status,
    backend: result.backend.name,
    backendNotes: result.backend.notes,
    threads: result.threads,
    paramCount: result.paramCount,
    dataset: { ref: input.dataset, ...result.data.summary },
    seed: input.settings.seed,
    settings: input.settings,
    /** Kept so analyses can rebuild the exact train/validation split. */
    maxSamples: input.options.maxSamples ?? null,
    epochs: result.epochs,
    finishedAt: new Date().toISOString(),
  };
  await writeFileAtomic(join(dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await writeFileAtomic(join(dir, 'spec.json'), `${JSON.stringify(input.spec, null, 2)}\n`);
  await writeFileAtomic(join(dir, 'model.py'), kerasScript(input.spec, 'Trained autoencoder'));
  files.push('metrics.json', 'spec.json', 'model.py');
  if (input.options.projectText) {
    await writeFileAtomic(join(dir, 'project.aestudio'), input.options.projectText);
    files.push('project.aestudio');
  }
  if (result.lastReconstruction) {
    await writeFileAtomic(join(dir, 'reconstructions.png'), await reconstructionGridPng(result.lastReconstruction));
    files.push('reconstructions.png');
  }
  return files;
}
