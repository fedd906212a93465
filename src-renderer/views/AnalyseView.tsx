/** The Analyse view: the analyses of the run chosen in Runs, or the way there. */
import { useAnalysis } from '../analysis/analysis-store';
import { AnalysisWorkspace } from '../analysis/AnalysisWorkspace';
import { useView, viewShortcut } from '../state/view-store';

export function AnalyseView() {
  const run = useAnalysis((s) => s.run);
  return (
    <div className="analyse-view">
      {run ? (
        <AnalysisWorkspace />
      ) : (
        <section className="empty-view" aria-label="No run to analyse">
          <h2>Analyse a run</h2>
          <p>Pick a finished run and press Analyse: denoising, the PCA comparison, anomalies, features, compression and the latent explorer open here.</p>
          <button type="button" className="primary" onClick={() => useView.getState().show('runs')} title={`Runs view (${viewShortcut('runs')})`}>
            Go to Runs
          </button>
        </section>
      )}
    </div>
  );
}
