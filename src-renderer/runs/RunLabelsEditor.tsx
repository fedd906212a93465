/** A run's name and notes, edited in place and kept in the run's record. */
import { useState } from 'react';
import type { RunSummary } from '../../src-shared/protocol/studio-api';
import { RUN_NAME_MAX, RUN_NOTES_MAX } from '../../src-shared/run/run-record';
import { annotateRun, runTitle } from './run-actions';

/** The name as a button that turns into a field (Enter or leaving it saves, Escape cancels); the notes below, saved on leaving them. */
export function RunLabelsEditor({ run, onSaved }: { run: RunSummary; onSaved: () => void }) {
  const [name, setName] = useState<string | null>(null);
  const [notes, setNotes] = useState<string | null>(null);
  const title = runTitle(run);
  const locked = run.status === 'running';
  const saveName = async () => {
    if (name === null) return;
    if (name.trim() !== (run.title ?? '') && name.trim() !== title && (await annotateRun(run.runId, { name: name.trim() }))) onSaved();
    setName(null);
  };
  const saveNotes = async () => {
    if (notes === null) return;
    if (notes !== (run.notes ?? '') && (await annotateRun(run.runId, { notes }))) onSaved();
    setNotes(null);
  };
  return (
    <div className="run-labels">
      {name !== null ? (
        <input
          type="text"
          aria-label="Run name"
          autoFocus
          maxLength={RUN_NAME_MAX}
          value={name}
          placeholder="empty: project · dataset · time"
          onChange={(e) => setName(e.target.value)}
          onBlur={() => void saveName()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void saveName();
            if (e.key === 'Escape') setName(null);
          }}
        />
      ) : (
        <button type="button" className="run-labels__name" data-testid="run-name" disabled={locked} title={locked ? 'Rename it once it has ended' : 'Rename this run'} onClick={() => setName(run.title ?? title)}>
          {title}
        </button>
      )}
      {notes !== null ? (
        <textarea aria-label="Run notes" autoFocus maxLength={RUN_NOTES_MAX} rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} onBlur={() => void saveNotes()} />
      ) : run.notes ? (
        <button type="button" className="run-labels__notes" data-testid="run-notes" disabled={locked} title="Edit the notes" onClick={() => setNotes(run.notes ?? '')}>
          {run.notes}
        </button>
      ) : (
        <button type="button" className="link muted" disabled={locked} onClick={() => setNotes('')}>
          + notes
        </button>
      )}
    </div>
  );
}
