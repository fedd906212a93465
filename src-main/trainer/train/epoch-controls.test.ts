/**
 * The epoch controls in real runs on MNIST digits, written to run folders as
 * the app writes them: a schedule's learning rate reaches each epoch and its
 * record; early stopping ends a run after `patience` epochs without
 * improvement and says so; with keepBest the run folder's model is the best
 * epoch's (its validation loss, recomputed from the written files, is that
 * epoch's); a finished run continued for more epochs trains them as an
 * uninterrupted run would.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import { BEST_DIR } from '../../../src-shared/run/run-record';
import { learningRateAt } from '../../../src-shared/run/training-schedule';
import { splitIndices } from '../../../src-shared/util/random';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import { checkpointDir, readCheckpoint, readRunRecord } from '../../common/run-folder';
import type { BackendChoice } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { readLayersModel } from '../model/load-weights';
import { RunWriter } from './outputs';
import type { SessionInput } from './session';
import { RunControl, disposeSession, runSession } from './session';

let backend: BackendChoice;
let mnist: LoadedDataset;

beforeAll(async () => {
  ({ backend, mnist } = await trainerSetup());
});

const MAX_SAMPLES = 500;

/** Trains the vanilla template into `dir` (or continues the run there) with these settings. */
async function run(dir: string, settings: Partial<TrainingSettings>, resume = false, stopAfter?: number) {
  const { project, spec } = templateSpec('vanilla');
  const input: SessionInput = { runId: 'r', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, batchSize: 32, validationSplit: 0.2, ...settings }, options: { cacheDir: TEST_CACHE_DIR, outDir: dir, maxSamples: MAX_SAMPLES, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: true, resume } };
  const writer = resume ? await RunWriter.resume(dir, input) : await RunWriter.begin(dir, input);
  const control = new RunControl();
  const result = await runSession(input, backend, mnist, (e) => e.type === 'epoch' && e.metrics.epoch === stopAfter && control.stop(), control, writer);
  try {
    await writer.finish(result);
  } finally {
    disposeSession(result);
  }
  const record = await readRunRecord(dir);
  if (!record.ok) throw new Error(record.error);
  return { result, record: record.record, settings: input.settings };
}

