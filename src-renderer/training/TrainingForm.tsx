/**
 * The training settings form, rendered from the field table
 * (src-shared/project/training-fields.ts) as the inspector renders node
 * parameters from the catalog: labels, help, ranges and units are the
 * table's, and a refused value shows the settings schema's own message on
 * its field instead of being dropped. A field that does not apply (momentum
 * without SGD, a schedule's parameters under another schedule) is hidden.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { TRAINING_FIELD_NAMES, isFieldVisible, rangeText, trainingField } from '../../src-shared/project/training-fields';
import type { NumberFieldSpec, TrainingFieldName } from '../../src-shared/project/training-fields';
import { settingsProblems } from '../../src-shared/project/training-settings';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import { useDocument } from '../state/document-store';

/** A setting's value as the form shows it: the stored one, else the field's default (older projects lack the newer settings). */
function shownValue(name: TrainingFieldName, settings: TrainingSettings): unknown {
  return (settings as Record<string, unknown>)[name] ?? trainingField(name).default;
}

/**
 * Why the settings cannot take `patch`, or null: the schema's message for
 * the changed field, else for any rule between fields the change would break
 * (validation split 0 under early stopping). A refused change is not kept,
 * so a saved project always loads again.
 */
export function changeProblem(settings: TrainingSettings, patch: Partial<Record<TrainingFieldName, unknown>>): string | null {
  const before = settingsProblems(settings);
  const after = settingsProblems({ ...settings, ...patch });
  const own = Object.keys(patch).map((k) => after[k]).find((m) => m !== undefined);
  return own ?? Object.entries(after).find(([k, m]) => m !== undefined && before[k] !== m)?.[1] ?? null;
}

/** What typing `text` into number field `name` means: the number, and the schema's message when the settings cannot take it (null: it is kept). */
export function typedNumber(name: TrainingFieldName, text: string, settings: TrainingSettings): { value: number; problem: string | null } {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  return { value, problem: changeProblem(settings, { [name]: Number.isNaN(value) ? text : value }) };
}

interface FieldProps {
  name: TrainingFieldName;
  settings: TrainingSettings;
  /** The schema's message for this field: a change just refused, or the settings as they stand. */
  problem: string | undefined;
  /** Keeps the change, or shows why not on the field. */
  onChange(patch: Partial<TrainingSettings>): void;
}

function NumberInput({ name, settings, problem, onChange, id, describedBy }: FieldProps & { id: string; describedBy: string }) {
  const f = trainingField(name) as NumberFieldSpec;
  const value = shownValue(name, settings);
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const typed = text === String(value) ? null : typedNumber(name, text, settings);
  const shown = typed?.problem ?? problem;
  return (
    <>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        aria-label={f.label}
        aria-describedby={describedBy}
        aria-invalid={!!shown}
        className={shown ? 'invalid' : ''}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          // Kept as soon as it is a value the field takes (Start reads the document); otherwise the message stays until it is.
          const next = typedNumber(name, e.target.value, settings);
          if (!next.problem) onChange({ [name]: next.value }); // the refusal shows from the typed text below
        }}
        onKeyDown={(e) => e.key === 'Escape' && setText(String(value))}
      />
      {shown ? (
        <span className="field__error" role="alert">
          {shown}
        </span>
      ) : null}
    </>
  );
}

/** One field: its label, control, the schema's message when refused, and its help with the range. */
function SettingField(props: FieldProps) {
  const { name, settings, problem, onChange } = props;
  const id = useId();
  const helpId = `${id}-help`;
  const f = trainingField(name);
  const value = shownValue(name, settings);
  const range = f.type === 'int' || f.type === 'float' ? ` (${rangeText(f)}${f.unit ? ` ${f.unit}` : ''})` : '';
  return (
    <div className="field compact" data-setting={name}>
      {f.type === 'bool' ? (
        <label className="field__label">
          <input type="checkbox" aria-label={f.label} aria-describedby={helpId} checked={value === true} onChange={(e) => onChange({ [name]: e.target.checked })} /> {f.label}
        </label>
      ) : (
        <label className="field__label" htmlFor={id}>
          {f.label}
        </label>
      )}
      {f.type === 'enum' ? (
        <select id={id} aria-label={f.label} aria-describedby={helpId} value={String(value)} onChange={(e) => onChange({ [name]: e.target.value })}>
          {f.options.map((o) => (
            <option key={o} value={o}>
              {f.optionLabels[o]}
            </option>
          ))}
        </select>
      ) : f.type === 'bool' ? null : (
        <NumberInput {...props} id={id} describedBy={helpId} />
      )}
      {f.type !== 'int' && f.type !== 'float' && problem ? (
        <span className="field__error" role="alert">
          {problem}
        </span>
      ) : null}
      <span className="field__help" id={helpId}>
        {f.help}
        {range}
      </span>
    </div>
  );
}

/** The form for `settings`: each field that applies, with the schema's messages on the fields they concern. */
export function TrainingFields({ settings, onChange }: { settings: TrainingSettings; onChange(patch: Partial<TrainingSettings>): void }) {
  const problems = useMemo(() => settingsProblems(settings), [settings]);
  const [refused, setRefused] = useState<{ name: TrainingFieldName; message: string } | null>(null);
  const apply = (name: TrainingFieldName) => (patch: Partial<TrainingSettings>) => {
    const problem = changeProblem(settings, patch);
    setRefused(problem ? { name, message: problem } : null);
    if (!problem) onChange(patch);
  };
  return (
    <>
      {TRAINING_FIELD_NAMES.filter((name) => isFieldVisible(name, settings)).map((name) => (
        <SettingField key={name} name={name} settings={settings} problem={refused?.name === name ? refused.message : problems[name]} onChange={apply(name)} />
      ))}
    </>
  );
}

/** The project's training settings, edited in place. */
export function TrainingForm() {
  const settings = useDocument((s) => s.training);
  return <TrainingFields settings={settings} onChange={(patch) => useDocument.getState().setTraining(patch)} />;
}
