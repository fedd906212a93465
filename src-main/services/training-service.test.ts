/**
 * The trainer as a real separate process (forked, as the CLI and browser
 * mode run it): events cross the process boundary in order with typed
 * arrays intact, stop and pause work, a killed trainer is reported and the
 * next run gets a fresh process.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { TEST_CACHE_DIR, templateSpec } from '../../tests/helpers/specs';
import type { TrainerChild } from '../trainer/host/trainer-child';
import { forkLauncher } from '../trainer/host/trainer-child';
import { TrainingService } from './training-service';

let service: TrainingService;
let children: TrainerChild[] = [];

function newService() {
  const fork = forkLauncher();
  children = [];
  service = new TrainingService(() => {
    const c = fork();
    children.push(c);
    return c;
  });
  return service;
}

afterEach(() => service?.dispose());

function request(template: string, maxSamples: number, epochs: number, batchSize = 32) {
  const { project, spec } = templateSpec(template);
  return { spec, dataset: { kind: 'builtin' as const, id: 'mnist' }, settings: { ...project.training, epochs, batchSize, validationSplit: 0.2 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples, progressIntervalMs: 0 } };
}

/** Collects events until `until` says stop. */
function collect(s: TrainingService, until: (e: TrainerEvent, all: TrainerEvent[]) => boolean): Promise<TrainerEvent[]> {
  return new Promise((resolve) => {
    const all: TrainerEvent[] = [];
    const off = s.onEvent((e) => {
      all.push(e);
      if (until(e, all)) {
        off();
        resolve(all);
      }
    });
  });
}

const isEnd = (e: TrainerEvent) => e.type === 'done' || e.type === 'error';

