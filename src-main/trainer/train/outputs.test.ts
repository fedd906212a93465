/**
 * A run folder written as the run goes: a run stopped after epoch 2 and
 * resumed from its checkpoint (weights, optimizer slots, the seeded shuffles
 * of the epochs it had) trains the same epochs 3 and 4 as a run that was
 * never interrupted, and keeps one checkpoint, not one per epoch.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../../src-shared/protocol/trainer-messages';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import { checkpointDir, readRunRecord } from '../../common/run-folder';
import type { BackendChoice } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { RunWriter } from './outputs';
import type { SessionInput } from './session';
import { RunControl, disposeSession, runSession } from './session';

let backend: BackendChoice;
let mnist: LoadedDataset;

beforeAll(async () => {
  ({ backend, mnist } = await trainerSetup());
});

async function run(dir: string, resume: boolean, stopAfter?: number) {
  const { project, spec } = templateSpec('vanilla');
  const input: SessionInput = { runId: 'r', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 4, batchSize: 32 }, options: { cacheDir: TEST_CACHE_DIR, outDir: dir, maxSamples: 600, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: true, resume } };
  const writer = resume ? await RunWriter.resume(dir, input) : await RunWriter.begin(dir, input);
  const control = new RunControl();
  const emit = (e: TrainerEvent) => e.type === 'epoch' && e.metrics.epoch === stopAfter && control.stop();
  const result = await runSession(input, backend, mnist, emit, control, writer);
  try {
    await writer.finish(result);
  } finally {
    disposeSession(result);
  }
  return result;
}

describe('run folder written as the run goes', () => {
  it('a run stopped after epoch 2 and resumed from its checkpoint trains the same epochs 3 and 4 as one never interrupted', async () => {
    const whole = await run(await mkdtemp(join(tmpdir(), 'aes-whole-')), false);
    const dir = await mkdtemp(join(tmpdir(), 'aes-resumed-'));
    const stopped = await run(dir, false, 2);
    expect(stopped.status).toBe('stopped');
    expect(stopped.epochs).toHaveLength(2);
    expect((await readdir(checkpointDir(dir))).sort()).toEqual(['model.json', 'optimizer-2.bin', 'weights-2.bin']);
    const resumed = await run(dir, true);
    expect(resumed.status).toBe('finished');
    const loss = (r: typeof whole) => r.epochs.map((e) => e.trainLoss);
    // Same weights, optimizer moments and shuffles: only float rounding may differ.
    loss(resumed).forEach((l, i) => expect(l).toBeCloseTo(loss(whole)[i], 5));
    const record = await readRunRecord(dir);
    expect(record.ok && record.record).toMatchObject({ status: 'finished', stopReason: 'completed', checkpointEpoch: 4, keptEpoch: 4, resumes: [{ fromEpoch: 2 }] }); // the checkpoint stays: the run can be continued for more epochs
  }, 60_000);
});
