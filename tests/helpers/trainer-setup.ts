/** What a test that trains inside its own process needs first: this machine's backend and the MNIST digits. */
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../src-main/trainer/backend/choose-backend';
import type { BackendChoice } from '../../src-main/trainer/backend/choose-backend';
import { loadBuiltin } from '../../src-main/trainer/data/builtin';
import type { LoadedDataset } from '../../src-main/trainer/data/dataset';
import { TEST_CACHE_DIR } from './specs';

/** Chooses the backend as the trainer does (PROD, as in the trainer process: no debug checks) and loads MNIST from the test cache. */
export async function trainerSetup(): Promise<{ backend: BackendChoice; mnist: LoadedDataset }> {
  tf.env().set('PROD', true);
  const backend = await chooseBackend();
  const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
  return { backend, mnist };
}
