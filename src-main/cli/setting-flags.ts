/**
 * `aestudio train`'s flags for training settings, made from the field table
 * (src-shared/project/training-fields.ts): the flag names, their help and
 * the parsing of their values. Ranges are checked by the settings schema once
 * the flags are merged into the project's settings, so the CLI reports the
 * same message as the training form.
 */
import { TRAINING_FIELDS, TRAINING_FIELD_NAMES, trainingField } from '../../src-shared/project/training-fields';
import type { TrainingFieldName } from '../../src-shared/project/training-fields';
import type { TrainingSettings } from '../../src-shared/project/training-settings';

/** The fields that have a flag, by flag. */
const BY_FLAG = new Map(TRAINING_FIELD_NAMES.flatMap((name) => {
  const cli = trainingField(name).cli;
  return cli ? [[cli, name] as const] : [];
}));

/** parseArgs' entries for the settings' flags (booleans are switches, the rest take a value). */
export const SETTING_FLAG_OPTIONS: Record<string, { type: 'string' } | { type: 'boolean' }> = Object.fromEntries([...BY_FLAG].map(([flag, name]) => [flag, { type: trainingField(name).type === 'bool' ? 'boolean' : 'string' }]));

/** The flag of a field, for messages ("--lr-factor"), or null when it has none. */
export function flagOf(field: string): string | null {
  const f = (TRAINING_FIELDS as Record<string, { cli?: string }>)[field];
  return f?.cli ? `--${f.cli}` : null;
}

/** The settings the given flags set (values parsed by type, ranges left to the schema), or what is wrong with one. */
export function settingOverrides(values: Readonly<Record<string, unknown>>): { ok: true; overrides: Partial<TrainingSettings> } | { ok: false; error: string } {
  const overrides: Partial<Record<TrainingFieldName, unknown>> = {};
  for (const [flag, name] of BY_FLAG) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const f = trainingField(name);
    if (f.type === 'bool') overrides[name] = raw === true;
    else if (f.type === 'enum') {
      if (!f.options.includes(String(raw))) return { ok: false, error: `--${flag} must be one of ${f.options.join(', ')}, not "${String(raw)}".` };
      overrides[name] = String(raw);
    } else {
      const n = Number(raw);
      if (String(raw).trim() === '' || !Number.isFinite(n)) return { ok: false, error: `--${flag} must be a number, not "${String(raw)}".` };
      overrides[name] = n;
    }
  }
  return { ok: true, overrides: overrides as Partial<TrainingSettings> };
}
