/**
 * The dataset preview is a trainer request: the main process (the services)
 * never decodes images or parses files, so a dataset built to exhaust memory
 * grows the trainer, not the window's process. Every preview gets an answer,
 * including while a run trains.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { datasetRefFromPath } from '../../src-shared/datasets/dataset-ref';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { TrainingService } from '../../src-main/services/training-service';
import { forkLauncher } from '../../src-main/trainer/host/trainer-child';
import { TEST_CACHE_DIR, templateSpec } from '../helpers/specs';

const BAD = join(import.meta.dirname, '../fixtures/bad');

let service: TrainingService | null = null;
afterEach(() => service?.dispose());

/** Resolves with the first event of `type`. */
function next(s: TrainingService, type: TrainerEvent['type']): Promise<TrainerEvent> {
  return new Promise((resolve) => {
    const off = s.onEvent((e) => {
      if (e.type === type || e.type === 'error') {
        off();
        resolve(e);
      }
    });
  });
}

describe('dataset preview in the trainer process', () => {
  it('answers a built-in dataset with its summary and eight 8-bit samples', async () => {
    service = new TrainingService(forkLauncher());
    const preview = await service.preview({ kind: 'builtin', id: 'mnist' }, TEST_CACHE_DIR);
    expect(preview.summary).toMatchObject({ count: 10_000, shape: [28, 28, 1] });
    expect(preview.imageShape).toEqual([28, 28, 1]);
    expect(preview.samples).toBeInstanceOf(Uint8Array);
    expect(preview.samples.length).toBe(8 * 784);
    expect(preview.labelNames).toHaveLength(10);
  });

  it('answers a dataset that fails to import with its message naming the file, row and column', async () => {
    service = new TrainingService(forkLauncher());
    await expect(service.preview(datasetRefFromPath(join(BAD, 'nan.csv'), false), TEST_CACHE_DIR)).rejects.toThrow(/nan\.csv, row 3, column "b": "NaN" is not a number/);
  });

  it('answers while a run trains: the run\'s own dataset from memory, any other refused by name (never queued behind the run)', async () => {
    service = new TrainingService(forkLauncher());
    const s = service;
    const { spec, project } = templateSpec('vanilla');
    const started = next(s, 'started');
    const runId = await s.start({ spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 1000, batchSize: 32 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 512, quiet: true } });
    expect(await started).toMatchObject({ type: 'started' });
    const paused = next(s, 'paused');
    s.pause(runId); // the run stays active for as long as the test needs it
    await paused;
    const own = await s.preview({ kind: 'builtin', id: 'mnist' }, TEST_CACHE_DIR);
    expect(own.summary.count).toBe(10_000);
    await expect(s.preview({ kind: 'builtin', id: 'fashion-mnist' }, TEST_CACHE_DIR)).rejects.toThrow(/A run \(.+\) is training on another dataset.*Try again when it has finished, or stop it/);
    const done = next(s, 'done');
    s.stop(runId);
    expect(await done).toMatchObject({ type: 'done', status: 'stopped' });
  });
});
