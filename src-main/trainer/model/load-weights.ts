/**
 * A TF.js layers model read from a folder someone may have sent (a run, a
 * checkpoint, an export), and its weights copied into a model built here.
 * Training ("Start from weights", resume), export and evaluation all load
 * weights through this one module, so none of them imports another.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { FileRefusal } from '../../common/file-refusal';
import { readRegularFile } from '../../common/read-regular-file';
import { DatasetError } from '../data/dataset';
import { readManifestWeights } from './read-weights';
// Registers leaky ReLU's activation class, which a model.json of a model using it names.
import './activations';

/** Largest JSON file of a run or model folder read (a model.json's topology is the largest; none comes near). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** What to try when a run folder lacks a file or holds a broken one. */
export const RUN_FOLDER_HINT = 'Choose the folder of a finished run (it holds spec.json, model.json, weights.bin and metrics.json).';

/** Parses `dir/file` as JSON, read as a regular file of at most 64 MB. */
export async function readJson(dir: string, file: string): Promise<unknown> {
  const path = join(dir, file);
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, { maxBytes: MAX_JSON_BYTES, what: `a ${file}` });
  } catch (e) {
    if (e instanceof FileRefusal) throw e.reason === 'missing' ? new DatasetError(`${path} is missing`, RUN_FOLDER_HINT) : new DatasetError(e.message, e.hint);
    throw e;
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new DatasetError(`${path} cannot be read: it is not valid JSON (${(e as Error).message})`, RUN_FOLDER_HINT);
  }
}

/**
 * Reads a TF.js layers model (model.json + its weights files) from a folder.
 * Weight paths stay inside the folder, sizes are checked before reading, and
 * NaN or infinite weights are refused naming the layer (see read-weights.ts).
 */
export async function readLayersModel(dir: string): Promise<tf.LayersModel> {
  const file = join(dir, 'model.json');
  const modelJson = await readJson(dir, 'model.json');
  const { modelTopology, weightsManifest } = (typeof modelJson === 'object' && modelJson !== null ? modelJson : {}) as { modelTopology?: unknown; weightsManifest?: unknown };
  if (typeof modelTopology !== 'object' || modelTopology === null || Array.isArray(modelTopology) || !Array.isArray(weightsManifest)) {
    throw new DatasetError(`${file} is not a TF.js layers model`, 'Choose a folder exported by Autoencoder Studio (TF.js format) or a run folder.');
  }
  const { weightSpecs, weightData } = await readManifestWeights(file, weightsManifest);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
  } catch (e) {
    // TF.js refuses an unknown layer, a topology it cannot build, or weights that do not match it; all are the file's fault.
    throw new DatasetError(`${file} describes a model TF.js cannot load: ${(e as Error).message}`, 'Choose a folder exported by Autoencoder Studio (TF.js format) or a run folder; its model.json may be damaged.');
  }
}

/**
 * The weights of a TF.js layers model folder by their saved names
 * ("enc/kernel"), read WITHOUT building the folder's topology: a model.json
 * someone sent could declare layers of any size, and building them would
 * allocate what they declare. The weights themselves are bounded and checked
 * (read-weights.ts). The caller disposes the tensors.
 */
export async function readNamedWeights(dir: string): Promise<tf.NamedTensorMap> {
  const file = join(dir, 'model.json');
  const modelJson = await readJson(dir, 'model.json');
  const { weightsManifest } = (typeof modelJson === 'object' && modelJson !== null ? modelJson : {}) as { weightsManifest?: unknown };
  if (!Array.isArray(weightsManifest)) throw new DatasetError(`${file} is not a TF.js layers model (it has no weightsManifest)`, 'Choose a folder exported by Autoencoder Studio (TF.js format) or a run folder.');
  const { weightSpecs, weightData } = await readManifestWeights(file, weightsManifest);
  return tf.io.decodeWeights(weightData, weightSpecs);
}

/**
 * Sets the weights of every weighted layer of `target` from the saved weights
 * of the same names (a layer's weights are saved as "layer/kernel", …);
 * refuses, naming the layer, when one is missing or has another shape (the
 * architectures differ).
 */
export function copyWeightsByName(source: tf.NamedTensorMap, target: tf.LayersModel, where: string): void {
  for (const layer of target.layers) {
    const mine = layer.weights;
    if (mine.length === 0) continue;
    const theirs = mine.map((w) => source[w.originalName] as tf.Tensor | undefined);
    if (theirs.every((t) => t === undefined)) throw new DatasetError(`The weights in ${where} have no layer "${layer.name}"`, 'Start from weights of the same graph (a run of it, or its TF.js export).');
    mine.forEach((w, i) => {
      const t = theirs[i];
      if (!t || t.shape.join('×') !== w.shape.join('×')) {
        throw new DatasetError(`The weights in ${where} do not fit layer "${layer.name}": ${t?.shape.join('×') ?? 'nothing'} there, ${w.shape.join('×')} here`, 'Start from weights of the same architecture, or train from scratch.');
      }
    });
    layer.setWeights(theirs as tf.Tensor[]);
  }
}
