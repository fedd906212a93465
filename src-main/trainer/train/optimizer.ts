/** The optimizer a run's settings name. */
import * as tf from '@tensorflow/tfjs';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';

/** Adam, SGD with momentum, or RMSprop, with PyTorch's and Keras' usual defaults for the rest. */
export function makeOptimizer(settings: TrainingSettings): tf.Optimizer {
  switch (settings.optimizer) {
    case 'adam':
      return tf.train.adam(settings.learningRate, 0.9, 0.999, 1e-7);
    case 'sgd':
      return settings.momentum > 0 ? tf.train.momentum(settings.learningRate, settings.momentum) : tf.train.sgd(settings.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate, 0.9, 0, 1e-7);
  }
}
