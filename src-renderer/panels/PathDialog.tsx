/** Asks for a project path where the shell has no native file dialog (browser mode). */
import { useEffect, useState } from 'react';
import { useUi } from '../state/ui-store';

export function PathDialog() {
  const request = useUi((s) => s.pathRequest);
  const [path, setPath] = useState('');
  useEffect(() => setPath(request?.defaultPath ?? ''), [request]);
  if (!request) return null;
  const answer = useUi.getState().answerPath;
  return (
    <div className="modal" role="dialog" aria-label={request.mode === 'open' ? 'Open project' : 'Save project'}>
      <form
        className="modal__body path-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          answer(path.trim() || null);
        }}
      >
        <h2>{request.mode === 'open' ? 'Open project' : 'Save project as'}</h2>
        <label className="field">
          <span className="field__label">File path on the machine running Autoencoder Studio</span>
          <input type="text" aria-label="File path" autoFocus value={path} onChange={(e) => setPath(e.target.value)} />
        </label>
        {request.recent.length ? (
          <>
            <h3>Recent</h3>
            <ul className="recent">
              {request.recent.map((r) => (
                <li key={r}>
                  <button type="button" onClick={() => (request.mode === 'open' ? answer(r) : setPath(r))}>
                    {r}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <div className="modal__actions">
          <button type="button" onClick={() => answer(null)}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {request.mode === 'open' ? 'Open' : 'Save'}
          </button>
        </div>
      </form>
    </div>
  );
}
