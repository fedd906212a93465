/**
 * The kept runs: name and notes (editable), status, when, final losses.
 * Open a run to see its curves and reconstructions; select two or more to
 * compare curves, architectures and settings; export, analyse or reopen any
 * run's graph; resume a run that ended early from its last checkpoint, or
 * continue any run that kept one for more epochs; delete a run. A run whose
 * record cannot be read is listed with which file is wrong and why.
 */
import { useEffect, useState } from 'react';
import type { RunSummary } from '../../src-shared/protocol/studio-api';
import { countNoun } from '../../src-shared/text/count-noun';
import { useAnalysis } from '../analysis/analysis-store';
import { useDocument } from '../state/document-store';
import { useTraining } from '../state/training-store';
import { useUi } from '../state/ui-store';
import { studio } from '../studio/studio';
import { ExportButton } from '../training/ExportButton';
import { RunCompare } from './RunCompare';
import { RunDetail } from './RunDetail';
import { RunLabelsEditor } from './RunLabelsEditor';
import { followProjectRuns, openRun, showRun } from './run-actions';
import './runs.css';

const last = (r: RunSummary) => r.epochs.at(-1);
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toPrecision(4));
followProjectRuns(); // New and Open start with the new project's runs, not the last run's dashboard

/** "Continue +N": trains a run that kept its checkpoint for N more epochs (finished and early-stopped runs too), in its own folder. */
function ContinueRun({ run, busy, onContinue }: { run: RunSummary; busy: boolean; onContinue(moreEpochs: number): void }) {
  const [more, setMore] = useState(5);
  const valid = Number.isInteger(more) && more >= 1 && more <= 10000;
  return (
    <span className="runs__continue">
      <input type="number" aria-label={`More epochs for ${run.name} ${run.runId.slice(0, 6)}`} min={1} max={10000} step={1} value={more} aria-invalid={!valid} onChange={(e) => setMore(Number(e.target.value))} style={{ width: '4.5em' }} />
      <button type="button" data-testid="continue-run" disabled={busy || !valid} onClick={() => onContinue(more)} title={valid ? `Train ${countNoun(more, 'more epoch')} after epoch ${run.epochs.length}` : 'More epochs must be a whole number from 1 to 10000'}>
        Continue
      </button>
    </span>
  );
}

