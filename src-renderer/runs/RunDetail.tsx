/** One run opened in the Runs view: its curves and its last reconstructions, with its notes and where its files are. */
import type { RunSummary } from '../../src-shared/protocol/studio-api';
import { runFileHref } from '../../src-shared/protocol/run-files';
import { countNoun } from '../../src-shared/text/count-noun';
import { downloadToken } from '../studio/studio';
import { RunCompareChart } from './RunCompareChart';
import { runTitle } from './run-actions';

/** The reconstructions the trainer writes into a finished or stopped run's folder. */
const RECONSTRUCTIONS_FILE = 'reconstructions.png';

export function RunDetail({ run, onClose }: { run: RunSummary; onClose: () => void }) {
  const token = downloadToken();
  const ended = run.status === 'finished' || run.status === 'stopped';
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
      {ended && token !== null ? (
        <figure className="run-detail__recon">
          <img src={runFileHref({ runId: run.runId, file: RECONSTRUCTIONS_FILE, token })} alt={`Reconstructions of ${runTitle(run)}: inputs above, outputs below`} data-testid="run-reconstructions" />
          <figcaption className="muted">Validation samples (top row), noised where the graph adds noise, and their reconstructions (bottom row), after the last epoch.</figcaption>
        </figure>
      ) : ended ? (
        <p className="muted">Reconstructions: {RECONSTRUCTIONS_FILE} in the run’s folder.</p>
      ) : null}
    </section>
  );
}
