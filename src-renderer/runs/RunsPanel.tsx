/**
 * The kept runs: status, when, final losses. Select two or more to overlay
 * their loss curves and see their settings side by side; reopen a run's
 * graph as a new project; resume a run that ended early from its last
 * checkpoint, or continue any run that kept one for more epochs; delete a run. A run whose record cannot be read is listed
 * with which file is wrong and why.
 */
import { useEffect, useState } from 'react';
import { parseProject } from '../../src-shared/project/project-file';
import type { RunSummary } from '../../src-shared/protocol/studio-api';
import { countNoun } from '../../src-shared/text/count-noun';
import { useAnalysis } from '../analysis/analysis-store';
import { useDocument } from '../state/document-store';
import { newDocument } from '../state/project-actions';
import { useTraining } from '../state/training-store';
import { useUi } from '../state/ui-store';
import { studio } from '../studio/studio';
import { RunCompareChart } from './RunCompareChart';

const last = (r: RunSummary) => r.epochs.at(-1);
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toPrecision(4));
const SETTINGS = ['epochs', 'batchSize', 'optimizer', 'learningRate', 'validationSplit', 'seed', 'pretrain'] as const;

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
  const project = useDocument((s) => s.name);
  const status = useTraining((s) => s.status);
  const refresh = () => void studio().runs.list().then(setRuns, (e: Error) => useUi.getState().notify('error', e.message));
  useEffect(refresh, [status]); // a run that ends appears in the list

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const reopen = async (id: string) => {
    const loaded = parseProject(await studio().runs.project(id), 'the run\'s project');
    if (loaded.ok) await newDocument(loaded.project);
    else useUi.getState().notify('error', loaded.error);
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
                {r.name} <span className={`badge status-${r.status}`}>{r.status}</span>
                <div className="muted">
                  {r.finishedAt ? new Date(r.finishedAt).toLocaleString() : ''} · {countNoun(r.epochs.length, 'epoch')} · val {fmt(last(r)?.valLoss)}
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
                  <button type="button" onClick={() => void reopen(r.runId)} title="Open this run's graph as a new project">
                    Open graph
                  </button>
                ) : null}
                <button type="button" disabled={r.status === 'running'} onClick={() => void remove(r.runId)} title={r.status === 'running' ? 'Stop the run before deleting it' : 'Delete this run'}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {compared.length >= 2 ? (
        <div className="runs__compare" data-testid="run-compare">
          <RunCompareChart runs={compared} />
          <table className="runs__settings">
            <thead>
              <tr>
                <th />
                {compared.map((r) => (
                  <th key={r.runId}>{r.runId.slice(0, 6)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {SETTINGS.map((k) => (
                <tr key={k} className={new Set(compared.map((r) => String(r.settings[k]))).size > 1 ? 'differs' : ''}>
                  <th>{k}</th>
                  {compared.map((r) => (
                    <td key={r.runId}>{String(r.settings[k] ?? '—')}</td>
                  ))}
                </tr>
              ))}
              <tr>
                <th>final val loss</th>
                {compared.map((r) => (
                  <td key={r.runId}>{fmt(last(r)?.valLoss)}</td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      ) : shown.length >= 2 ? (
        <p className="muted">Tick two or more runs to compare them.</p>
      ) : null}
    </section>
  );
}
