/** The analyses of one finished run, a panel per use of an autoencoder, in the Analyse view; Alt+Shift+1…7 switch panels (Alt+digit switches views). */
import { useEffect } from 'react';
import { ANALYSIS_NEEDS_DECODER, ANALYSIS_TASKS } from '../../src-shared/analysis/analysis-messages';
import type { AnalysisTask } from '../../src-shared/analysis/analysis-messages';
import { useAnalysis } from './analysis-store';
import { AnomalyPanel } from './AnomalyPanel';
import { CompressionPanel } from './CompressionPanel';
import { DenoisePanel } from './DenoisePanel';
import { FeaturesPanel } from './FeaturesPanel';
import { GeneratePanel } from './GeneratePanel';
import { LatentPanel } from './LatentPanel';
import { PcaPanel } from './PcaPanel';
import { countNoun } from '../../src-shared/text/count-noun';

const TITLES: Record<AnalysisTask, string> = {
  denoise: 'Denoising',
  pca: 'vs PCA',
  anomaly: 'Anomalies',
  features: 'Features',
  compression: 'Compression',
  latent: 'Latent explorer',
  generate: 'Generate',
};

const PANELS: Record<AnalysisTask, () => React.JSX.Element> = {
  denoise: DenoisePanel,
  pca: PcaPanel,
  anomaly: AnomalyPanel,
  features: FeaturesPanel,
  compression: CompressionPanel,
  latent: LatentPanel,
  generate: GeneratePanel,
};

export function AnalysisWorkspace() {
  const run = useAnalysis((s) => s.run);
  const tab = useAnalysis((s) => s.tab);
  const error = useAnalysis((s) => s.error);
  useEffect(() => {
    if (!run) return;
    const onKey = (e: KeyboardEvent) => {
      const n = Number(/^Digit(\d)$/.exec(e.code)?.[1] ?? NaN);
      if (e.altKey && e.shiftKey && n >= 1 && n <= ANALYSIS_TASKS.length) useAnalysis.getState().setTab(ANALYSIS_TASKS[n - 1]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);
  if (!run) return null;
  const Panel = PANELS[tab];
  const off = (t: AnalysisTask) => (ANALYSIS_NEEDS_DECODER[t] && run.decoderAbsent ? `Off: this model has no decoder alone — ${run.decoderAbsent}.` : null);
  return (
    <section className="analysis" aria-label="Analysis">
      <div className="analysis__inner">
        <header className="analysis__head">
          <h2>
            Analyse “{run.name}” <span className="muted">{run.runId.slice(0, 6)} · {run.dataset} · {countNoun(run.epochs.length, 'epoch')}</span>
          </h2>
          <button type="button" onClick={() => useAnalysis.getState().close()} title="Close this run's analyses">
            Close
          </button>
        </header>
        <nav className="analysis__tabs" role="tablist">
          {ANALYSIS_TASKS.map((t, i) => (
            <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'active' : ''} title={off(t) ?? `Alt+Shift+${i + 1}`} data-off={off(t) ? 'true' : undefined} onClick={() => useAnalysis.getState().setTab(t)}>
              {TITLES[t]}
            </button>
          ))}
        </nav>
        {error ? (
          <p className="field__error" role="alert" data-testid="analysis-error">
            {error}
          </p>
        ) : null}
        {off(tab) ? (
          <p className="muted" data-testid="analysis-off">
            {off(tab)} Route every branch through the Bottleneck to decode codes; the reconstructions, the autoencoder and the encoder still work.
          </p>
        ) : (
          <Panel />
        )}
      </div>
    </section>
  );
}
