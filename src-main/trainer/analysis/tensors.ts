/** Batched model calls and sample gathering for the analyses: whole datasets through a model without holding them twice on the backend. */
import * as tf from '@tensorflow/tfjs';
import type { Described } from './finite';
import { requireFinite } from './finite';

const BATCH = 256;

/** The values of the samples at `indices` (each `size` long), copied into one array in that order. */
export function gatherSamples(values: Float32Array, size: number, indices: ArrayLike<number>): Float32Array<ArrayBuffer> {
  const out = new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) out.set(values.subarray(indices[k] * size, (indices[k] + 1) * size), k * size);
  return out;
}

/** How each of the run's models (named in build-model.ts) names its output in a message. */
const OUTPUTS: Record<string, Described> = {
  encoder: { what: "The model's code", unit: 'sample' },
  decoder: { what: "The decoder's output", unit: 'code' },
  autoencoder: { what: "The model's reconstruction", unit: 'sample' },
};

/**
 * Runs `count` samples (`inShape` each) through `model` in batches; returns
 * its outputs flattened, one after another. Refuses NaN or infinite outputs
 * (NonFiniteError), naming the sample: `indices[k]` when the rows were
 * gathered from a dataset, else k.
 */
export function predictAll(model: tf.LayersModel, values: Float32Array, count: number, inShape: readonly number[], indices?: ArrayLike<number>): Float32Array<ArrayBuffer> {
  const inSize = inShape.reduce((a, b) => a * b, 1);
  let out: Float32Array<ArrayBuffer> | null = null;
  let outSize = 0;
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const y = tf.tidy(() => model.predict(tf.tensor(values.subarray(start * inSize, (start + n) * inSize), [n, ...inShape])) as tf.Tensor);
    const data = y.dataSync() as Float32Array;
    y.dispose();
    if (!out) {
      outSize = data.length / n;
      out = new Float32Array(count * outSize);
    }
    out.set(data, start * outSize);
  }
  const result = out ?? new Float32Array(0);
  requireFinite(result, outSize, OUTPUTS[model.name] ?? { what: `The output of model "${model.name}"`, unit: 'sample' }, indices);
  return result;
}

/** Per-sample mean squared error between two sets of `count` samples of `size` values. */
export function perSampleMse(a: Float32Array, b: Float32Array, size: number): Float32Array<ArrayBuffer> {
  const count = a.length / size;
  const out = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    let s = 0;
    for (let i = k * size; i < (k + 1) * size; i++) s += (a[i] - b[i]) ** 2;
    out[k] = s / size;
  }
  return out;
}

/** Mean squared error and mean binary cross-entropy (predictions clipped into (0, 1), as Keras does) over all values. */
export function reconstructionLosses(target: Float32Array, prediction: Float32Array): { mse: number; bce: number } {
  const eps = 1e-7;
  let mse = 0;
  let bce = 0;
  for (let i = 0; i < target.length; i++) {
    const t = target[i];
    const p = Math.min(1 - eps, Math.max(eps, prediction[i]));
    mse += (t - prediction[i]) ** 2;
    bce -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
  }
  return { mse: mse / target.length, bce: bce / target.length };
}
