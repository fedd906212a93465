/** Kept runs: finished and failed runs are listed from disk with what the run list needs; ids cannot escape the runs folder. */
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { serializeProject } from '../../src-shared/project/project-file';
import { TEST_CACHE_DIR, templateSpec } from '../../tests/helpers/specs';
import { forkLauncher } from '../trainer/host/trainer-child';
import { parseRunRecord } from '../../src-shared/run/run-record';
import type { RunRecord } from '../../src-shared/run/run-record';
import { annotateRun, checkRunId, deleteRun, listRuns, runProject, runReconstructions } from './runs';
import { createStudioHandlers } from './studio-handlers';
import { TrainingService } from './training-service';

let service: TrainingService | undefined;
afterEach(() => service?.dispose());

async function runTo(runsDir: string, runId: string, dataset: { kind: 'builtin'; id: string } | { kind: 'npy'; path: string; options: Record<string, never> }): Promise<TrainerEvent> {
  service = new TrainingService(forkLauncher());
  const { project, spec } = templateSpec('vanilla');
  const end = new Promise<TrainerEvent>((resolve) => service!.onEvent((e) => (e.type === 'done' || e.type === 'error') && resolve(e)));
  await service.start({ runId, spec, dataset, settings: { ...project.training, epochs: 1 }, options: { cacheDir: TEST_CACHE_DIR, outDir: join(runsDir, runId), maxSamples: 200, projectText: serializeProject(project) } });
  return end;
}

