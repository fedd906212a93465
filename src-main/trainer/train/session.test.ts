/**
 * Training sessions in this process on real MNIST digits, on the backend
 * this machine has: losses fall, events come in order, memory is steady,
 * the same seed repeats the same losses, penalties are reported.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { TrainerEvent } from '../../../src-shared/protocol/trainer-messages';
import { VANILLA, chainGraph } from '../../../tests/helpers/graphs';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import type { BackendChoice } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { writeRunOutputs } from './outputs';
import { DivergedError, RunControl, disposeSession, runSession } from './session';

let backend: BackendChoice;
let mnist: LoadedDataset;

beforeAll(async () => {
  ({ backend, mnist } = await trainerSetup());
});

async function train(template: string, settings: Partial<TrainingSettings>, maxSamples: number, control = new RunControl(), onEvent?: (e: TrainerEvent) => void, specOverride?: ModelSpec, quiet = false, extra: { initialWeights?: string; keepIn?: string; threads?: number } = {}) {
  const { project, spec: templateSpecValue } = templateSpec(template);
  const spec = specOverride ?? templateSpecValue;
  const events: TrainerEvent[] = [];
  const result = await runSession(
    { runId: 'test', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, validationSplit: 0.2, ...settings }, options: { cacheDir: TEST_CACHE_DIR, maxSamples, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet, initialWeights: extra.initialWeights, threads: extra.threads } },
    backend,
    mnist,
    (e) => {
      events.push(e);
      onEvent?.(e);
    },
    control,
  );
  if (extra.keepIn) await writeRunOutputs(extra.keepIn, { runId: 'test', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, ...settings }, options: { cacheDir: TEST_CACHE_DIR, progressIntervalMs: 0, reconstructionIntervalMs: 0, quiet } }, result);
  disposeSession(result);
  return { result, events };
}

describe(`training sessions (on this machine's backend)`, () => {
  it('vanilla: loss falls over two short epochs, events arrive in order, tensors stay steady', async () => {
    const { result, events } = await train('vanilla', { epochs: 2, batchSize: 32 }, 500);
    const types = events.map((e) => e.type).filter((t, i, a) => t !== a[i - 1]);
    expect(types).toEqual(['started', 'progress', 'epoch', 'reconstructions', 'latent', 'progress', 'epoch', 'reconstructions', 'latent']);
    const [e1, e2] = result.epochs;
    expect(e2.trainLoss).toBeLessThan(e1.trainLoss);
    expect(e2.valLoss!).toBeLessThan(e1.valLoss!);
    expect(result.tensorsPerEpoch[1]).toBe(result.tensorsPerEpoch[0]);
    const started = events[0] as Extract<TrainerEvent, { type: 'started' }>;
    expect(started).toMatchObject({ backend: backend.name, paramCount: 101200, trainCount: 400, valCount: 100, batchesPerEpoch: 13 });
    const recon = events.find((e) => e.type === 'reconstructions') as Extract<TrainerEvent, { type: 'reconstructions' }>;
    expect(recon.shape).toEqual([28, 28, 1]);
    expect(recon.input).toBeInstanceOf(Uint8Array);
    expect(recon.input.length).toBe(16 * 784);
    expect(recon.noised).toBeNull();
    const latent = events.find((e) => e.type === 'latent') as Extract<TrainerEvent, { type: 'latent' }>;
    expect(latent.method).toBe('pca');
    expect(latent.points.length).toBe(200);
    expect(latent.labels!.length).toBe(100);
  });

  it('convolutional: trains one short epoch and the loss falls within it', async () => {
    const { result, events } = await train('convolutional', { epochs: 1, batchSize: 32 }, 320);
    const progress = events.filter((e): e is Extract<TrainerEvent, { type: 'progress' }> => e.type === 'progress');
    expect(progress.length).toBe(8);
    expect(result.epochs[0].trainLoss).toBeLessThan(progress[0].loss);
    expect(Number.isFinite(result.epochs[0].valLoss)).toBe(true);
  });

  it('splitting each batch across threads trains the same model as one thread (no noise: only rounding differs)', async () => {
    // 3 threads on a batch of 50: parts of 17, 17 and 16 samples, so the weighting by part size matters.
    const one = await train('convolutional', { epochs: 2, batchSize: 50 }, 400, undefined, undefined, undefined, true, { threads: 1 });
    const three = await train('convolutional', { epochs: 2, batchSize: 50 }, 400, undefined, undefined, undefined, true, { threads: 3 });
    const started = (r: typeof one) => r.events[0] as Extract<TrainerEvent, { type: 'started' }>;
    expect([started(one).threads, started(three).threads]).toEqual([1, 3]);
    for (const [a, b] of one.result.epochs.map((e, i) => [e, three.result.epochs[i]])) {
      expect(Math.abs(b.trainLoss - a.trainLoss) / a.trainLoss).toBeLessThan(1e-4);
      expect(Math.abs(b.valLoss! - a.valLoss!) / a.valLoss!).toBeLessThan(1e-4);
    }
    expect(three.result.epochs[1].trainLoss).toBeLessThan(three.result.epochs[0].trainLoss);
    expect(three.result.tensorsPerEpoch[1]).toBe(three.result.tensorsPerEpoch[0]);
  });

  it('a quiet run (for benchmarks) sends only started, epoch events, and keeps the last reconstructions for its PNG', async () => {
    const { result, events } = await train('vanilla', { epochs: 2 }, 300, undefined, undefined, undefined, true);
    expect(events.map((e) => e.type)).toEqual(['started', 'epoch', 'epoch']);
    expect(result.lastReconstruction?.count).toBe(16);
  });

  it('the same seed gives the same losses; another seed other losses', async () => {
    const a = await train('vanilla', { epochs: 1, seed: 5, batchSize: 50 }, 300);
    const b = await train('vanilla', { epochs: 1, seed: 5, batchSize: 50 }, 300);
    const c = await train('vanilla', { epochs: 1, seed: 6, batchSize: 50 }, 300);
    expect(b.result.epochs[0].trainLoss).toBe(a.result.epochs[0].trainLoss);
    expect(b.result.epochs[0].valLoss).toBe(a.result.epochs[0].valLoss);
    expect(c.result.epochs[0].trainLoss).not.toBe(a.result.epochs[0].trainLoss);
  });

  it('sparse: reports the L1 activity penalty separately from the reconstruction loss', async () => {
    const { result } = await train('sparse', { epochs: 1 }, 300);
    expect(Object.keys(result.epochs[0].penalties)).toEqual(['l1:sparsity']);
    expect(result.epochs[0].penalties['l1:sparsity']).toBeGreaterThan(0);
  });

  it('denoising: the reconstructions carry the noised inputs too', async () => {
    const { events } = await train('denoising', { epochs: 1 }, 200);
    const recon = events.find((e) => e.type === 'reconstructions') as Extract<TrainerEvent, { type: 'reconstructions' }>;
    expect(recon.noised).toBeInstanceOf(Uint8Array);
    expect(recon.noised).not.toEqual(recon.input);
  });

  it('stop takes effect within one batch', async () => {
    const control = new RunControl();
    let progressAfterStop = 0;
    const { result } = await train('vanilla', { epochs: 3, batchSize: 16 }, 2000, control, (e) => {
      if (e.type !== 'progress') return;
      if (control.stopped) progressAfterStop++;
      if (e.batch === 5) control.stop();
    });
    expect(result.status).toBe('stopped');
    expect(progressAfterStop).toBe(0); // the stop came between batches: not one more batch ran
    expect(result.epochs).toHaveLength(0);
  });

  it('continues from the weights of an earlier run of the same graph, and refuses weights of another architecture', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aes-weights-'));
    const first = await train('vanilla', { epochs: 3 }, 600, undefined, undefined, undefined, true, { keepIn: dir });
    const fresh = await train('vanilla', { epochs: 1 }, 600, undefined, undefined, undefined, true);
    const resumed = await train('vanilla', { epochs: 1 }, 600, undefined, undefined, undefined, true, { initialWeights: dir });
    expect(resumed.result.epochs[0].valLoss!).toBeLessThan(fresh.result.epochs[0].valLoss!);
    expect(resumed.result.epochs[0].valLoss!).toBeLessThan(first.result.epochs[0].valLoss!);
    const wrong = await train('multilayer', { epochs: 1 }, 200, undefined, undefined, undefined, true, { initialWeights: dir }).then(() => null, (e: unknown) => e as Error);
    expect(wrong?.message).toBe(`The weights in ${dir} have no layer "enc1"`);
  });

  it('a diverging run stops with an error that says what to try', async () => {
    // A linear model with MSE is unbounded: the largest SGD step the settings allow, with heavy momentum, blows it up.
    const linear = compile(chainGraph([VANILLA[0], ['code', 'bottleneck', { size: 64, activation: 'linear' }], ['dec', 'decoder', { units: 784, activation: 'linear' }], ['out', 'output', { activation: 'linear' }]]));
    if (!linear.ok) throw new Error('does not compile');
    const err = await train('vanilla', { epochs: 30, optimizer: 'sgd', learningRate: 10, momentum: 0.99 }, 400, undefined, undefined, linear.spec).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DivergedError);
    expect((err as DivergedError).message).toMatch(/^The loss became (NaN|infinite) at epoch \d+, batch \d+$/);
    expect((err as DivergedError).hint).toBe('Lower the learning rate (now 10; try 1). Try Adam, which adapts the step size.');
  });
});
