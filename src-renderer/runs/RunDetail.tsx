/** One run opened in the Runs view: its curves and its last reconstructions, with its size and data. */
import { useEffect, useState } from 'react';
import type { RunSummary } from '../../src-shared/protocol/studio-api';
import { countNoun } from '../../src-shared/text/count-noun';
import { studio } from '../studio/studio';
import { RunCompareChart } from './RunCompareChart';
import { runTitle } from './run-actions';

/** The run's reconstructions.png as an object URL (both shells: the bytes come through the contract), or why there is none. */
function useReconstructions(run: RunSummary): { url: string | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  const ended = run.status === 'finished' || run.status === 'stopped';
  useEffect(() => {
    if (!ended) return;
    let url: string | null = null;
    let current = true;
    studio()
      .runs.reconstructions(run.runId)
      .then(
        (bytes) => {
          if (!current) return;
          url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
          setState({ url, error: null });
        },
        (e: Error) => current && setState({ url: null, error: e.message }),
      );
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [run.runId, ended]);
  return state;
}

export function RunDetail({ run, onClose }: { run: RunSummary; onClose: () => void }) {
  const recon = useReconstructions(run);
  return (
    <section className="run-detail" aria-label={`Run ${runTitle(run)}`} data-testid="run-detail" data-run={run.runId}>
      <h3>
        {runTitle(run)} <span className={`badge status-${run.status}`}>{run.status}</span>{' '}
        <button type="button" className="link" onClick={onClose} aria-label="Close the run">
          ✕
        </button>
      </h3>
      <p className="muted">
        {countNoun(run.epochs.length, 'epoch')} on {run.dataset}
        {run.paramCount ? ` · ${run.paramCount.toLocaleString('en')} parameters` : ''}
        {run.codeShape ? ` · code ${run.codeShape.join('×')}` : ''}
      </p>
      {run.epochs.length ? <RunCompareChart runs={[run]} /> : <p className="muted">No epoch finished.</p>}
      {recon.url ? (
        <figure className="run-detail__recon">
          <img src={recon.url} alt={`Reconstructions of ${runTitle(run)}: inputs above, outputs below`} data-testid="run-reconstructions" />
          <figcaption className="muted">Validation samples (top row), noised where the graph adds noise, and their reconstructions (bottom row), after the last epoch.</figcaption>
        </figure>
      ) : recon.error ? (
        <p className="muted">{recon.error}</p>
      ) : null}
    </section>
  );
}
