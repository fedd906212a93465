/**
 * Speed, measured once: on real MNIST, the progress event of an epoch's last
 * batch carries exactly the samples/s its epoch metrics record, so the CLI's
 * bar, its epoch line and the dashboard agree for the same epoch (the bar
 * once showed the whole run's pace, validation included).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../../src-shared/protocol/trainer-messages';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import type { BackendChoice } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { RunControl, disposeSession, runSession } from './session';

let backend: BackendChoice;
let mnist: LoadedDataset;

beforeAll(async () => {
  ({ backend, mnist } = await trainerSetup());
});

describe('samples per second', () => {
  it("is the same figure in an epoch's last progress event and in its metrics", async () => {
    const { project, spec } = templateSpec('vanilla');
    const events: TrainerEvent[] = [];
    const settings = { ...project.training, epochs: 2, batchSize: 32, validationSplit: 0.5 };
    const result = await runSession({ runId: 't', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 300, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: false } }, backend, mnist, (e) => events.push(e), new RunControl());
    disposeSession(result);
    for (const m of result.epochs) {
      const last = events.filter((e): e is Extract<TrainerEvent, { type: 'progress' }> => e.type === 'progress' && e.epoch === m.epoch).at(-1)!;
      expect(last.batch).toBe(last.batches);
      expect(last.samplesPerSec).toBe(m.samplesPerSec);
      expect(m.samplesPerSec).toBeGreaterThan(0);
    }
  });
});