describe('kept runs', () => {
  it('lists a finished run and a failed one (with its error), newest first, and reopens the project of either', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'aes-runs-'));
    expect((await runTo(runsDir, 'good', { kind: 'builtin', id: 'mnist' })).type).toBe('done');
    expect(await runTo(runsDir, 'bad', { kind: 'npy', path: join(runsDir, 'missing.npy'), options: {} })).toMatchObject({ type: 'error', message: expect.stringMatching(/missing\.npy does not exist/) });
    const runs = await listRuns(runsDir);
    expect(runs.map((r) => [r.runId, r.status, r.name, r.epochs.length, r.hasProject])).toEqual([
      ['bad', 'failed', 'Vanilla autoencoder', 0, true],
      ['good', 'finished', 'Vanilla autoencoder', 1, true],
    ]);
    expect(runs[0].error).toMatch(/missing\.npy does not exist/);
    // What comparing runs needs of the architecture, from the real run's record and spec.
    expect(runs[1]).toMatchObject({ title: null, notes: '', codeShape: templateSpec('vanilla').spec.codeShape, paramCount: expect.any(Number), startedAt: expect.any(String) });
    expect(runs[1].paramCount).toBeGreaterThan(1000);
    // The finished run's reconstructions, as the Runs view shows them: a PNG; the failed run has none, and says so.
    expect([...(await runReconstructions(runsDir, 'good')).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await expect(runReconstructions(runsDir, 'bad')).rejects.toThrow(/kept no reconstructions/);
    expect(JSON.parse(await runProject(runsDir, 'good')).name).toBe('Vanilla autoencoder');
    await deleteRun(runsDir, 'bad');
    expect((await listRuns(runsDir)).map((r) => r.runId)).toEqual(['good']);
  });

  it('runs.resume continues a stopped run from its checkpoint in the same trainer process, appending to its record until its last epoch', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'aes-runs-'));
    service = new TrainingService(forkLauncher());
    const handlers = createStudioHandlers({ version: '0', shell: 'browser', cacheDir: TEST_CACHE_DIR, runsDir, stateDir: runsDir, projectsDir: runsDir, training: service, pickPath: async () => ({ kind: 'unsupported' }) });
    const { project, spec } = templateSpec('vanilla');
    const ends: TrainerEvent[] = [];
    let waitEnd: () => void = () => undefined;
    service.onEvent((e) => {
      if (e.type === 'epoch' && e.metrics.epoch === 2 && ends.length === 0) service!.stop(e.runId); // stops within epoch 3
      if (e.type === 'done' || e.type === 'error') {
        ends.push(e);
        waitEnd();
      }
    });
    const ended = () => new Promise<void>((r) => (waitEnd = r));
    let end = ended();
    await service.start({ runId: 'paused-run', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 4, batchSize: 16 }, options: { cacheDir: TEST_CACHE_DIR, outDir: join(runsDir, 'paused-run'), maxSamples: 1000, projectText: serializeProject(project), quiet: true } });
    await end;
    expect(ends[0]).toMatchObject({ type: 'done', status: 'stopped' });
    const [stopped] = await handlers['runs.list']();
    expect(stopped).toMatchObject({ runId: 'paused-run', status: 'stopped', resumable: true });
    const kept = stopped.epochs.length;
    expect(kept).toBeGreaterThanOrEqual(2);
    end = ended();
    expect(await handlers['runs.resume']('paused-run')).toBe('paused-run');
    await end;
    expect(ends[1]).toMatchObject({ type: 'done', status: 'finished' });
    const [finished] = await handlers['runs.list']();
    expect(finished).toMatchObject({ status: 'finished', resumable: false, continuable: true, stopText: 'Ran all 4 epochs' });
    expect(finished.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(finished.epochs.slice(0, kept)).toEqual(stopped.epochs);
    await expect(handlers['runs.resume']('paused-run')).rejects.toThrow('has finished all its epochs; there is nothing to resume');
    // The Runs panel's Continue: the finished run trains 2 more epochs in its folder, appended to its record.
    end = ended();
    expect(await handlers['runs.resume']('paused-run', { moreEpochs: 2 })).toBe('paused-run');
    await end;
    expect(ends[2]).toMatchObject({ type: 'done', status: 'finished', stopReason: 'completed', keptEpoch: 6 });
    const [continued] = await handlers['runs.list']();
    expect(continued).toMatchObject({ status: 'finished', settings: { epochs: 6 }, stopText: 'Ran all 6 epochs' });
    expect(continued.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(continued.epochs.slice(0, 4)).toEqual(finished.epochs);
  }, 90_000);

  it('skips folders without a record, and refuses ids that are paths', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'aes-runs-'));
    await mkdir(join(runsDir, 'empty'));
    expect(await listRuns(runsDir)).toEqual([]);
    expect(() => checkRunId('../../etc')).toThrow('"../../etc" is not a run id.');
    await expect(runProject(runsDir, '../x')).rejects.toThrow('is not a run id');
  });

  it('lists a corrupt and a hand-edited metrics.json by file name and what is wrong, without echoing their content', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'aes-runs-'));
    await mkdir(join(runsDir, 'half'));
    await writeFile(join(runsDir, 'half', 'metrics.json'), '{ "runId": "half", "status": "fini SECRET-TEXT');
    await mkdir(join(runsDir, 'edited'));
    await writeFile(join(runsDir, 'edited', 'metrics.json'), JSON.stringify({ ...LEGACY, epochs: [{ epoch: 1, trainLoss: 'SECRET-TEXT' }] }));
    const runs = await listRuns(runsDir);
    expect(runs.map((r) => [r.runId, r.status, r.resumable])).toEqual([
      ['edited', 'failed', false],
      ['half', 'failed', false],
    ]);
    expect(runs[1].error).toBe(`${join(runsDir, 'half', 'metrics.json')} is not valid JSON (it was edited by hand or cut short)`);
    expect(runs[0].error).toBe(`${join(runsDir, 'edited', 'metrics.json')} is not a run record: epochs.0.trainLoss: Invalid input: expected number, received string (a record of an earlier version)`);
    expect(runs.map((r) => r.error).join()).not.toContain('SECRET');
  });

  it('reads a record left "running" by a trainer that is gone as failed (interrupted), and the active run as running', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'aes-runs-'));
    const { record } = parseRunRecord(LEGACY) as { record: RunRecord };
    const running: RunRecord = { ...record, status: 'running', startedAt: LEGACY.finishedAt, finishedAt: null, pid: process.pid, checkpointEpoch: 1 };
    for (const id of ['gone', 'mine']) {
      await mkdir(join(runsDir, id));
      await writeFile(join(runsDir, id, 'metrics.json'), JSON.stringify({ ...running, runId: id }));
    }
    const runs = await listRuns(runsDir, 'mine');
    expect(runs.map((r) => [r.runId, r.status, r.epochs.length, r.resumable])).toEqual([
      ['gone', 'failed', 1, true],
      ['mine', 'running', 1, false],
    ]);
    expect(runs[0].error).toMatch(/^Interrupted: the trainer process ended before the run did .* after 1 epoch\. Resume it: it continues from epoch 1\.$/);
  });

  it('keeps a run\'s name and notes in its record, refuses them while it trains, and an empty name goes back to the default', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'aes-runs-'));
    const { record } = parseRunRecord(LEGACY) as { record: RunRecord };
    await mkdir(join(runsDir, 'old'));
    await writeFile(join(runsDir, 'old', 'metrics.json'), JSON.stringify(LEGACY));
    await mkdir(join(runsDir, 'busy'));
    await writeFile(join(runsDir, 'busy', 'metrics.json'), JSON.stringify({ ...record, runId: 'busy', status: 'running', pid: process.pid }));

    await annotateRun(runsDir, 'old', { name: '  wide code, lr 1e-3 ', notes: 'blurry 4s and 9s' }, null);
    const saved = parseRunRecord(JSON.parse(await readFile(join(runsDir, 'old', 'metrics.json'), 'utf8')));
    expect(saved).toMatchObject({ ok: true, migratedFrom: null, record: { name: 'wide code, lr 1e-3', notes: 'blurry 4s and 9s', epochs: record.epochs, status: 'finished' } });
    expect((await listRuns(runsDir, 'busy')).find((r) => r.runId === 'old')).toMatchObject({ title: 'wide code, lr 1e-3', notes: 'blurry 4s and 9s' });

    await annotateRun(runsDir, 'old', { name: '' }, null);
    expect((await listRuns(runsDir, 'busy')).find((r) => r.runId === 'old')).toMatchObject({ title: null, notes: 'blurry 4s and 9s' });

    await expect(annotateRun(runsDir, 'busy', { name: 'x' }, 'busy')).rejects.toThrow(/still training.*once it has ended/);
    // Left "running" by a trainer that is gone: it is not written any more, so it can be named.
    await annotateRun(runsDir, 'busy', { name: 'interrupted one' }, null);
    expect((await listRuns(runsDir)).find((r) => r.runId === 'busy')?.title).toBe('interrupted one');
    await expect(annotateRun(runsDir, 'none', { name: 'x' }, null)).rejects.toThrow(/There is no run none/);
    await expect(annotateRun(runsDir, '../old', { name: 'x' }, null)).rejects.toThrow(/not a run id/);
  });

  it('says which runs have no decoder alone (skips around the code), from their spec, so the decoding analyses are off', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'aes-runs-'));
    for (const [id, template] of [['unet', 'unet-denoising'], ['plain', 'vanilla']] as const) {
      await mkdir(join(runsDir, id));
      await writeFile(join(runsDir, id, 'metrics.json'), JSON.stringify({ ...LEGACY, runId: id }));
      await writeFile(join(runsDir, id, 'spec.json'), JSON.stringify(templateSpec(template).spec));
    }
    await mkdir(join(runsDir, 'nospec'));
    await writeFile(join(runsDir, 'nospec', 'metrics.json'), JSON.stringify({ ...LEGACY, runId: 'nospec' }));
    const runs = await listRuns(runsDir);
    expect(Object.fromEntries(runs.map((r) => [r.runId, r.decoderAbsent]))).toEqual({ unet: expect.stringMatching(/go around the code/), plain: null, nospec: null });
  });
});

/** A finished run's metrics.json as earlier versions wrote it (unversioned). */
const LEGACY = {
  runId: 'old',
  status: 'finished',
  dataset: { ref: { kind: 'builtin', id: 'mnist' }, name: 'MNIST digits' },
  seed: 42,
  settings: { epochs: 3, batchSize: 128, optimizer: 'adam', learningRate: 0.001, momentum: 0.9, validationSplit: 0.1, seed: 42 },
  epochs: [{ epoch: 1, trainLoss: 0.1, valLoss: 0.1, penalties: {}, seconds: 1, samplesPerSec: 1 }],
  finishedAt: '2026-01-02T03:04:05.000Z',
};
