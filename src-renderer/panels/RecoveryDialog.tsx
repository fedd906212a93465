/** Offers back the unsaved work a crashed session left in the recovery file. */
import { parseProject } from '../../src-shared/project/project-file';
import { useDocument } from '../state/document-store';
import { useUi } from '../state/ui-store';
import { studio } from '../studio/studio';

export function RecoveryDialog() {
  const recovery = useUi((s) => s.recovery);
  if (!recovery) return null;
  const loaded = parseProject(recovery.text, 'the recovery file');
  const close = () => useUi.getState().offerRecovery(null);
  return (
    <div className="modal" role="dialog" aria-label="Recover unsaved work">
      <div className="modal__body">
        <h2>Recover unsaved work?</h2>
        <p>
          Autosave kept unsaved changes to <strong>{loaded.ok ? loaded.project.name : 'a project'}</strong>
          {recovery.filePath ? ` (${recovery.filePath})` : ''} from {new Date(recovery.savedAt).toLocaleString()}; the app did not close normally.
        </p>
        {!loaded.ok ? <p className="field__error">{loaded.error}</p> : null}
        <div className="modal__actions">
          <button
            type="button"
            onClick={() => {
              void studio().project.writeRecovery(null);
              close();
            }}
          >
            Discard
          </button>
          <button
            type="button"
            className="primary"
            disabled={!loaded.ok}
            onClick={() => {
              if (loaded.ok) useDocument.getState().load(loaded.project, recovery.filePath, true);
              close();
            }}
          >
            Recover
          </button>
        </div>
      </div>
    </div>
  );
}
