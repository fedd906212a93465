/** Training settings as a project stores them and the trainer accepts them. */
import { z } from 'zod';

/** Optimizers the trainer offers. */
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;

/** Schema with the ranges the inspector and the trainer both enforce. */
export const TrainingSettingsSchema = z.object({
  /** Passes over the training split. */
  epochs: z.number().int().min(1).max(10000),
  /** Samples per gradient step. */
  batchSize: z.number().int().min(1).max(65536),
  optimizer: z.enum(OPTIMIZERS),
  learningRate: z.number().gt(0).max(10),
  /** Momentum for SGD (ignored by the others). */
  momentum: z.number().min(0).max(0.999),
  /** Fraction of samples held out for validation, taken deterministically from the seed. */
  validationSplit: z.number().min(0).max(0.9),
  /** Seeds weight initialisation, shuffling and noise: same seed, same backend, same losses. */
  seed: z.number().int().min(0).max(2 ** 31 - 1),
  /**
   * Train (and validate) only on samples with these labels; absent = all.
   * Anomaly detection trains on the normal classes and scores the rest.
   */
  labels: z.array(z.number().int().min(0).max(1_000_000)).min(1).max(1000).optional(),
  /**
   * Layer-wise pretraining: epochs for each stage, in which one encoder layer
   * and its mirrored decoder layer train as a shallow autoencoder on the
   * codes of the (frozen) layers before them, before the whole network is
   * fine-tuned for `epochs` (Hinton & Salakhutdinov, 2006). 0 or absent = off.
   */
  pretrain: z.number().int().min(0).max(1000).optional(),
});
/** Training settings. */
export type TrainingSettings = z.infer<typeof TrainingSettingsSchema>;

/** What a new project starts with: the settings the seed material's examples use (Adam, lr 1e-3, batch 128). */
export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = {
  epochs: 10,
  batchSize: 128,
  optimizer: 'adam',
  learningRate: 0.001,
  momentum: 0.9,
  validationSplit: 0.1,
  seed: 42,
};
