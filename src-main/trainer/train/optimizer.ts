/** The optimizer a run's settings name, and changing its learning rate between epochs (schedules). */
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

/**
 * Sets the learning rate the next steps take, on each optimizer makeOptimizer
 * makes. SGD and momentum keep it as a scalar tensor (`setLearningRate`
 * replaces it); Adam and RMSprop read their `learningRate` field on every
 * step (TF.js declares it protected, but it is the one the update uses);
 * the fused Adam reads its own field into each kernel call. Told apart by
 * class name and method, not `instanceof`: TF.js optimizers answer
 * `instanceof` by duck typing, so any optimizer is "an AdamOptimizer".
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const sgd = optimizer as Partial<tf.SGDOptimizer>;
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(learningRate); // SGD, and momentum (a subclass)
  else if (optimizer.getClassName() === 'Adam' || optimizer.getClassName() === 'RMSProp') (optimizer as unknown as { learningRate: number }).learningRate = learningRate; // the fused Adam too
  else throw new Error(`Cannot change the learning rate of a ${optimizer.getClassName()} optimizer; makeOptimizer does not make one`);
}

/** The learning rate the optimizer steps with now. */
export function learningRateOf(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}
