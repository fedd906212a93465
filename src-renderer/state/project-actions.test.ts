/**
 * "Discard changes?" is asked in the window: the question waits in the UI
 * store for the in-app dialog's answer, and nothing calls the browser's
 * confirm() (this runs in Node, where there is no window to call it on).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { TEMPLATES } from '../templates';
import { useDocument } from './document-store';
import { confirmDiscard, newDocument } from './project-actions';
import { useUi } from './ui-store';

const vanilla = () => structuredClone(TEMPLATES[0].project);

describe('discarding unsaved changes', () => {
  beforeEach(() => {
    useDocument.getState().load(vanilla(), null);
    useUi.setState({ confirmRequest: null, gallery: false });
  });

  it('goes ahead without asking when nothing is unsaved', async () => {
    await expect(confirmDiscard()).resolves.toBe(true);
    expect(useUi.getState().confirmRequest).toBeNull();
  });

  it('asks in the app and keeps the work when the person cancels', async () => {
    useDocument.getState().setTraining({ epochs: 7 });
    const asked = newDocument({ ...vanilla(), name: 'Other' });
    const request = useUi.getState().confirmRequest;
    expect(request).toMatchObject({ title: 'Discard changes?', confirm: 'Discard changes' });
    expect(request!.message).toContain('has unsaved changes');
    useUi.getState().answerConfirm(false);
    await asked;
    expect(useDocument.getState().training.epochs).toBe(7);
    expect(useUi.getState().confirmRequest).toBeNull();
  });

  it('replaces the document when the person discards', async () => {
    useDocument.getState().setTraining({ epochs: 7 });
    const asked = newDocument({ ...vanilla(), name: 'Other' });
    useUi.getState().answerConfirm(true);
    await asked;
    expect(useDocument.getState().name).toBe('Other');
  });
});
