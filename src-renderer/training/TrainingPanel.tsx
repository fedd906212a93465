/** The Train view's settings column: the data in use, settings, controls, the run's status and export (the charts are the view's). */
import { useState } from 'react';
import { create } from 'zustand';
import { formatLabelList, parseLabelList } from '../../src-shared/datasets/label-list';
import { serializeProject } from '../../src-shared/project/project-file';
import { settingsProblems } from '../../src-shared/project/training-settings';
import { failureText } from '../../src-shared/protocol/failure-text';
import { useCompiled } from '../state/compile-store';
import { useDocument } from '../state/document-store';
import { useTraining } from '../state/training-store';
import { documentDatasetRef } from './dataset-ref';
import { TrainingForm } from './TrainingForm';
import { ExportButton } from './ExportButton';
import { PretrainSetting, PretrainStagesView } from './PretrainStages';
import { progressLine } from './progress-line';
import { DatasetLine } from './DatasetLine';
import { backendChoiceText } from '../../src-shared/run/backend-choice-text';

/** "Only labels": train on a subset of classes (blank = all), e.g. 0-8 for an anomaly detector that never sees 9s. */
function LabelsSetting() {
  const labels = useDocument((s) => s.training.labels);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    if (text === null) return;
    if (text.trim() === '') {
      useDocument.getState().setTraining({ labels: undefined });
      setError(null);
    } else {
      const parsed = parseLabelList(text);
      if (parsed.ok) useDocument.getState().setTraining({ labels: parsed.labels });
      setError(parsed.ok ? null : parsed.error);
    }
    setText(null);
  };
  return (
    <label className="field compact" title="Train only on samples with these labels, e.g. 0-8 (blank: all)">
      <span className="field__label">Only labels</span>
      <input type="text" aria-label="Only labels" placeholder="all" value={text ?? (labels ? formatLabelList(labels) : '')} aria-invalid={error !== null} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      {error ? <span className="field__error">{error}</span> : null}
    </label>
  );
}

function Settings() {
  const output = useDocument((s) => s.nodes.find((n) => n.data.kind === 'output'));
  return (
    <div className="settings">
      <TrainingForm />
      <LabelsSetting />
      <PretrainSetting />
      {output ? (
        <label className="field compact">
          <span className="field__label">Loss</span>
          <select aria-label="Loss" value={String(output.data.params.loss ?? 'mse')} onChange={(e) => useDocument.getState().setParam(output.id, 'loss', e.target.value)}>
            <option value="mse">MSE</option>
            <option value="bce">BCE</option>
          </select>
        </label>
      ) : null}
    </div>
  );
}

function RunStatusView() {
  const t = useTraining();
  const stale = useDocument((s) => s.structureVersion !== t.graphVersion) && t.status !== 'idle' && t.graphVersion >= 0;
  const p = t.progress;
  const fraction = p ? ((p.epoch - 1) * p.batches + p.batch) / (p.epochs * p.batches) : 0;
  return (
    <div className="run">
      <div className="run__line">
        <span className={`badge status-${t.status}`} data-testid="run-status">
          {t.status}
        </span>
        {t.started ? (
          <span className="badge backend" data-testid="backend" title={`${backendChoiceText(t.started.backendMeasurement, t.started.backendNotes)}. ${t.started.threads} thread${t.started.threads > 1 ? 's' : ''}: ${t.started.threadsReason}.`}>
            {t.started.backend}
            {t.started.threads > 1 ? ` ×${t.started.threads}` : ''}
          </span>
        ) : null}
        {t.started ? <span className="muted">{t.started.trainCount.toLocaleString('en-US')} train / {t.started.valCount.toLocaleString('en-US')} validation</span> : null}
      </div>
      <div className="progress" role="progressbar" aria-label="Training progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 1000) / 10 /* a tenth of a percent: long runs move slowly */} data-testid="progress">
        <div className="progress__bar" style={{ transform: `scaleX(${fraction})` }} />
      </div>
      {p ? (
        <div className="run__line muted" data-testid="progress-text">
          {progressLine(p, t.status)}
        </div>
      ) : null}
      {stale ? <div className="warning" data-testid="stale">The graph changed since this run started: the run shows the older graph.</div> : null}
      {t.error ? (
        <div className="field__error" role="alert">
          {failureText(t.error)}
        </div>
      ) : null}
    </div>
  );
}

/** This session's run options beyond the project's settings: kept while the person switches views (the panel unmounts), not saved with the project. */
const useRunOptions = create<{ maxSamples: number; weights: string; setMaxSamples(n: number): void; setWeights(w: string): void }>((set) => ({
  maxSamples: 0,
  weights: '',
  setMaxSamples: (maxSamples) => set({ maxSamples }),
  setWeights: (weights) => set({ weights }),
}));

export function TrainingPanel() {
  const spec = useCompiled((s) => (s.result.ok ? s.result.spec : null));
  const status = useTraining((s) => s.status);
  const { maxSamples, weights, setMaxSamples, setWeights } = useRunOptions();
  const running = status === 'running' || status === 'paused' || status === 'starting';
  const settingsProblem = useDocument((s) => Object.values(settingsProblems(s.training))[0] ?? null); // shown on its field; Start says it too
  const start = () => {
    const doc = useDocument.getState();
    const dataset = documentDatasetRef(doc);
    if (!spec || !dataset) return;
    void useTraining.getState().start({ spec, dataset, settings: doc.training, projectText: serializeProject(doc.toProject()), ...(maxSamples > 0 ? { maxSamples } : {}), ...(weights.trim() ? { initialWeights: weights.trim() } : {}) });
  };
  return (
    <section className="training" aria-label="Training">
      <h2>Training</h2>
      <DatasetLine />
      <Settings />
      <label className="field compact">
        <span className="field__label">Use at most (0 = all samples)</span>
        <input type="number" aria-label="Max samples" min={0} value={maxSamples} onChange={(e) => setMaxSamples(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
      </label>
      <label className="field compact">
        <span className="field__label">Start from weights (optional)</span>
        <input type="text" aria-label="Start from weights" placeholder="a run folder or TF.js export of this graph" value={weights} onChange={(e) => setWeights(e.target.value)} />
      </label>
      <div className="controls">
        <button type="button" className="primary" onClick={start} disabled={!spec || running || settingsProblem !== null} title={!spec ? 'Fix the problems first' : (settingsProblem ?? 'Train this graph')} data-testid="start">
          Start
        </button>
        {status === 'paused' ? (
          <button type="button" onClick={() => useTraining.getState().resume()} data-testid="resume">
            Resume
          </button>
        ) : (
          <button type="button" onClick={() => useTraining.getState().pause()} disabled={status !== 'running'} data-testid="pause">
            Pause
          </button>
        )}
        <button type="button" onClick={() => useTraining.getState().stop()} disabled={!running} data-testid="stop">
          Stop
        </button>
      </div>
      <RunStatusView />
      <PretrainStagesView />
      <ExportButton />
    </section>
  );
}
