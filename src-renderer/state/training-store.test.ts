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

  it('keeps how the run ended and the watched activations, and forgets both when another run starts', () => {
    applyTrainerEvent({ type: 'activations', runId: 'r', epoch: 1, batch: 0, layer: 'e1', sample: 4, activations: { kind: 'vector', shape: [2], values: Float32Array.from([1, 2]) } });
    applyTrainerEvent({ type: 'done', runId: 'r', status: 'finished', epochs: [], files: [], stopReason: 'earlyStopping', bestEpoch: 3, keptEpoch: 3 });
    expect(useTraining.getState()).toMatchObject({ status: 'finished', done: { stopReason: 'earlyStopping', keptEpoch: 3 }, activations: { layer: 'e1', sample: 4 } });
    useTraining.setState({ runId: null });
    applyTrainerEvent({ type: 'started', runId: 'next', backend: 'cpu', backendNotes: [], backendMeasurement: null, threads: 1, threadsReason: '', paramCount: 1, dataset: { name: 'MNIST', shape: [28, 28, 1], count: 1, sourceRange: [0, 1], normalization: 'scaled-0-1', labelCount: 10 }, trainCount: 1, valCount: 0, batchesPerEpoch: 1 });
    expect(useTraining.getState()).toMatchObject({ runId: 'next', done: null, activations: null });
  });

  it('keeps each pretraining stage once, in order, even when a reloaded window replays them', () => {
    const stage = (n: number) => ({ type: 'pretrainStage' as const, runId: 'r', metrics: { stage: n, stages: 2, pair: ['enc1', 'dec2'] as [string, string], layers: ['enc1', 'dec2'], loss: 'mse' as const, epochs: [{ epoch: 1, trainLoss: 0.1, valLoss: null, seconds: 1 }] } });
    applyTrainerEvent(stage(1));
    applyTrainerEvent(stage(1));
    applyTrainerEvent(stage(2));
    expect(useTraining.getState().pretrain.map((m) => m.stage)).toEqual([1, 2]);
  });
});

describe('reconstruction snapshots', () => {
  const recon = (runId: string, epoch: number, batch = 1) => ({ type: 'reconstructions' as const, runId, epoch, batch, shape: [2, 2, 1] as [number, number, number], count: 1, input: new Uint8Array(4), noised: null, output: new Uint8Array(4) });

  it('keeps the last snapshot of each epoch, in epoch order, for this run only, and stays bounded', async () => {
    const { MAX_SNAPSHOTS, withSnapshot } = await import('./training-store');
    let h = withSnapshot([], recon('r', 1, 1));
    h = withSnapshot(h, recon('r', 1, 9));
    h = withSnapshot(h, recon('r', 2));
    expect(h.map((s) => [s.epoch, s.batch])).toEqual([[1, 9], [2, 1]]);
    expect(withSnapshot(h, recon('other', 1)).map((s) => s.runId)).toEqual(['other']);
    for (let e = 3; e <= MAX_SNAPSHOTS * 3; e++) h = withSnapshot(h, recon('r', e));
    expect(h.length).toBeLessThanOrEqual(MAX_SNAPSHOTS);
    expect(h[0].epoch).toBe(1);
    expect(h.at(-1)!.epoch).toBe(MAX_SNAPSHOTS * 3);
  });
});
