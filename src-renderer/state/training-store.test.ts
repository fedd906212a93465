import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_CHART_POINTS, applyTrainerEvent, useTraining } from './training-store';

const progress = (batch: number) => ({ type: 'progress' as const, runId: 'r', epoch: 1, epochs: 1, batch, batches: 1_000_000, loss: 1 / batch, samplesPerSec: 1, etaSeconds: 1 });

describe('training store', () => {
  beforeEach(() => useTraining.setState({ runId: 'r', batchLoss: [], epochs: [], pretrain: [], status: 'running' }));

  it('keeps the running-loss series bounded however long the run, thinning old points', () => {
    for (let b = 1; b <= MAX_CHART_POINTS * 3; b++) applyTrainerEvent(progress(b));
    const points = useTraining.getState().batchLoss;
    expect(points.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(points.at(-1)![1]).toBe(1 / (MAX_CHART_POINTS * 3)); // the newest point is always kept
    expect(points.map(([x]) => x)).toEqual([...points.map(([x]) => x)].sort((a, b) => a - b));
  });

  it('ignores events of another run, and follows pause, resume, done and errors of its own', () => {
    applyTrainerEvent({ ...progress(1), runId: 'other' });
    expect(useTraining.getState().batchLoss).toEqual([]);
    applyTrainerEvent({ type: 'paused', runId: 'r' });
    expect(useTraining.getState().status).toBe('paused');
    applyTrainerEvent({ type: 'resumed', runId: 'r' });
    expect(useTraining.getState().status).toBe('running');
    applyTrainerEvent({ type: 'error', runId: 'r', message: 'boom', hint: 'try again' });
    expect(useTraining.getState()).toMatchObject({ status: 'failed', error: { message: 'boom', hint: 'try again' } });
  });

  it('keeps each pretraining stage once, in order, even when a reloaded window replays them', () => {
    const stage = (n: number) => ({ type: 'pretrainStage' as const, runId: 'r', metrics: { stage: n, stages: 2, pair: ['enc1', 'dec2'] as [string, string], layers: ['enc1', 'dec2'], loss: 'mse' as const, epochs: [{ epoch: 1, trainLoss: 0.1, valLoss: null, seconds: 1 }] } });
    applyTrainerEvent(stage(1));
    applyTrainerEvent(stage(1));
    applyTrainerEvent(stage(2));
    expect(useTraining.getState().pretrain.map((m) => m.stage)).toEqual([1, 2]);
  });
});
