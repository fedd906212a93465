/**
 * The in-app yes/no question (ui-store's askConfirm). Keyboard first: focus
 * starts on Cancel, the safe answer, so Enter or Escape keeps the work; Tab
 * and Shift+Tab stay inside the dialog; keys pressed here never reach the
 * editor's shortcuts (Delete would delete nodes behind it); focus returns to
 * where it was when the dialog closes.
 */
import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { useUi } from '../state/ui-store';

export function ConfirmDialog() {
  const request = useUi((s) => s.confirmRequest);
  const body = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!request) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    cancel.current?.focus();
    return () => before?.focus();
  }, [request]);

  if (!request) return null;
  const answer = useUi.getState().answerConfirm;
  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      answer(false);
    } else if (e.key === 'Tab') {
      const buttons = [...(body.current?.querySelectorAll('button') ?? [])];
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      e.preventDefault();
      buttons[(at + (e.shiftKey ? -1 : 1) + buttons.length) % buttons.length]?.focus();
    }
  };
  return (
    <div className="modal" onKeyDown={onKeyDown}>
      <div className="modal__body" ref={body} role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-message">
        <h2 id="confirm-title">{request.title}</h2>
        <p id="confirm-message">{request.message}</p>
        <div className="modal__actions">
          <button type="button" ref={cancel} onClick={() => answer(false)}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => answer(true)}>
            {request.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
