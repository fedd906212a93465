/** Evaluates a saved autoencoder (TF.js layers: a run folder or an export) on a dataset: mean MSE and BCE of its reconstructions. */
import * as tf from '@tensorflow/tfjs';
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import { DatasetError } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { NonFiniteError, requireFinite } from '../analysis/finite';
import { bceLoss, mseLoss } from '../model/penalties';
import { readLayersModel } from '../model/load-weights';

const BATCH = 512;

/** Mean reconstruction losses over every sample of `dataset`. */
export async function evaluateModel(modelDir: string, dataset: DatasetRef, cacheDir: string): Promise<{ count: number; mse: number; bce: number }> {
  const model = await readLayersModel(modelDir);
  try {
    const inShape = model.inputs[0].shape.slice(1) as number[];
    const outShape = model.outputs[0].shape.slice(1) as number[];
    if (inShape.join('×') !== outShape.join('×')) throw new DatasetError(`${modelDir} holds a model from ${inShape.join('×')} to ${outShape.join('×')}, not an autoencoder`, 'Choose the autoencoder (not the encoder or decoder alone).');
    const data = await loadDataset(dataset, cacheDir);
    const size = inShape.reduce((a, b) => a * b, 1);
    if (data.summary.shape.reduce((a, b) => a * b, 1) !== size) throw new DatasetError(`The dataset's samples are ${data.summary.shape.join('×')}, but the model takes ${inShape.join('×')}`, 'Evaluate on data of the shape the model was trained on.');
    let mse = 0;
    let bce = 0;
    for (let start = 0; start < data.summary.count; start += BATCH) {
      const n = Math.min(BATCH, data.summary.count - start);
      const [m, b, y] = tf.tidy(() => {
        const x = tf.tensor(data.values.subarray(start * size, (start + n) * size), [n, ...inShape]);
        const y = model.predict(x) as tf.Tensor;
        return [mseLoss(x, y).mul(n), bceLoss(x, y).mul(n), y];
      });
      try {
        const [batchMse, batchBce] = [(await m.data())[0], (await b.data())[0]];
        if (!Number.isFinite(batchMse) || !Number.isFinite(batchBce)) {
          // Name the sample when the model's output is NaN or infinite; else the loss itself overflowed.
          requireFinite(await y.data(), size, { what: "The model's reconstruction", unit: 'sample' }, Int32Array.from({ length: n }, (_, k) => start + k));
          throw new NonFiniteError(`The reconstruction loss of samples ${start} to ${start + n - 1} is not finite (it overflows float32)`);
        }
        mse += batchMse;
        bce += batchBce;
      } finally {
        tf.dispose([m, b, y]);
      }
    }
    return { count: data.summary.count, mse: mse / data.summary.count, bce: bce / data.summary.count };
  } finally {
    model.dispose();
  }
}
