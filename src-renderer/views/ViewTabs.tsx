/** The tabs that switch the window's full views; each tooltip names its shortcut. */
import { VIEWS, VIEW_INFO, useView, viewShortcut } from '../state/view-store';

export function ViewTabs() {
  const view = useView((s) => s.view);
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
        </button>
      ))}
    </nav>
  );
}
