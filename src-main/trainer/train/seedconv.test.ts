/**
 * The seed article's convolutional autoencoder (resources/templates/seedconv.aestudio)
 * trains on real MNIST digits: one short epoch on this machine's backend
 * brings its reconstruction error below the untrained model's on the same digits.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import type { BackendChoice } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { buildModel } from '../model/build-model';
import { RunControl, disposeSession, runSession } from './session';

let backend: BackendChoice;
let mnist: LoadedDataset;

beforeAll(async () => {
  ({ backend, mnist } = await trainerSetup());
});

/** Mean squared reconstruction error of `model` on the first `n` digits. */
function mse(model: tf.LayersModel, n: number): number {
  return tf.tidy(() => {
    const x = tf.tensor(mnist.values.subarray(0, n * 784), [n, 28, 28, 1]);
    return tf.losses.meanSquaredError(x, model.predict(x) as tf.Tensor).dataSync()[0];
  });
}

describe('the seed article\'s convolutional autoencoder', () => {
  it('trains one short epoch on MNIST: a 4×4×8 code, finite losses, and a reconstruction error below the untrained model\'s', async () => {
    const { project, spec } = templateSpec('seedconv');
    expect(spec.codeShape).toEqual([4, 4, 8]);
    const untrained = buildModel(spec, project.training.seed);
    const before = mse(untrained.inference, 200);
    untrained.train.dispose();

    const result = await runSession(
      { runId: 'seedconv', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 1, batchSize: 32, validationSplit: 0.2 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 800, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: true } },
      backend,
      mnist,
      () => {},
      new RunControl(),
    );
    try {
      expect(result.status).toBe('finished');
      const [epoch] = result.epochs;
      expect(Number.isFinite(epoch.trainLoss) && Number.isFinite(epoch.valLoss!)).toBe(true);
      expect(mse(result.model.inference, 200)).toBeLessThan(before);
    } finally {
      disposeSession(result);
    }
  });
});