describe('TrainingService with a real trainer process', () => {
  it('trains vanilla for an epoch; events arrive in order with typed arrays intact', async () => {
    const s = newService();
    const events = collect(s, isEnd);
    const runId = await s.start(request('vanilla', 400, 1));
    const all = await events;
    expect(all.every((e) => !('runId' in e) || e.runId === runId)).toBe(true);
    const types = all.map((e) => e.type).filter((t, i, a) => t !== a[i - 1]);
    expect(types).toEqual(['started', 'progress', 'epoch', 'reconstructions', 'latent', 'done']);
    const recon = all.find((e) => e.type === 'reconstructions') as Extract<TrainerEvent, { type: 'reconstructions' }>;
    expect(recon.output).toBeInstanceOf(Uint8Array);
    const latent = all.find((e) => e.type === 'latent') as Extract<TrainerEvent, { type: 'latent' }>;
    expect(latent.points).toBeInstanceOf(Float32Array);
    expect(all.at(-1)).toMatchObject({ type: 'done', status: 'finished', files: [] });
    expect(s.activeRunId).toBeNull();
  });

  it('pause holds the run until resumed, and stop ends it from a pause without another batch', async () => {
    const s = newService();
    let runId = '';
    let pauses = 0;
    let paused = false;
    let progressWhilePaused = 0;
    let progressAfterStop = 0;
    let stopping = false;
    const events = collect(s, (e) => {
      if (e.type === 'progress' && e.batch === 3 && pauses === 0) {
        s.pause(runId);
        pauses = 1;
        setTimeout(() => s.resume(runId), 400);
      }
      if (e.type === 'progress' && e.batch === 8 && pauses === 1) {
        s.pause(runId);
        pauses = 2;
      }
      // Counted from the trainer's acknowledgements, never from when a command was sent: how many
      // batches run before a command arrives depends on the machine's speed, not on the trainer.
      if (e.type === 'paused') {
        paused = true;
        // The second pause acknowledged: stop now, while the trainer holds.
        if (pauses === 2 && !stopping) {
          stopping = true;
          s.stop(runId);
        }
      }
      if (e.type === 'resumed') paused = false;
      if (e.type === 'progress' && paused) progressWhilePaused++;
      if (e.type === 'progress' && stopping) progressAfterStop++;
      return isEnd(e);
    });
    runId = await s.start(request('vanilla', 4000, 3, 128));
    const all = await events;
    expect(all.filter((e) => e.type === 'paused')).toHaveLength(2);
    expect(all.filter((e) => e.type === 'resumed')).toHaveLength(1);
    // At most the batch already running when each pause arrived (two pauses).
    expect(progressWhilePaused).toBeLessThanOrEqual(2);
    // Stopped while held: at most that same running batch reports after the stop, none after it.
    expect(progressAfterStop).toBeLessThanOrEqual(1);
    expect(all.at(-1)).toMatchObject({ type: 'done', status: 'stopped', epochs: [] });
  });

  it('a trainer killed mid-run is reported as a failed run, and the next run starts a fresh process', async () => {
    const s = newService();
    const events = collect(s, (e) => {
      if (e.type === 'progress' && e.batch === 2) children[0].kill();
      return isEnd(e);
    });
    const runId = await s.start(request('vanilla', 4000, 5, 16));
    const all = await events;
    expect(all.at(-1)).toMatchObject({ type: 'error', runId, message: expect.stringMatching(/^The trainer process stopped unexpectedly \(killed by SIGTERM\)/) });
    expect(s.activeRunId).toBeNull();

    const again = collect(s, isEnd);
    await s.start(request('vanilla', 200, 1));
    expect((await again).at(-1)).toMatchObject({ type: 'done', status: 'finished' });
    expect(children).toHaveLength(2);
  });

  it('keeps a compacted history of the latest run for a window that reloads', async () => {
    const s = newService();
    expect(s.snapshot()).toEqual([]);
    const events = collect(s, isEnd);
    const runId = await s.start(request('vanilla', 400, 3));
    await events;
    const history = s.snapshot();
    const count = (t: string) => history.filter((e) => e.type === t).length;
    expect([history[0].type, history.at(-1)!.type]).toEqual(['started', 'done']);
    expect(['epoch', 'progress', 'reconstructions', 'latent'].map(count)).toEqual([3, 1, 1, 1]); // every epoch, only the latest of the rest
    expect(history.every((e) => 'runId' in e && e.runId === runId)).toBe(true);
  });

  it('relays a watch to the run: the named layer\'s activations come back across the process boundary, the latest kept for a reload', async () => {
    const s = newService();
    const { spec } = templateSpec('vanilla');
    const code = spec.layers[spec.codeLayerIndex].name;
    const events = collect(s, isEnd);
    // Watched as soon as the run has started: answered before a batch, then after each epoch.
    s.onEvent((e) => {
      if (e.type === 'started') s.watch(e.runId, { layer: code, sample: 3 });
    });
    await s.start(request('vanilla', 400, 2));
    const all = await events;
    const acts = all.filter((e) => e.type === 'activations');
    expect(acts.length).toBeGreaterThanOrEqual(2);
    expect(acts.at(-1)).toMatchObject({ layer: code, sample: 3, epoch: 2, activations: { kind: 'vector', shape: [64] } });
    const last = acts.at(-1)!.activations;
    expect(last.kind === 'vector' && last.values).toBeInstanceOf(Float32Array);
    const started = all.find((e) => e.type === 'started');
    expect(started?.type === 'started' && started.latentSamples).toMatchObject({ kind: 'image', shape: [28, 28, 1], count: 80 });
    expect(s.snapshot().filter((e) => e.type === 'activations')).toEqual([acts.at(-1)]);
  });

  it('refuses a second run while one trains', async () => {
    const s = newService();
    const events = collect(s, isEnd);
    const runId = await s.start(request('vanilla', 2000, 3, 16));
    await expect(s.start(request('vanilla', 200, 1))).rejects.toThrow(`A run is already training (${runId}); stop it first.`);
    s.stop(runId);
    await events;
  });

  it('answers analyses and decodes to their caller only, reports their errors, and a trainer dying mid-request rejects it', async () => {
    const s = newService();
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const runDir = await mkdtemp(join(tmpdir(), 'aes-svc-run-'));
    const done = collect(s, isEnd);
    await s.start({ ...request('vanilla', 300, 1), options: { ...request('vanilla', 300, 1).options, outDir: runDir } });
    await done;
    const seen: TrainerEvent[] = [];
    s.onEvent((e) => seen.push(e));
    const latent = await s.analyze(runDir, { task: 'latent', count: 4, steps: 3 }, TEST_CACHE_DIR, join(runDir, 'analysis'));
    expect(latent).toMatchObject({ task: 'latent', codeSize: 64, interpolation: { count: 3 } });
    const image = await s.decode(runDir, new Float32Array(64), 1, TEST_CACHE_DIR);
    expect([image.count, image.pixels.length]).toEqual([1, 784]);
    await expect(s.analyze('/nonexistent-run', { task: 'pca' }, TEST_CACHE_DIR, '/tmp')).rejects.toThrow(/spec\.json is missing/);
    expect(seen).toEqual([]); // nothing was broadcast to other listeners

    const pending = s.analyze(runDir, { task: 'pca', maxSamples: 200 }, TEST_CACHE_DIR, join(runDir, 'analysis'));
    children.at(-1)!.kill();
    await expect(pending).rejects.toThrow(/The trainer process stopped during an analysis \(killed by SIGTERM\)/);
  }, 60_000);
});

