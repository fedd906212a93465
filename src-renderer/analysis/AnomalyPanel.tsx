/**
 * Anomaly detection: every sample's reconstruction error, a histogram, a
 * threshold by percentile or by hand, the worst samples, and — where labels
 * mark some classes as anomalous — precision, recall and ROC AUC, recomputed
 * here as the threshold moves. A VAE's samples are scored by their negative
 * ELBO too: a table compares the two scores on the same labels, and the
 * histogram and threshold follow the score chosen.
 */
import { useMemo, useState } from 'react';
import { histogram, percentile, rocAuc, thresholdStats } from '../../src-shared/analysis/anomaly-stats';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import { formatLabelList, parseLabelList } from '../../src-shared/datasets/label-list';
import { useUi } from '../state/ui-store';
import { downloadToken } from '../studio/studio';
import { useAnalysis, useResult } from './analysis-store';
import { DatasetChoice } from './DatasetChoice';
import { Histogram } from './Histogram';
import { ImageRows } from './ImageRows';
import { OutputFiles } from './OutputFiles';
import { CompareTable, Controls, num, pct } from './PanelParts';

export function AnomalyPanel() {
  const r = useResult('anomaly');
  const runId = useAnalysis((s) => s.run?.runId ?? '');
  const [dataset, setDataset] = useState<DatasetRef | undefined>(undefined);
  const [labelsText, setLabelsText] = useState('');
  const [p, setP] = useState(95);
  const [manual, setManual] = useState<number | null>(null);
  const [by, setBy] = useState<'mse' | 'elbo'>('mse');
  const run = () => {
    let anomalousLabels: number[] | undefined;
    if (labelsText.trim()) {
      const parsed = parseLabelList(labelsText);
      if (!parsed.ok) return useUi.getState().notify('error', `Anomalous labels: ${parsed.error}`);
      anomalousLabels = parsed.labels;
    }
    setManual(null);
    void useAnalysis.getState().analyze({ task: 'anomaly', dataset, anomalousLabels });
  };
  const truth = useMemo(() => {
    if (!r?.labels || r.anomalousLabels.length === 0) return null;
    const set = new Set(r.anomalousLabels);
    const labels = r.labels;
    return (i: number) => set.has(labels[i]);
  }, [r]);
  // A result without the ELBO (not a VAE) shows reconstruction error whatever was chosen before.
  const shown = r?.elbo ? by : 'mse';
  const scores = r ? (shown === 'elbo' ? r.elbo! : r.scores) : null;
  const hist = useMemo(() => (scores ? histogram(scores, 60, truth ?? undefined) : null), [scores, truth]);
  const aucs = useMemo(() => (r && truth ? { mse: rocAuc(r.scores, truth), elbo: r.elbo ? rocAuc(r.elbo, truth) : null } : null), [r, truth]);
  const auc = aucs ? (shown === 'elbo' ? aucs.elbo : aucs.mse) : null;
  const threshold = scores ? (manual ?? percentile(scores, p)) : 0;
  const stats = scores && truth ? thresholdStats(scores, truth, threshold) : null;
  const flagged = scores ? (stats?.flagged ?? scores.filter((s) => s > threshold).length) : 0;
  return (
    <div className="analysis__panel">
      <Controls task="anomaly" onRun={run} label="Score every sample">
        <DatasetChoice onChange={setDataset} />
        <label className="field compact" title="Labels that count as anomalies, for precision and recall (blank: the labels the run did not train on)">
          <span className="field__label">Anomalous labels</span>
          <input type="text" aria-label="Anomalous labels" placeholder={r ? formatLabelList(r.anomalousLabels) || 'none' : 'the ones not trained on'} value={labelsText} onChange={(e) => setLabelsText(e.target.value)} />
        </label>
      </Controls>
      {r && hist && scores ? (
        <>
          <p className="muted">
            {r.scores.length.toLocaleString('en-US')} samples of {r.datasetName} scored by {shown === 'elbo' ? 'negative ELBO (reconstruction summed over a sample + its KL term)' : 'reconstruction error (MSE)'}. {truth ? <>Red: labels {formatLabelList(r.anomalousLabels)}.</> : null}
          </p>
          {r.elbo ? (
            <>
              <CompareTable
                testId="anomaly-compare"
                head={['reconstruction error', 'negative ELBO']}
                rows={[
                  { name: 'ROC AUC on the labels marked anomalous', a: aucs?.mse ?? null, b: aucs?.elbo ?? null, better: 'higher', fmt: (v) => num(v, 3) },
                  { name: 'median score', a: percentile(r.scores, 50), b: percentile(r.elbo, 50) },
                ]}
              />
              <div className="analysis__controls">
                <label className="field compact">
                  <span className="field__label">Score shown</span>
                  <select aria-label="Anomaly score" value={by} onChange={(e) => { setBy(e.target.value as 'mse' | 'elbo'); setManual(null); }}>
                    <option value="mse">reconstruction error (MSE)</option>
                    <option value="elbo">negative ELBO</option>
                  </select>
                </label>
              </div>
            </>
          ) : null}
          <Histogram h={hist} threshold={threshold} onPick={setManual} />
          <div className="analysis__controls">
            <label className="field compact">
              <span className="field__label">Threshold percentile {p}</span>
              <input type="range" aria-label="Threshold percentile" min={50} max={100} step={0.5} value={p} onChange={(e) => { setP(Number(e.target.value)); setManual(null); }} />
            </label>
            <label className="field compact">
              <span className="field__label">Threshold</span>
              <input type="number" aria-label="Threshold" step="any" value={Number(threshold.toPrecision(4))} onChange={(e) => Number.isFinite(Number(e.target.value)) && setManual(Number(e.target.value))} />
            </label>
          </div>
          <p className="analysis__figures" data-testid="anomaly-stats">
            {flagged.toLocaleString('en-US')} flagged above {num(threshold)}
            {stats ? (
              <>
                {' '}· precision <strong>{pct(stats.precision)}</strong> · recall <strong>{pct(stats.recall)}</strong> · F1 {num(stats.f1, 3)} · ROC AUC <strong>{num(auc, 3)}</strong>
              </>
            ) : (
              <> · no labels marked anomalous, so no precision or recall</>
            )}
          </p>
          <ImageRows rows={[{ name: r.elbo ? 'worst by MSE' : 'worst', row: r.top.images }]} captions={Array.from(r.top.indices, (i) => `#${i}${r.labels ? ` (${r.labels[i]})` : ''}: ${num(r.scores[i], 3)}`)} testId="anomaly-top" />
          <p className="muted">Scores saved:</p>
          <OutputFiles runId={runId} files={r.files} token={downloadToken()} testId="anomaly-files" />
        </>
      ) : (
        <p className="placeholder">Samples the autoencoder reconstructs badly are unlike what it learnt. Train on normal data only (“Only labels” in the training panel), then score everything here.</p>
      )}
    </div>
  );
}
