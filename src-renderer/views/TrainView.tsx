/**
 * The Train view, full width: the settings and controls in a resizable column,
 * and the run as it happens beside them: the loss chart across the top, then
 * the reconstructions and the latent space side by side, then the selected
 * node's activations. The learning rate shows under the chart when a schedule
 * changes it, and how the run ended once it has.
 */
import { useEffect, useState } from 'react';
import { useDocument } from '../state/document-store';
import { useTraining } from '../state/training-store';
import { useView } from '../state/view-store';
import { LatentScatter } from '../training/LatentScatter';
import { LearningRateStrip } from '../training/LearningRateStrip';
import { LossChart } from '../training/LossChart';
import { NodeActivations } from '../training/NodeActivations';
import { RunOutcome } from '../training/RunOutcome';
import { ReconstructionGrid } from '../training/ReconstructionGrid';
import { TrainingPanel } from '../training/TrainingPanel';
import { VaeTerms } from '../training/VaeTerms';
import { Splitter } from './Splitter';

/** The chart's plot height: a third of the window (so reconstructions and the latent space show below it at 900 px), within bounds. */
function useChartHeight(): number {
  const pick = () => Math.round(Math.min(420, Math.max(180, window.innerHeight * 0.3)));
  const [h, setH] = useState(pick);
  useEffect(() => {
    const on = () => setH(pick());
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return h;
}

export function TrainView() {
  const chartHeight = useChartHeight();
  const width = useView((s) => s.sizes.trainSettings);
  const hasVae = useTraining((s) => s.epochs.some((e) => e.vae));
  const epochs = useTraining((s) => s.epochs);
  const done = useTraining((s) => s.done);
  const docSettings = useDocument((s) => s.training);
  // A run this window did not start (it reloaded) is described with the project's settings.
  const settings = useTraining((s) => s.settings) ?? docSettings;
  return (
    <div className="train-view" style={{ gridTemplateColumns: `${width}px 6px minmax(0, 1fr)` }}>
      <div className="train-view__settings">
        <TrainingPanel />
      </div>
      <Splitter pane="trainSettings" edge="right" label="Resize the training settings" />
      <div className="train-view__dashboard" aria-label="Training dashboard" role="region">
        <section className="card train-view__chart">
          <LossChart height={chartHeight} />
          {hasVae ? <VaeTerms /> : null}
          <LearningRateStrip epochs={epochs} />
          <RunOutcome done={done} settings={settings} />
        </section>
        <div className="train-view__pair">
          <section className="card" aria-label="Reconstructions">
            <h2>Reconstructions</h2>
            <ReconstructionGrid />
          </section>
          <section className="card" aria-label="Latent space">
            <h2>Latent space</h2>
            <LatentScatter />
          </section>
        </div>
        <section className="card" aria-label="Activations of the selected node">
          <h2>Activations</h2>
          <NodeActivations />
        </section>
      </div>
    </div>
  );
}
