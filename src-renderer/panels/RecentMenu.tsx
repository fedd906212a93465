/** Recently opened and saved projects, one click away in the toolbar. */
import { useState } from 'react';
import { openDocument } from '../state/project-actions';
import { studio } from '../studio/studio';

export function RecentMenu() {
  const [recent, setRecent] = useState<string[]>([]);
  return (
    <select
      aria-label="Recent projects"
      className="recent-menu"
      value=""
      onFocus={() => void studio().project.recent().then(setRecent)}
      onMouseDown={() => void studio().project.recent().then(setRecent)}
      onChange={(e) => e.target.value && void openDocument(e.target.value)}
    >
      <option value="">Recent…</option>
      {recent.map((p) => (
        <option key={p} value={p}>
          {p.split(/[\\/]/).pop()} — {p}
        </option>
      ))}
    </select>
  );
}
