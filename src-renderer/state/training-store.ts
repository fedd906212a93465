/**
 * What the dashboard shows of the current run, fed by trainer events. The
 * trainer already throttles progress to ~10 events a second, so a store
 * update per event stays far from one React render per batch.
 */
import { create } from 'zustand';
import type { EpochMetrics, PretrainStageMetrics, TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import type { TrainingStart } from '../../src-shared/protocol/studio-api';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import { studio } from '../studio/studio';
import { useDocument } from './document-store';

type Ev<T extends TrainerEvent['type']> = Extract<TrainerEvent, { type: T }>;

/** The running-loss series keeps at most this many points. */
export const MAX_CHART_POINTS = 2000;

/** Where a run is. */
export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

interface TrainingState {
  runId: string | null;
  status: RunStatus;
  started: Ev<'started'> | null;
  progress: Ev<'progress'> | null;
  epochs: EpochMetrics[];
  /** Layer-wise pretraining's finished stages, before the epochs (empty without pretraining). */
  pretrain: PretrainStageMetrics[];
  /** Running batch losses for the chart: [samples seen, loss]. */
  batchLoss: [number, number][];
  reconstructions: Ev<'reconstructions'> | null;
  /** The last reconstructions of each epoch seen, oldest first: the dashboard's slider steps through them. */
  reconstructionHistory: Ev<'reconstructions'>[];
  latent: Ev<'latent'> | null;
  /** The watched layer's latest activations (the Train view's node activations). */
  activations: Ev<'activations'> | null;
  /** Which of the latent plot's samples the activations are shown on (0-based; a click on the plot chooses it). */
  watchSample: number;
  /** How the run ended: why it stopped and which epoch's weights it kept (null until it ends). */
  done: Ev<'done'> | null;
  /** The settings the run was started with here (null for a run this window did not start). */
  settings: TrainingSettings | null;
  error: { message: string; hint: string } | null;
  /** The document's structureVersion when the run started (−1 when this window did not start it): a later edit makes the run "of an older graph". */
  graphVersion: number;
  start(request: TrainingStart): Promise<void>;
  chooseSample(index: number): void;
  pause(): void;
  resume(): void;
  stop(): void;
}

export const useTraining = create<TrainingState>()((set, get) => ({
  runId: null,
  status: 'idle',
  started: null,
  progress: null,
  epochs: [],
  pretrain: [],
  batchLoss: [],
  reconstructions: null,
  reconstructionHistory: [],
  latent: null,
  activations: null,
  watchSample: 0,
  done: null,
  settings: null,
  error: null,
  graphVersion: 0,
  async start(request) {
    set({ status: 'starting', started: null, progress: null, epochs: [], pretrain: [], batchLoss: [], reconstructions: null, reconstructionHistory: [], latent: null, activations: null, done: null, settings: request.settings, error: null, graphVersion: useDocument.getState().structureVersion });
    try {
      const runId = await studio().training.start(request);
      // Events may have arrived before the id did; keep whatever status they set.
      set((s) => ({ runId, status: s.status === 'starting' ? 'running' : s.status }));
    } catch (e) {
      set({ status: 'failed', error: { message: (e as Error).message, hint: 'Check the settings and try again.' } });
    }
  },
  chooseSample(index) {
    set({ watchSample: Math.max(0, Math.floor(index)) });
  },
  pause() {
    const id = get().runId;
    if (id) void studio().training.pause(id);
  },
  resume() {
    const id = get().runId;
    if (id) void studio().training.resume(id);
  },
  stop() {
    const id = get().runId;
    if (id) void studio().training.stop(id);
  },
}));

/** Snapshots kept per run; past this, every other one is dropped (the first and the latest always stay). */
export const MAX_SNAPSHOTS = 400;

/** The history with `e` as its epoch's snapshot (a later one of the same epoch replaces the earlier; another run's are dropped). */
export function withSnapshot(history: readonly Ev<'reconstructions'>[], e: Ev<'reconstructions'>): Ev<'reconstructions'>[] {
  const same = history.filter((h) => h.runId === e.runId && h.epoch !== e.epoch);
  const thinned = same.length >= MAX_SNAPSHOTS ? same.filter((_, i) => i === 0 || i % 2 === 1) : same;
  return [...thinned, e].sort((a, b) => a.epoch - b.epoch);
}

/** Applies one trainer event to the store. */
export function applyTrainerEvent(e: TrainerEvent): void {
  const s = useTraining.getState();
  if ('runId' in e && e.runId && s.runId && e.runId !== s.runId) return; // another window's run
  switch (e.type) {
    case 'started':
      // A run this window did not start (it reloaded, or another window started it): its graph is unknown here, not "older".
      useTraining.setState({ started: e, status: 'running', runId: e.runId, ...(s.status === 'starting' || s.runId === e.runId ? {} : { graphVersion: -1, settings: null }), ...(s.runId === e.runId ? {} : { done: null, activations: null }) });
      break;
    case 'progress': {
      const seen = ((e.epoch - 1) * e.batches + e.batch) / e.batches;
      // Thinned to every other point past MAX_CHART_POINTS: hours of training stay cheap to copy and draw.
      const points = s.batchLoss.length >= MAX_CHART_POINTS ? s.batchLoss.filter((_, i) => i % 2 === 0) : s.batchLoss;
      useTraining.setState({ progress: e, batchLoss: [...points, [seen, e.loss]] });
      break;
    }
    case 'epoch':
      // A replayed history and live events can overlap right after a reload: keep each epoch once.
      if (!s.epochs.some((m) => m.epoch === e.metrics.epoch)) useTraining.setState({ epochs: [...s.epochs, e.metrics] });
      break;
    case 'pretrainStage':
      if (!s.pretrain.some((m) => m.stage === e.metrics.stage)) useTraining.setState({ pretrain: [...s.pretrain, e.metrics] });
      break;
    case 'reconstructions':
      useTraining.setState({ reconstructions: e, reconstructionHistory: withSnapshot(s.reconstructionHistory, e) });
      break;
    case 'latent':
      useTraining.setState({ latent: e });
      break;
    case 'activations':
      useTraining.setState({ activations: e });
      break;
    case 'paused':
      useTraining.setState({ status: 'paused' });
      break;
    case 'resumed':
      useTraining.setState({ status: 'running' });
      break;
    case 'done':
      useTraining.setState({ status: e.status, done: e });
      break;
    case 'error':
      useTraining.setState({ status: 'failed', error: { message: e.message, hint: e.hint } });
      break;
    case 'ready':
    case 'previewed':
    case 'evaluated':
    case 'exported':
    case 'analyzed':
    case 'decoded':
      break; // the trainer's handshake and replies to one request: they go to the caller that asked, not the dashboard
  }
}
