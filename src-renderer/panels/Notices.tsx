/** Messages for the person: saved, opened, and errors that say what to try (dismissed by click). */
import { useUi } from '../state/ui-store';

export function Notices() {
  const notices = useUi((s) => s.notices);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <button key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} onClick={() => useUi.getState().dismiss(n.id)}>
          {n.text}
        </button>
      ))}
    </div>
  );
}
