/**
 * Layer-wise pretraining on the dashboard: the setting (epochs per stage)
 * with the stages the graph would get, or why it gets none, as the graph is
 * edited; and each finished stage of the current run with its losses.
 */
import { useMemo } from 'react';
import { pretrainPlan, pretrainPlanText } from '../../src-shared/compiler/pretrain-plan';
import { TrainingSettingsSchema } from '../../src-shared/project/training-settings';
import { useCompiled } from '../state/compile-store';
import { useDocument } from '../state/document-store';
import { useTraining } from '../state/training-store';

// The setting's range is the schema's own, not retyped here.
const range = TrainingSettingsSchema.shape.pretrain.unwrap();
const MAX_PRETRAIN = range.maxValue ?? 1000;

/** "Pretrain epochs per stage" (0 = off), and which layers pair up in this graph. */
export function PretrainSetting() {
  const value = useDocument((s) => s.training.pretrain ?? 0);
  const spec = useCompiled((s) => (s.result.ok ? s.result.spec : null));
  const plan = useMemo(() => (spec ? pretrainPlan(spec) : null), [spec]);
  const refused = value > 0 && plan !== null && !plan.ok;
  return (
    <label className="field compact" title="Train each encoder layer with its mirrored decoder layer as a shallow autoencoder, outermost first, before fine-tuning the whole network (0: off)">
      <span className="field__label">Pretrain epochs per stage</span>
      <input type="number" aria-label="Pretrain epochs per stage" min={0} max={MAX_PRETRAIN} step={1} value={value} aria-invalid={refused} onChange={(e) => {
        const v = Number(e.target.value);
        if (Number.isInteger(v) && v >= 0 && v <= MAX_PRETRAIN) useDocument.getState().setTraining({ pretrain: v > 0 ? v : undefined });
      }} />
      {plan && value > 0 ? (
        <span className={refused ? 'field__error' : 'muted'} data-testid="pretrain-plan">
          {plan.ok ? `Stages: ${pretrainPlanText(plan)}` : pretrainPlanText(plan)}
        </span>
      ) : null}
    </label>
  );
}

const loss = (v: number | null) => (v === null ? '–' : v.toPrecision(4));

/** The current run's finished pretraining stages: which layers trained, and their first and last epoch's losses. */
export function PretrainStagesView() {
  const stages = useTraining((s) => s.pretrain);
  const fineTuning = useTraining((s) => s.epochs.length > 0 || (s.status !== 'running' && s.status !== 'paused'));
  if (stages.length === 0) return null;
  const total = stages[0].stages;
  return (
    <div className="run" data-testid="pretrain-stages">
      <div className="run__line">Layer-wise pretraining</div>
      {stages.map((s) => {
        const first = s.epochs[0];
        const last = s.epochs.at(-1);
        return (
          <div className="run__line muted" key={s.stage} title={`Trained ${s.layers.join(', ')} on the codes of the frozen layers before them (${s.loss.toUpperCase()})`}>
            stage {s.stage}/{s.stages}: {s.pair[0]} ↔ {s.pair[1]} · loss {loss(first?.trainLoss ?? null)} → {loss(last?.trainLoss ?? null)} · validation {loss(last?.valLoss ?? null)}
          </div>
        );
      })}
      {!fineTuning && stages.length < total ? <div className="run__line muted">stage {stages.length + 1}/{total} training…</div> : null}
    </div>
  );
}
