/** The dashboard's one line about the run's progress. */
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { formatSamplesPerSec } from '../../src-shared/util/throughput';
import type { RunStatus } from '../state/training-store';

type Progress = Extract<TrainerEvent, { type: 'progress' }>;

const duration = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`);

/**
 * "epoch 2/5 · batch 40/63 · loss 0.0312 · 12,345 samples/s · ETA 1 min 4 s".
 * The estimate is shown only while the run trains: after Stop, a finish or a
 * failure nothing remains to wait for, and while paused the clock stands.
 */
export function progressLine(p: Progress, status: RunStatus): string {
  const parts = [`epoch ${p.epoch}/${p.epochs}`, `batch ${p.batch}/${p.batches}`, `loss ${p.loss.toPrecision(4)}`, formatSamplesPerSec(p.samplesPerSec)];
  if (status === 'running') parts.push(`ETA ${duration(p.etaSeconds)}`);
  return parts.join(' · ');
}
