/**
 * The trainer's command loop with its channel replaced by a recorder (the
 * channel is the process boundary; everything behind it is real): snapshot
 * events are dropped while the host is behind, never the ones a run's record
 * needs.
 */
import { describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { TEST_CACHE_DIR, templateSpec } from '../../tests/helpers/specs';
import type { TrainerPort } from './port';
import { serveTrainer } from './trainer-main';

function runWithBacklog(backlog: number): Promise<TrainerEvent[]> {
  const posted: TrainerEvent[] = [];
  let handler: (m: unknown) => void = () => undefined;
  return new Promise((resolve) => {
    const port: TrainerPort = {
      post: (m) => {
        posted.push(m as TrainerEvent);
        const e = m as TrainerEvent;
        if (e.type === 'done' || e.type === 'error') resolve(posted);
      },
      onMessage: (h) => (handler = h),
      backlog: () => backlog,
    };
    serveTrainer(port);
    const { spec, project } = templateSpec('vanilla');
    handler({ type: 'start', runId: 'r', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 2, batchSize: 16 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 160, progressIntervalMs: 0, reconstructionIntervalMs: 0 } });
  });
}

describe('serveTrainer', () => {
  it('drops progress and reconstruction events while the host is behind, and keeps every event a run needs', async () => {
    const count = (events: TrainerEvent[], type: TrainerEvent['type']) => events.filter((e) => e.type === type).length;
    const keeping = await runWithBacklog(0);
    expect(count(keeping, 'progress')).toBeGreaterThanOrEqual(2 * 9);
    expect(count(keeping, 'reconstructions')).toBeGreaterThan(0);
    const behind = await runWithBacklog(100);
    expect([count(behind, 'progress'), count(behind, 'reconstructions')]).toEqual([0, 0]);
    expect(['ready', 'started', 'epoch', 'latent', 'done'].map((t) => count(behind, t as TrainerEvent['type']))).toEqual([1, 1, 2, 2, 1]);
  }, 60_000);
});
