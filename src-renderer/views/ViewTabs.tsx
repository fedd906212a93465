/** The tabs that switch the window's full views; each tooltip names its shortcut. */
import { useTraining } from '../state/training-store';
import { VIEWS, VIEW_INFO, useView, viewShortcut } from '../state/view-store';

export function ViewTabs() {
  const view = useView((s) => s.view);
  // A run going on while another view shows: the Train tab says so.
  const training = useTraining((s) => s.status === 'running' || s.status === 'starting' || s.status === 'paused');
  return (
    <nav className="view-tabs" role="tablist" aria-label="Views">
      {VIEWS.map((v) => (
        <button
          key={v}
          type="button"
          role="tab"
          id={`view-tab-${v}`}
          aria-selected={v === view}
          aria-controls="view-panel"
          className={v === view ? 'active' : ''}
          title={`${VIEW_INFO[v].title}: ${VIEW_INFO[v].about} (${viewShortcut(v)})`}
          data-testid={`view-tab-${v}`}
          onClick={() => useView.getState().show(v)}
        >
          {VIEW_INFO[v].title}
          {v === 'train' && training ? (
            <span className="view-tabs__busy" data-testid="train-busy" title="A run is in progress">
              {' '}●<span className="sr-only"> (a run is in progress)</span>
            </span>
          ) : null}
        </button>
      ))}
    </nav>
  );
}
