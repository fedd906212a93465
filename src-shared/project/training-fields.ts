/**
 * How each training setting is shown, explained and checked: label, help,
 * unit, range, default, when it applies, and its command-line flag. The
 * settings schema (training-settings.ts) builds its checks and messages from
 * this table, the training form renders its fields from it, and the CLI's
 * help and flags derive from it, so a range is written once.
 */
import { z } from 'zod';

/** Optimizers the trainer offers. */
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;

/** Learning-rate schedules: constant; ×factor after `lrPatience` epochs without improvement; cosine down to the minimum over the run's epochs; ×factor every `lrStepEvery` epochs. */
export const LR_SCHEDULES = ['none', 'plateau', 'cosine', 'step'] as const;
/** One of {@link LR_SCHEDULES}. */
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** The values a field's `visible` rule may look at (the settings as they stand, any of them absent in older files). */
export type SettingsView = Readonly<Record<string, unknown>>;

interface FieldBase {
  label: string;
  /** One sentence under the field and in `aestudio --help`. */
  help: string;
  /** The flag of `aestudio train` that sets it (absent: the project file only). */
  cli?: string;
  /** Whether the field is in effect given the other settings (absent: always). */
  visible?: (s: SettingsView) => boolean;
}

/** A number within a range (whole with `int`); `minExclusive` makes `min` itself out of range. */
export interface NumberFieldSpec extends FieldBase {
  type: 'int' | 'float';
  min: number;
  max: number;
  minExclusive?: boolean;
  default: number;
  /** Shown after the range, e.g. "epochs". */
  unit?: string;
}

/** One of a fixed set of words, each with what it means to a person. */
export interface EnumFieldSpec extends FieldBase {
  type: 'enum';
  options: readonly string[];
  optionLabels: Readonly<Record<string, string>>;
  default: string;
}

/** On or off. */
export interface BoolFieldSpec extends FieldBase {
  type: 'bool';
  default: boolean;
}

/** Any field. */
export type TrainingFieldSpec = NumberFieldSpec | EnumFieldSpec | BoolFieldSpec;

const scheduleIs = (...kinds: LrSchedule[]) => (s: SettingsView) => kinds.includes((s.lrSchedule ?? 'none') as LrSchedule);
const earlyStoppingOn = (s: SettingsView) => s.earlyStopping === true;

/** The fields of the training form, in the order it shows them. */
export const TRAINING_FIELDS = {
  epochs: { type: 'int', label: 'Epochs', help: 'Passes over the training split.', min: 1, max: 10000, default: 10, unit: 'epochs' },
  batchSize: { type: 'int', label: 'Batch size', help: 'Samples per gradient step.', min: 1, max: 65536, default: 128, unit: 'samples' },
  optimizer: { type: 'enum', label: 'Optimizer', help: 'How each step follows the gradient.', options: OPTIMIZERS, optionLabels: { adam: 'Adam', sgd: 'SGD (with momentum)', rmsprop: 'RMSprop' }, default: 'adam' },
  learningRate: { type: 'float', label: 'Learning rate', help: 'The step size (the starting one when a schedule changes it).', min: 0, minExclusive: true, max: 10, default: 0.001 },
  momentum: { type: 'float', label: 'Momentum', help: 'How much of the previous step SGD keeps (0: plain SGD).', min: 0, max: 0.999, default: 0.9, visible: (s) => s.optimizer === 'sgd' },
  validationSplit: { type: 'float', label: 'Validation split', help: 'Fraction of samples held out to measure the validation loss.', min: 0, max: 0.9, default: 0.1 },
  seed: { type: 'int', label: 'Seed', help: 'Seeds initialisation, split, shuffling and noise: same seed, same backend, same losses.', min: 0, max: 2 ** 31 - 1, default: 42 },
  lrSchedule: {
    type: 'enum',
    label: 'Learning-rate schedule',
    help: 'How the learning rate changes from epoch to epoch.',
    cli: 'lr-schedule',
    options: LR_SCHEDULES,
    optionLabels: { none: 'Constant', plateau: 'Reduce on plateau', cosine: 'Cosine', step: 'Step' },
    default: 'none',
  },
  lrFactor: { type: 'float', label: 'Learning-rate factor', help: 'What the learning rate is multiplied by at each reduction.', cli: 'lr-factor', min: 0.01, max: 0.99, default: 0.5, visible: scheduleIs('plateau', 'step') },
  lrPatience: { type: 'int', label: 'Plateau patience', help: 'Epochs without improvement of the validation loss before the learning rate is reduced.', cli: 'lr-patience', min: 1, max: 1000, default: 3, unit: 'epochs', visible: scheduleIs('plateau') },
  lrStepEvery: { type: 'int', label: 'Step every', help: 'The learning rate is multiplied by the factor after every this many epochs.', cli: 'lr-step-every', min: 1, max: 10000, default: 10, unit: 'epochs', visible: scheduleIs('step') },
  minLearningRate: { type: 'float', label: 'Minimum learning rate', help: 'The learning rate never goes below this (cosine ends its last epoch at it).', cli: 'min-lr', min: 0, max: 10, default: 0.000001, visible: scheduleIs('plateau', 'cosine') },
  earlyStopping: { type: 'bool', label: 'Stop early', help: 'Stop when the validation loss has not improved for a number of epochs.', cli: 'early-stopping', default: false },
  earlyStopPatience: { type: 'int', label: 'Patience', help: 'Epochs without improvement of the validation loss before training stops.', cli: 'patience', min: 1, max: 10000, default: 5, unit: 'epochs', visible: earlyStoppingOn },
  minDelta: {
    type: 'float',
    label: 'Minimum improvement',
    help: 'A validation loss counts as better only when it is below the best so far by more than this (early stopping, plateau and best epoch).',
    cli: 'min-delta',
    min: 0,
    max: 1_000_000,
    default: 0,
    visible: (s) => earlyStoppingOn(s) || scheduleIs('plateau')(s) || s.keepBest === true,
  },
  keepBest: { type: 'bool', label: 'Keep the best epoch', help: 'The saved model and every export get the weights of the epoch with the lowest validation loss, not the last.', cli: 'keep-best', default: false },
} as const satisfies Record<string, TrainingFieldSpec>;

