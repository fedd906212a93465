/** Pieces every analysis panel shares: the run button with its busy bar, and number formatting. */
import type { ReactNode } from 'react';
import type { AnalysisTask } from '../../src-shared/analysis/analysis-messages';
import { useAnalysis } from './analysis-store';

/** A figure with a few significant digits, or a dash. */
export const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined || Number.isNaN(v) ? '—' : Number.isFinite(v) ? v.toPrecision(digits) : '∞');
/** A fraction as a percentage. */
export const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${(v * 100).toFixed(1)} %`);

/** The controls row of a panel: its options, then Run (disabled while any analysis runs), and a busy bar. */
export function Controls({ task, onRun, children, label = 'Run' }: { task: AnalysisTask; onRun: () => void; children?: ReactNode; label?: string }) {
  const busy = useAnalysis((s) => s.busy);
  return (
    <div className="analysis__controls">
      {children}
      <button type="button" className="primary" data-testid={`analyze-${task}`} disabled={busy !== null} onClick={onRun}>
        {busy === task ? 'Working…' : label}
      </button>
      {busy === task ? <progress className="analysis__busy" aria-label="Analysing" /> : null}
    </div>
  );
}

/** A two-column comparison table: rows of [what, a, b], the better value of each row marked. */
export function CompareTable({ head, rows, testId }: { head: [string, string]; rows: { name: string; a: number | null; b: number | null; better?: 'higher' | 'lower'; fmt?: (v: number | null) => string }[]; testId?: string }) {
  return (
    <table className="compare" data-testid={testId}>
      <thead>
        <tr>
          <th />
          <th>{head[0]}</th>
          <th>{head[1]}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const f = r.fmt ?? ((v: number | null) => num(v));
          const win = r.better && r.a !== null && r.b !== null && r.a !== r.b ? ((r.better === 'higher') === r.a > r.b ? 'a' : 'b') : null;
          return (
            <tr key={r.name}>
              <th>{r.name}</th>
              <td className={win === 'a' ? 'better' : ''}>{f(r.a)}</td>
              <td className={win === 'b' ? 'better' : ''}>{f(r.b)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
