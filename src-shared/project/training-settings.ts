/**
 * Training settings as a project stores them and the trainer accepts them.
 * Ranges, labels and messages come from the field table (training-fields.ts);
 * the settings added after the first version are optional, and absent means
 * off (older project files and run records load as they trained).
 */
import { z } from 'zod';
import { OPTIMIZERS, TRAINING_FIELDS, boolSchema, enumSchema, numberSchema } from './training-fields';

export { OPTIMIZERS };

const F = TRAINING_FIELDS;

const TrainingSettingsObject = z.object({
  /** Passes over the training split. */
  epochs: numberSchema(F.epochs),
  /** Samples per gradient step. */
  batchSize: numberSchema(F.batchSize),
  optimizer: enumSchema(F.optimizer),
  /** The step size (the first epoch's when a schedule changes it). */
  learningRate: numberSchema(F.learningRate),
  /** Momentum for SGD (ignored by the others). */
  momentum: numberSchema(F.momentum),
  /** Fraction of samples held out for validation, taken deterministically from the seed. */
  validationSplit: numberSchema(F.validationSplit),
  /** Seeds weight initialisation, shuffling and noise: same seed, same backend, same losses. */
  seed: numberSchema(F.seed),
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
  /** Learning-rate schedule (absent: constant); its parameters below, each absent = the field's default. */
  lrSchedule: enumSchema(F.lrSchedule).optional(),
  lrFactor: numberSchema(F.lrFactor).optional(),
  lrPatience: numberSchema(F.lrPatience).optional(),
  lrStepEvery: numberSchema(F.lrStepEvery).optional(),
  minLearningRate: numberSchema(F.minLearningRate).optional(),
  /** Stop when the validation loss has not improved for `earlyStopPatience` epochs (absent: off). */
  earlyStopping: boolSchema(F.earlyStopping).optional(),
  earlyStopPatience: numberSchema(F.earlyStopPatience).optional(),
  /** An improvement is a validation loss below the best by more than this (early stopping, plateau, best epoch). */
  minDelta: numberSchema(F.minDelta).optional(),
  /** The run's model is the best epoch's weights, not the last's (absent: off). */
  keepBest: boolSchema(F.keepBest).optional(),
});

/** The settings that watch the validation loss, and so need a validation split. */
const WATCHES_VALIDATION = [
  { field: 'earlyStopping', on: (s: z.infer<typeof TrainingSettingsObject>) => s.earlyStopping === true, what: 'Early stopping' },
  { field: 'lrSchedule', on: (s: z.infer<typeof TrainingSettingsObject>) => s.lrSchedule === 'plateau', what: 'Reduce on plateau' },
  { field: 'keepBest', on: (s: z.infer<typeof TrainingSettingsObject>) => s.keepBest === true, what: 'Keeping the best epoch' },
] as const;

/** Schema with the ranges the form, the CLI and the trainer all enforce, and the rules between fields (each reported on the field to change). */
export const TrainingSettingsSchema = TrainingSettingsObject.superRefine((s, ctx) => {
  for (const rule of WATCHES_VALIDATION) {
    if (rule.on(s) && s.validationSplit === 0) ctx.addIssue({ code: 'custom', path: [rule.field], message: `${rule.what} watches the validation loss: set a validation split above 0` });
  }
  const schedule = s.lrSchedule ?? 'none';
  const minLr = s.minLearningRate ?? F.minLearningRate.default;
  if ((schedule === 'plateau' || schedule === 'cosine') && minLr >= s.learningRate) {
    ctx.addIssue({ code: 'custom', path: ['minLearningRate'], message: `${F.minLearningRate.label} must be below the learning rate (${s.learningRate})` });
  }
});
/** Training settings. */
export type TrainingSettings = z.infer<typeof TrainingSettingsSchema>;

/** What a new project starts with: the settings the seed material's examples use (Adam, lr 1e-3, batch 128). */
export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = {
  epochs: F.epochs.default,
  batchSize: F.batchSize.default,
  optimizer: F.optimizer.default,
  learningRate: F.learningRate.default,
  momentum: F.momentum.default,
  validationSplit: F.validationSplit.default,
  seed: F.seed.default,
};

/** Why each field of `settings` is refused, by field (the schema's messages); empty when the settings are valid. */
export function settingsProblems(settings: unknown): Partial<Record<string, string>> {
  const parsed = TrainingSettingsSchema.safeParse(settings);
  const out: Partial<Record<string, string>> = {};
  if (parsed.success) return out;
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '');
    out[key] ??= issue.message;
  }
  return out;
}