describe('TrainingService when the trainer answers with an event that fails validation', () => {
  /** The stand-in trainer of tests/helpers/invalid-trainer.ts, forked as the real one is (structured clone keeps NaN a NaN). */
  function invalidTrainer(env: Record<string, string> = {}): TrainingService {
    const file = join(import.meta.dirname, '../../tests/helpers/invalid-trainer.ts');
    service = new TrainingService(() => {
      const child = fork(file, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      return {
        send: (m) => void child.send(m as never),
        onMessage: (h) => void child.on('message', h),
        onExit: (h) => void child.on('exit', (code, signal) => h(signal ? `killed by ${signal}` : `exit code ${code}`)),
        kill: () => void child.kill(),
      };
    });
    return service;
  }

  it('rejects the request an invalid answer names, saying which field was wrong', async () => {
    const s = invalidTrainer();
    await expect(s.evaluate('/run', { kind: 'builtin', id: 'mnist' }, TEST_CACHE_DIR)).rejects.toThrow(
      /^The trainer's "evaluated" message is not valid: mse: Invalid input: expected number, received NaN\. The run's weights are probably broken/,
    );
    await expect(s.analyze('/run', { task: 'pca' }, TEST_CACHE_DIR, '/tmp')).rejects.toThrow(/^The trainer's "analyzed" message is not valid: result\.task: .*This is a bug in Autoencoder Studio/);
  });

  it('ends the active run as an error for the listeners, stops it, and drops the rest of its events', async () => {
    const s = invalidTrainer();
    const seen: TrainerEvent[] = [];
    s.onEvent((e) => seen.push(e));
    const ended = collect(s, isEnd);
    const runId = await s.start(request('vanilla', 100, 1));
    expect((await ended).at(-1)).toMatchObject({ type: 'error', runId, message: expect.stringMatching(/"progress" message is not valid: loss: .*NaN/) });
    expect(s.activeRunId).toBeNull();
    // The stand-in answers our stop with the run's done; a later answer proves it has arrived (one pipe, in order).
    await expect(s.evaluate('/run', { kind: 'builtin', id: 'mnist' }, TEST_CACHE_DIR)).rejects.toThrow(/not valid/);
    expect(seen.map((e) => e.type)).toEqual(['error']);
  });

  it("rejects the waiting call when even the trainer's ready message is invalid, instead of waiting for ever", async () => {
    const s = invalidTrainer({ AES_INVALID_READY: '1' });
    await expect(s.evaluate('/run', { kind: 'builtin', id: 'mnist' }, TEST_CACHE_DIR)).rejects.toThrow(/^The trainer's "ready" message is not valid: pid: .*This is a bug/);
  });
});
