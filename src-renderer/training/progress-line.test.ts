import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../state/training-store';
import { progressLine } from './progress-line';

const p = { type: 'progress' as const, runId: 'r', epoch: 2, epochs: 5, batch: 40, batches: 63, loss: 0.03125, samplesPerSec: 12_345.4, etaSeconds: 64 };

describe('progress line', () => {
  it('shows the estimate while the run trains', () => {
    expect(progressLine(p, 'running')).toBe('epoch 2/5 · batch 40/63 · loss 0.03125 · 12,345 samples/s · ETA 1 min 4 s');
  });

  it('drops the estimate once the run is stopped, finished, failed or paused', () => {
    for (const status of ['stopped', 'finished', 'failed', 'paused'] satisfies RunStatus[]) {
      expect(progressLine(p, status), status).toBe('epoch 2/5 · batch 40/63 · loss 0.03125 · 12,345 samples/s');
    }
  });
});
