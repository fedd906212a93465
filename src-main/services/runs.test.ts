/** Kept runs: finished and failed runs are listed from disk with what the run list needs; ids cannot escape the runs folder. */
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { serializeProject } from '../../src-shared/project/project-file';
import { TEST_CACHE_DIR, templateSpec } from '../../tests/helpers/specs';
import { forkLauncher } from '../trainer/host/trainer-child';
import { checkRunId, deleteRun, listRuns, runProject } from './runs';
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
    expect(JSON.parse(await runProject(runsDir, 'good')).name).toBe('Vanilla autoencoder');
    await deleteRun(runsDir, 'bad');
    expect((await listRuns(runsDir)).map((r) => r.runId)).toEqual(['good']);
  });

  it('skips folders without a readable record, and refuses ids that are paths', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'aes-runs-'));
    await mkdir(join(runsDir, 'half'));
    await writeFile(join(runsDir, 'half', 'metrics.json'), '{ not json');
    expect(await listRuns(runsDir)).toEqual([]);
    expect(() => checkRunId('../../etc')).toThrow('"../../etc" is not a run id.');
    await expect(runProject(runsDir, '../x')).rejects.toThrow('is not a run id');
  });
});