/** A field's name. */
export type TrainingFieldName = keyof typeof TRAINING_FIELDS;

/** The fields in the form's order. */
export const TRAINING_FIELD_NAMES = Object.keys(TRAINING_FIELDS) as TrainingFieldName[];

/** The field's spec by name, widened for readers that treat every field alike. */
export function trainingField(name: TrainingFieldName): TrainingFieldSpec {
  return TRAINING_FIELDS[name];
}

/** "a whole number from 1 to 10000", "a number above 0, at most 10": the range in words, for messages and help. */
export function rangeText(f: NumberFieldSpec): string {
  const kind = f.type === 'int' ? 'a whole number' : 'a number';
  return f.minExclusive ? `${kind} above ${f.min}, at most ${f.max}` : `${kind} from ${f.min} to ${f.max}`;
}

/** The one message of a field whose value is refused (the schema's, so the form and the CLI say the same). */
export function fieldMessage(f: TrainingFieldSpec): string {
  switch (f.type) {
    case 'int':
    case 'float':
      return `${f.label} must be ${rangeText(f)}`;
    case 'enum':
      return `${f.label} must be one of ${f.options.join(', ')}`;
    case 'bool':
      return `${f.label} must be on or off (true or false)`;
  }
}

/** A number field's zod check, every refusal carrying the field's message. */
export function numberSchema(f: NumberFieldSpec): z.ZodNumber {
  const error = fieldMessage(f);
  let s = z.number({ error }).max(f.max, { error });
  s = f.minExclusive ? s.gt(f.min, { error }) : s.min(f.min, { error });
  return f.type === 'int' ? s.int({ error }) : s;
}

/** An enum field's zod check with the field's message. */
export function enumSchema<const T extends readonly [string, ...string[]]>(f: EnumFieldSpec & { options: T }): z.ZodEnum<{ [K in T[number]]: K }> {
  return z.enum(f.options, { error: fieldMessage(f) });
}

/** A bool field's zod check with the field's message. */
export function boolSchema(f: BoolFieldSpec): z.ZodBoolean {
  return z.boolean({ error: fieldMessage(f) });
}

/** Whether a field is in effect given the settings as they stand. */
export function isFieldVisible(name: TrainingFieldName, settings: SettingsView): boolean {
  const f: TrainingFieldSpec = TRAINING_FIELDS[name];
  return f.visible ? f.visible(settings) : true;
}

/** The CLI help lines of the fields that have a flag: `--flag VALUE  help (range; default)`. */
export function trainingFlagsHelp(indent: string): string {
  return TRAINING_FIELD_NAMES.map((name) => {
    const f: TrainingFieldSpec = TRAINING_FIELDS[name];
    if (!f.cli) return '';
    const arg = f.type === 'bool' ? `--${f.cli}` : `--${f.cli} ${f.type === 'enum' ? f.options.join('|') : f.type === 'int' ? 'N' : 'X'}`;
    const range = f.type === 'enum' ? f.options.map((o) => `${o}: ${f.optionLabels[o]}`).join('; ') : f.type === 'bool' ? 'off unless given' : `${rangeText(f)}${f.unit ? ` ${f.unit}` : ''}`;
    return `${indent}${arg}\n${indent}${' '.repeat(17)}${f.label}: ${f.help} (${range}; default: the project's, else ${String(f.default)}).\n`;
  }).join('');
}
