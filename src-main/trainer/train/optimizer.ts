/** The optimizer a run's settings name. */
import * as tf from '@tensorflow/tfjs';
import { FusedAdamOptimizer } from '../backend/fused-adam';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';

/** Adam, SGD with momentum, or RMSprop, with PyTorch's and Keras' usual defaults for the rest. */
export function makeOptimizer(settings: TrainingSettings): tf.Optimizer {
  switch (settings.optimizer) {
    case 'adam':
      // On wasm, the same update as one kernel call per variable (fused-adam.ts).
      return tf.getBackend() === 'wasm' ? new FusedAdamOptimizer(settings.learningRate, 0.9, 0.999, 1e-7) : tf.train.adam(settings.learningRate, 0.9, 0.999, 1e-7);
    case 'sgd':
      return settings.momentum > 0 ? tf.train.momentum(settings.learningRate, settings.momentum) : tf.train.sgd(settings.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate, 0.9, 0, 1e-7);
  }
}