/** The mean squared error of the model in `modelDir` on the run's validation split, recomputed from the files. */
async function valLossOf(modelDir: string, settings: TrainingSettings): Promise<number> {
  const model = await readLayersModel(modelDir);
  const { val } = splitIndices(mnist.summary.count, settings.validationSplit, settings.seed, MAX_SAMPLES);
  const size = mnist.values.length / mnist.summary.count;
  const loss = tf.tidy(() => {
    const x = tf.tensor(Float32Array.from(Array.from(val, (i) => Array.from(mnist.values.subarray(i * size, (i + 1) * size))).flat()), [val.length, ...templateSpec('vanilla').spec.inputShape]);
    return tf.mean(tf.square(tf.sub(model.predict(x) as tf.Tensor, x)));
  });
  const value = (await loss.data())[0];
  tf.dispose(loss);
  model.dispose();
  return value;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('epoch controls in real runs', () => {
  it('a step schedule: each epoch trains and records the learning rate the schedule gives it, and the losses follow', async () => {
    const settings: Partial<TrainingSettings> = { epochs: 3, learningRate: 0.002, lrSchedule: 'step', lrStepEvery: 1, lrFactor: 0.1 };
    const stepped = await run(await mkdtemp(join(tmpdir(), 'aes-step-')), settings);
    const constant = await run(await mkdtemp(join(tmpdir(), 'aes-const-')), { ...settings, lrSchedule: 'none' });
    expect(stepped.record.epochs.map((e) => e.learningRate)).toEqual([1, 2, 3].map((e) => learningRateAt(stepped.settings, e, [])));
    [0.002, 0.0002, 0.00002].forEach((want, i) => expect(stepped.record.epochs[i].learningRate).toBeCloseTo(want, 12));
    expect(constant.record.epochs.map((e) => e.learningRate)).toEqual([0.002, 0.002, 0.002]);
    // Epoch 1 is the same run; from epoch 2 the smaller steps move the loss less.
    expect(stepped.record.epochs[0].trainLoss).toBe(constant.record.epochs[0].trainLoss);
    const fall = (r: typeof stepped) => r.record.epochs[1].trainLoss - r.record.epochs[2].trainLoss;
    expect(Math.abs(fall(stepped))).toBeLessThan(Math.abs(fall(constant)));
    expect(stepped.record.stopReason).toBe('completed');
  }, 60_000);

  it('early stopping ends the run after `patience` epochs without improvement, says why, and keepBest leaves the best epoch in the run folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aes-early-'));
    // No loss beats the first by more than 1000: epoch 1 stays the best, and patience 2 ends the run after epoch 3.
    const { result, record, settings } = await run(dir, { epochs: 10, earlyStopping: true, earlyStopPatience: 2, minDelta: 1000, keepBest: true });
    expect(result.status).toBe('finished');
    expect(record).toMatchObject({ status: 'finished', stopReason: 'earlyStopping', bestEpoch: 1, keptEpoch: 1, checkpointEpoch: 3 });
    expect(record.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    const [first, , last] = record.epochs;
    expect(last.valLoss!).toBeLessThan(first.valLoss!); // training did improve: the kept epoch is not the last's
    // The written model is epoch 1's: its validation loss recomputed from the files is epoch 1's, not epoch 3's.
    // (Relative to 1e-4: the recomputation sums in another order in float32.)
    const written = await valLossOf(dir, settings);
    expect(rel(written, first.valLoss!)).toBeLessThan(1e-4);
    expect(rel(written, last.valLoss!)).toBeGreaterThan(1e-2);
    // best/ holds epoch 1's weights; the checkpoint (for continuing) epoch 3's.
    expect((await readCheckpoint(join(dir, BEST_DIR))).epoch).toBe(1);
    expect(rel(await valLossOf(join(dir, BEST_DIR), settings), first.valLoss!)).toBeLessThan(1e-4);
    expect(rel(await valLossOf(checkpointDir(dir), settings), last.valLoss!)).toBeLessThan(1e-4);
  }, 60_000);

  it('keepBest across a stop and resume: the best epoch of the first session is put back from best/ on disk at the end of the second', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aes-best-resumed-'));
    const settings: Partial<TrainingSettings> = { epochs: 4, keepBest: true, minDelta: 1000 }; // epoch 1 stays the best
    const stopped = await run(dir, settings, false, 2);
    expect(stopped.record).toMatchObject({ status: 'stopped', stopReason: 'stoppedByUser', bestEpoch: 1, keptEpoch: 1, checkpointEpoch: 2 });
    const resumed = await run(dir, settings, true);
    expect(resumed.record).toMatchObject({ status: 'finished', stopReason: 'completed', bestEpoch: 1, keptEpoch: 1, checkpointEpoch: 4 });
    const epochs = resumed.record.epochs;
    expect(rel(epochs[3].valLoss!, epochs[0].valLoss!)).toBeGreaterThan(1e-2);
    expect(rel(await valLossOf(dir, resumed.settings), epochs[0].valLoss!)).toBeLessThan(1e-4);
  }, 60_000);

  it('a finished run continued for 2 more epochs appends them, training them as an uninterrupted 4-epoch run does (schedule included)', async () => {
    const settings: Partial<TrainingSettings> = { learningRate: 0.002, lrSchedule: 'step', lrStepEvery: 2, lrFactor: 0.5 };
    const whole = await run(await mkdtemp(join(tmpdir(), 'aes-whole-')), { ...settings, epochs: 4 });
    const dir = await mkdtemp(join(tmpdir(), 'aes-more-'));
    const first = await run(dir, { ...settings, epochs: 2 });
    expect(first.record).toMatchObject({ status: 'finished', stopReason: 'completed', checkpointEpoch: 2 });
    expect((await readdir(checkpointDir(dir))).sort()).toEqual(['model.json', 'optimizer-2.bin', 'weights-2.bin']);
    const more = await run(dir, { ...settings, epochs: 4 }, true);
    expect(more.record).toMatchObject({ status: 'finished', stopReason: 'completed', checkpointEpoch: 4, keptEpoch: 4, resumes: [{ fromEpoch: 2 }], settings: { epochs: 4 } });
    expect(more.record.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(more.record.epochs.map((e) => e.learningRate)).toEqual(whole.record.epochs.map((e) => e.learningRate));
    // Same weights, optimizer moments, shuffles and learning rates: only float rounding may differ.
    more.record.epochs.forEach((e, i) => expect(e.trainLoss).toBeCloseTo(whole.record.epochs[i].trainLoss, 5));
    expect(more.record.epochs[2].valLoss!).toBeCloseTo(whole.record.epochs[2].valLoss!, 5);
  }, 90_000);
});
