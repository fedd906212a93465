/** The training form as markup (server rendering: no DOM needed): fields, ranges and messages come from the settings schema and its field table. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TRAINING_FIELDS } from '../../src-shared/project/training-fields';
import { DEFAULT_TRAINING_SETTINGS, TrainingSettingsSchema } from '../../src-shared/project/training-settings';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import { TrainingFields, changeProblem, typedNumber } from './TrainingForm';

const render = (settings: TrainingSettings) => renderToStaticMarkup(<TrainingFields settings={settings} onChange={() => undefined} />);
/** The schema's own message for a field of these settings. */
const schemaMessage = (settings: unknown, field: string) => TrainingSettingsSchema.safeParse(settings).error?.issues.find((i) => i.path[0] === field)?.message;
/** The markup of one field (its data-setting block). */
const fieldHtml = (html: string, name: string) => new RegExp(`<div class="field compact" data-setting="${name}">(.*?)</div>`).exec(html)?.[1] ?? '';

describe('training form', () => {
  it("shows the schema's message on the field of an out-of-range value, not a silent refusal", () => {
    const settings = { ...DEFAULT_TRAINING_SETTINGS, lrSchedule: 'plateau', lrFactor: 2 } as TrainingSettings;
    const message = schemaMessage(settings, 'lrFactor');
    expect(message).toBe('Learning-rate factor must be a number from 0.01 to 0.99');
    const field = fieldHtml(render(settings), 'lrFactor');
    expect(field).toContain(`<span class="field__error" role="alert">${message}</span>`);
    expect(field).toContain('aria-invalid="true"');
    expect(fieldHtml(render({ ...settings, lrFactor: 0.5 }), 'lrFactor')).not.toContain('field__error');
  });

  it('what is typed into a number field is checked by the schema: its message until it is in range', () => {
    expect(typedNumber('epochs', '0', DEFAULT_TRAINING_SETTINGS)).toEqual({ value: 0, problem: schemaMessage({ ...DEFAULT_TRAINING_SETTINGS, epochs: 0 }, 'epochs') });
    expect(typedNumber('epochs', '2.5', DEFAULT_TRAINING_SETTINGS).problem).toBe('Epochs must be a whole number from 1 to 10000');
    expect(typedNumber('learningRate', 'fast', DEFAULT_TRAINING_SETTINGS).problem).toBe('Learning rate must be a number above 0, at most 10');
    expect(typedNumber('epochs', '25', DEFAULT_TRAINING_SETTINGS)).toEqual({ value: 25, problem: null });
  });

  it('a change that would break a rule between fields is refused with its message, so a saved project always loads again', () => {
    const watching: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, earlyStopping: true };
    expect(typedNumber('validationSplit', '0', watching).problem).toBe('Early stopping watches the validation loss: set a validation split above 0');
    expect(typedNumber('validationSplit', '0', DEFAULT_TRAINING_SETTINGS).problem).toBeNull();
    expect(changeProblem({ ...DEFAULT_TRAINING_SETTINGS, validationSplit: 0 }, { keepBest: true })).toBe('Keeping the best epoch watches the validation loss: set a validation split above 0');
    expect(changeProblem(DEFAULT_TRAINING_SETTINGS, { lrSchedule: 'cosine', minLearningRate: 0.5 })).toBe('Minimum learning rate must be below the learning rate (0.001)');
    expect(changeProblem(DEFAULT_TRAINING_SETTINGS, { lrSchedule: 'plateau' })).toBeNull();
  });

  it('settings that break a rule between fields show it on the field to change', () => {
    const settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, earlyStopping: true, validationSplit: 0 };
    expect(fieldHtml(render(settings), 'earlyStopping')).toContain('Early stopping watches the validation loss: set a validation split above 0');
    const cosine: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, lrSchedule: 'cosine', minLearningRate: 0.01 };
    expect(fieldHtml(render(cosine), 'minLearningRate')).toContain('Minimum learning rate must be below the learning rate (0.001)');
  });

  it('renders the fields that apply, each with its label, help and range from the table; an older project shows the defaults', () => {
    const html = render(DEFAULT_TRAINING_SETTINGS); // no schedule, early-stopping or keep-best settings: a project from before them
    for (const name of ['epochs', 'batchSize', 'optimizer', 'learningRate', 'validationSplit', 'seed', 'lrSchedule', 'earlyStopping', 'keepBest'] as const) {
      const field = fieldHtml(html, name);
      expect(field, name).toContain(TRAINING_FIELDS[name].label);
      expect(field, name).toContain(TRAINING_FIELDS[name].help);
    }
    expect(fieldHtml(html, 'epochs')).toContain('(a whole number from 1 to 10000 epochs)');
    expect(fieldHtml(html, 'lrSchedule')).toMatch(/<option value="none" selected="">Constant<\/option>/);
    for (const hidden of ['momentum', 'lrFactor', 'lrPatience', 'lrStepEvery', 'minLearningRate', 'earlyStopPatience', 'minDelta']) expect(html, hidden).not.toContain(`data-setting="${hidden}"`);
    const step = render({ ...DEFAULT_TRAINING_SETTINGS, optimizer: 'sgd', lrSchedule: 'step', earlyStopping: true });
    for (const shown of ['momentum', 'lrFactor', 'lrStepEvery', 'earlyStopPatience', 'minDelta']) expect(step, shown).toContain(`data-setting="${shown}"`);
    expect(fieldHtml(step, 'lrStepEvery')).toContain('value="10"'); // absent: the field's default
  });
});
