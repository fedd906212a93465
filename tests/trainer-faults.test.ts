/**
 * Faults a long session meets, against the real trainer process: fifty
 * stop/start cycles in a row leave one process, the same number of live
 * tensors and no listeners behind (and split runs leave no helper threads); ten epochs with every event streaming at
 * full rate keep the trainer's memory flat (snapshot events the host cannot
 * keep up with are dropped, not queued). (A trainer killed mid-epoch and a
 * window reloaded mid-run are covered in training-service.test.ts and the
 * e2e suite.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainerEvent, TrainerMemory } from '../src-shared/protocol/trainer-messages';
import { TrainingService } from '../src-main/services/training-service';
import { forkLauncher } from '../src-main/trainer/host/trainer-child';
import { TEST_CACHE_DIR, templateSpec } from './helpers/specs';

let service: TrainingService | null = null;
afterEach(() => service?.dispose());

function newService(): { service: TrainingService; launched: () => number } {
  let launched = 0;
  // --expose-gc: the trainer collects garbage before it reports its memory, so a busy machine's late collections do not look like leaks.
  const fork = forkLauncher(['--expose-gc']);
  service = new TrainingService(() => {
    launched++;
    return fork();
  });
  return { service, launched: () => launched };
}

/** Resolves with the first event `pick` accepts; unsubscribes itself. */
function next<T extends TrainerEvent>(s: TrainingService, pick: (e: TrainerEvent) => e is T): Promise<T> {
  return new Promise((resolve) => {
    const off = s.onEvent((e) => {
      if (pick(e)) {
        off();
        resolve(e);
      }
    });
  });
}

const isDone = (e: TrainerEvent): e is Extract<TrainerEvent, { type: 'done' }> => e.type === 'done' || e.type === 'error';

/** Starts a vanilla run `cycles` times, stopping each at its first progress event; what each left behind. */
async function stopStartCycles(s: TrainingService, cycles: number, threads?: number): Promise<{ tensorsAfter: number[]; rss: number[] }> {
  const { spec, project } = templateSpec('vanilla');
  const tensorsAfter: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < cycles; i++) {
    const started = next(s, (e): e is Extract<TrainerEvent, { type: 'progress' }> => e.type === 'progress');
    const done = next(s, isDone);
    const runId = await s.start({ spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 100, batchSize: 32 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 512, progressIntervalMs: 0, threads } });
    await started;
    s.stop(runId);
    const end = await done;
    expect(end).toMatchObject({ type: 'done', status: 'stopped' });
    tensorsAfter.push(end.memory!.tensors);
    rss.push(end.memory!.rssBytes);
  }
  return { tensorsAfter, rss };
}

describe('trainer faults', () => {
  it('stop/start 50 times in a row: one trainer process, live tensors back to the same count, no listeners left', async () => {
    const { service: s, launched } = newService();
    const { tensorsAfter, rss } = await stopStartCycles(s, 50);
    expect(launched()).toBe(1);
    expect(new Set(tensorsAfter.slice(1)).size).toBe(1); // every run frees what it made
    expect(tensorsAfter.at(-1)).toBeLessThanOrEqual(tensorsAfter[0]);
    expect(s.listenerCount()).toBe(0);
    expect(s.activeRunId).toBeNull();
    // Resident memory (after a collection) settles once the backend's heap has grown to the run's size.
    const growth = (rss.at(-1)! - rss[9]) / rss[9];
    console.log(`50 stop/start cycles: trainer RSS ${(rss[9] / 2 ** 20).toFixed(0)} MB after 10, ${(rss.at(-1)! / 2 ** 20).toFixed(0)} MB after 50 (${(growth * 100).toFixed(1)} %); ${tensorsAfter.at(-1)} live tensors`);
    expect(growth).toBeLessThan(0.05);
  }, 180_000);

  it('stop/start 12 times with each batch split across 2 threads: the helper threads end with their run (RSS flat, tensors back to the same count)', async () => {
    const { service: s, launched } = newService();
    const { tensorsAfter, rss } = await stopStartCycles(s, 12, 2);
    expect(launched()).toBe(1);
    expect(new Set(tensorsAfter.slice(1)).size).toBe(1);
    // A helper thread left running keeps its own wasm heap and V8 isolate (tens of MB each): growth would show.
    const growth = (rss.at(-1)! - rss[3]) / rss[3];
    console.log(`12 split stop/start cycles: trainer RSS ${(rss[3] / 2 ** 20).toFixed(0)} MB after 4, ${(rss.at(-1)! / 2 ** 20).toFixed(0)} MB after 12 (${(growth * 100).toFixed(1)} %)`);
    expect(growth).toBeLessThan(0.05);
  }, 180_000);

  it('10 epochs with progress and reconstruction events at full rate: live tensors constant and trainer RSS within 5 % from epoch 2 on (measured after a garbage collection)', async () => {
    const { service: s } = newService();
    const { spec, project } = templateSpec('vanilla');
    const memory: TrainerMemory[] = [];
    let events = 0;
    const off = s.onEvent((e) => {
      events++;
      if (e.type === 'epoch') memory.push(e.memory!);
    });
    const done = next(s, isDone);
    await s.start({ spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 10, batchSize: 32 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 3000, progressIntervalMs: 0, reconstructionIntervalMs: 0 } });
    expect(await done).toMatchObject({ type: 'done', status: 'finished' });
    off();
    expect(memory).toHaveLength(10);
    // A progress and a reconstruction event per batch are sent (10 × 85 × 2); when this host reads slower
    // than they come, the trainer drops some rather than queue them, so count only that most arrived.
    expect(events).toBeGreaterThan(400);
    expect(new Set(memory.slice(1).map((m) => m.tensors)).size).toBe(1);
    const growth = (memory[9].rssBytes - memory[1].rssBytes) / memory[1].rssBytes;
    console.log(`10 epochs, ${events} events: trainer RSS ${(memory[1].rssBytes / 2 ** 20).toFixed(0)} MB at epoch 2, ${(memory[9].rssBytes / 2 ** 20).toFixed(0)} MB at epoch 10 (${(growth * 100).toFixed(1)} %)`);
    expect(growth).toBeLessThan(0.05);
  }, 180_000);
});