export function RunsPanel() {
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [allProjects, setAllProjects] = useState(false);
  /** The run opened in this view (curves, reconstructions), and the run whose export form is open. */
  const [opened, setOpened] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const project = useDocument((s) => s.name);
  const status = useTraining((s) => s.status);
  const refresh = () => void studio().runs.list().then(setRuns, (e: Error) => useUi.getState().notify('error', e.message));
  useEffect(refresh, [status]); // a run that ends appears in the list

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const open = (r: RunSummary) => {
    setOpened(r.runId);
    showRun(r);
  };
  const resume = async (id: string, moreEpochs?: number) => {
    // The dashboard follows the resumed run as it follows a new one; its graph is the run's, not the canvas's.
    useTraining.setState({ status: 'starting', started: null, progress: null, epochs: [], batchLoss: [], reconstructions: null, latent: null, error: null, graphVersion: -1 });
    try {
      const runId = await studio().runs.resume(id, moreEpochs !== undefined ? { moreEpochs } : undefined);
      useTraining.setState((s) => ({ runId, status: s.status === 'starting' ? 'running' : s.status }));
    } catch (e) {
      useTraining.setState({ status: 'failed', error: { message: (e as Error).message, hint: 'The run folder may have been changed; train again.' } });
      useUi.getState().notify('error', (e as Error).message);
    }
  };
  const remove = async (id: string) => {
    if (!(await useUi.getState().askConfirm({ title: 'Delete this run?', message: 'Delete this run and all its files? This cannot be undone.', confirm: 'Delete run' }))) return;
    await studio().runs.delete(id);
    setSelected((s) => s.filter((x) => x !== id));
    refresh();
  };
  const shown = allProjects ? runs : runs.filter((r) => r.name === project);
  const compared = shown.filter((r) => selected.includes(r.runId));
  const openedRun = runs.find((r) => r.runId === opened) ?? null;
  const ended = (r: RunSummary) => r.status === 'finished' || r.status === 'stopped';

  return (
    <section className="runs" aria-label="Runs">
      <h2>
        Runs <span className="muted">{shown.length || 'none yet'}</span>
      </h2>
      <label className="muted">
        <input type="checkbox" checked={allProjects} onChange={(e) => setAllProjects(e.target.checked)} /> every project ({runs.length}), not only “{project}”
      </label>
      <table className="runs__table">
        <tbody>
          {shown.map((r) => (
            <tr key={r.runId} data-testid="run-row" data-run={r.runId}>
              <td>
                <input type="checkbox" aria-label={`Compare ${r.name} ${r.runId.slice(0, 6)}`} checked={selected.includes(r.runId)} onChange={() => toggle(r.runId)} />
              </td>
              <td title={r.error ?? ''}>
                <RunLabelsEditor run={r} onSaved={refresh} /> <span className={`badge status-${r.status}`}>{r.status}</span>
                <div className="muted">
                  {allProjects ? `${r.name} · ` : ''}
                  {r.dataset} · {r.finishedAt ? new Date(r.finishedAt).toLocaleString() : ''} · {countNoun(r.epochs.length, 'epoch')} · val {fmt(last(r)?.valLoss)}
                </div>
                {r.stopText ? (
                  <div className="muted" data-testid="run-stop">
                    {r.stopText}
                  </div>
                ) : null}
                {r.error ? (
                  <div className="runs__error" data-testid="run-error">
                    {r.error}
                  </div>
                ) : null}
              </td>
              <td className="runs__actions">
                <button type="button" data-testid="open-run" aria-pressed={opened === r.runId} onClick={() => open(r)} title="Show this run's curves and reconstructions">
                  Open
                </button>
                {ended(r) ? (
                  <button type="button" data-testid="export-run" aria-expanded={exporting === r.runId} onClick={() => setExporting(exporting === r.runId ? null : r.runId)} title="Export the trained model (TF.js, ONNX, Keras)">
                    Export…
                  </button>
                ) : null}
                {r.status === 'finished' || r.status === 'stopped' ? (
                  <button type="button" data-testid="analyze-run" onClick={() => useAnalysis.getState().open(r)} title="Denoising, PCA comparison, anomalies, features, compression, latent explorer">
                    Analyse
                  </button>
                ) : null}
                {r.resumable ? (
                  <button type="button" data-testid="resume-run" disabled={status === 'running' || status === 'starting' || status === 'paused'} onClick={() => void resume(r.runId)} title={`Continue from epoch ${r.epochs.length} to ${String(r.settings.epochs ?? '?')}`}>
                    Resume
                  </button>
                ) : null}
                {r.continuable ? <ContinueRun run={r} busy={status === 'running' || status === 'starting' || status === 'paused'} onContinue={(n) => void resume(r.runId, n)} /> : null}
                {r.hasProject ? (
                  <button type="button" data-testid="reopen-run" onClick={() => void openRun(r).then(() => setOpened(r.runId))} title="Open this run's graph as a new project, with its curves">
                    Open graph
                  </button>
                ) : null}
                <button type="button" disabled={r.status === 'running'} onClick={() => void remove(r.runId)} title={r.status === 'running' ? 'Stop the run before deleting it' : 'Delete this run'}>
                  Delete
                </button>
                {exporting === r.runId ? <ExportButton runId={r.runId} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {openedRun ? <RunDetail run={openedRun} onClose={() => setOpened(null)} /> : null}
      {compared.length >= 2 ? (
        <RunCompare runs={compared} />
      ) : shown.length >= 2 ? (
        <p className="muted">Tick two or more runs to compare them.</p>
      ) : null}
    </section>
  );
}
