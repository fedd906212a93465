/**
 * What a run leaves on disk, written as the run goes so a killed run keeps
 * what it reached: at the start spec.json, the project and a record with
 * status "running"; after each epoch the record (metrics.json), a
 * checkpoint of the latest weights and optimizer slots (kept after the run:
 * continuing it for more epochs starts there) and, with keepBest, the best
 * epoch's weights (best/); at the end the trained autoencoder in TF.js
 * layers format (model.json + weights.bin, without noise layers: the best
 * epoch's with keepBest, else the last's), a Keras script that rebuilds it (model.py) and a
 * PNG grid of validation reconstructions (rows: input, noised, output).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { composeRows } from '../../../src-shared/analysis/image-grid';
import { kerasScript } from '../../../src-shared/export/keras-script';
import { BEST_DIR, RUN_RECORD_VERSION } from '../../../src-shared/run/run-record';
import { bestEpochOf, scheduleParams } from '../../../src-shared/run/training-schedule';
import type { RunRecord } from '../../../src-shared/run/run-record';
import type { EpochMetrics, PretrainStageMetrics } from '../../../src-shared/protocol/trainer-messages';
import { writeFileAtomic } from '../../common/atomic-write';
import { checkOutputFolder, checkpointDir, readCheckpoint, readRunRecord, writeRunRecord } from '../../common/run-folder';
import type { BuiltModel } from '../model/build-model';
import { saveLayersModel } from '../model/save-layers-model';
import type { ReconstructionSnapshot } from './snapshots';
import type { RunSink } from './run-sink';
import type { AfterEpoch, KeptWeights } from './epoch-controls';
import type { SessionInput, SessionResult } from './session';

/** A PNG of the reconstructions: one row per kind of image, one column per sample, 2 px gaps, scaled ×`zoom`. */
export async function reconstructionGridPng(snap: ReconstructionSnapshot, zoom = 2): Promise<Buffer> {
  const rows = [snap.input, ...(snap.noised ? [snap.noised] : []), snap.output].map((pixels) => ({ shape: snap.shape, count: snap.count, pixels }));
  const { width, height, channels, data } = composeRows(rows);
  return sharp(data, { raw: { width, height, channels } }).resize(width * zoom, height * zoom, { kernel: 'nearest' }).png().toBuffer();
}

/** Optimizer slots per weight: Adam keeps two moments, momentum and RMSprop one or two; two covers each. */
const SLOTS_PER_WEIGHT = 2;

/**
 * Bytes a run writes at most at one time: the final model, and the
 * checkpoint (weights + optimizer slots) twice while a new one replaces the
 * old, the best epoch's weights (keepBest), plus the reconstructions and the small files.
 */
export function expectedRunBytes(paramCount: number, sampleSize: number): number {
  const weights = paramCount * 4;
  return weights + weights /* best/ */ + 2 * weights * (1 + SLOTS_PER_WEIGHT) + 16 * 3 * sampleSize * 4 * 4 + 1024 * 1024;
}

/** The record of a run that starts now. */
function freshRecord(input: SessionInput): RunRecord {
  return {
    version: RUN_RECORD_VERSION,
    runId: input.runId,
    status: 'running',
    pid: process.pid,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    error: null,
    backend: null,
    backendNotes: [],
    backendMeasurement: null,
    threads: null,
    paramCount: null,
    dataset: { ref: input.dataset },
    seed: input.settings.seed,
    settings: input.settings,
    maxSamples: input.options.maxSamples ?? null,
    epochs: [],
    pretrain: [],
    checkpointEpoch: null,
    resumes: [],
    stopReason: null,
    bestEpoch: null,
    keptEpoch: null,
    patienceFrom: 0,
  };
}

/** Writes one run's folder as the run goes; the session calls it before the first epoch and after each one. */
export class RunWriter implements RunSink {
  private constructor(
    readonly dir: string,
    private readonly input: SessionInput,
    private record: RunRecord,
    /** The checkpoint a resumed run starts from. */
    readonly resumeFrom: RunSink['resumeFrom'],
  ) {}

  /** The backend the record says the run trained on (a resumed run continues on it where it loads). */
  get recordedBackend(): RunRecord['backend'] {
    return this.record.backend;
  }

  /** The threads the record says the run split its batches across. */
  get recordedThreads(): RunRecord['threads'] {
    return this.record.threads;
  }

  /** Creates the run folder: spec, project and a "running" record with this process's id. */
  static async begin(dir: string, input: SessionInput): Promise<RunWriter> {
    await checkOutputFolder(dir); // writable at all: refused before the data loads; the space is checked once the model's size is known
    const writer = new RunWriter(dir, input, freshRecord(input), null);
    await writeFileAtomic(join(dir, 'spec.json'), `${JSON.stringify(input.spec, null, 2)}\n`);
    if (input.options.projectText) await writeFileAtomic(join(dir, 'project.aestudio'), input.options.projectText);
    await writeRunRecord(dir, writer.record);
    return writer;
  }

  /**
   * Continues the run in `dir` from its checkpoint: its epochs up to the
   * checkpoint are kept, the record says "running" again. `input.settings`
   * may give it more epochs than it had (continuing a finished run); a run
   * that had stopped early then counts its patience afresh from here.
   */
  static async resume(dir: string, input: SessionInput): Promise<RunWriter> {
    const read = await readRunRecord(dir);
    if (!read.ok) throw new Error(read.error);
    const checkpoint = await readCheckpoint(checkpointDir(dir));
    const epochs = read.record.epochs.filter((e) => e.epoch <= checkpoint.epoch);
    if (epochs.length !== checkpoint.epoch) throw new Error(`${dir}: the checkpoint is of epoch ${checkpoint.epoch} but the record keeps ${epochs.length} epochs up to it; the run cannot be resumed`);
    const optimizerWeights = checkpoint.optimizer ? Object.entries(tf.io.decodeWeights(checkpoint.optimizer.data, checkpoint.optimizer.specs)).map(([name, tensor]) => ({ name, tensor })) : null;
    const patienceFrom = read.record.stopReason === 'earlyStopping' ? checkpoint.epoch : read.record.patienceFrom;
    const bestWeights = await keptBestWeights(dir, epochs, input, checkpoint.epoch);
    const record: RunRecord = { ...read.record, status: 'running', pid: process.pid, error: null, finishedAt: null, epochs, checkpointEpoch: checkpoint.epoch, settings: input.settings, stopReason: null, keptEpoch: null, patienceFrom, resumes: [...read.record.resumes, { at: new Date().toISOString(), fromEpoch: checkpoint.epoch }] };
    const writer = new RunWriter(dir, input, record, { epochs, weightsDir: checkpointDir(dir), optimizerWeights, bestWeights, patienceFrom });
    await writeRunRecord(dir, record);
    return writer;
  }

  /** Before the first epoch: the folder still takes writes and has room for the run; what the run found is recorded. */
  async beforeFirstEpoch(info: Parameters<RunSink['beforeFirstEpoch']>[0]): Promise<void> {
    await checkOutputFolder(this.dir, expectedRunBytes(info.paramCount, info.sampleSize));
    this.record = { ...this.record, backend: info.backend as RunRecord['backend'], backendNotes: info.backendNotes, backendMeasurement: info.backendMeasurement, threads: info.threads, paramCount: info.paramCount, dataset: { ...info.dataset, ref: this.record.dataset.ref ?? this.input.dataset } }; // a resumed run keeps its ref as written (relative stays relative)
    await writeRunRecord(this.dir, this.record);
  }

  /**
   * After each epoch: the record gets its metrics first, then the checkpoint
   * is replaced (its model.json, which names the epoch, is the commit point),
   * then the record names the checkpoint's epoch. A kill anywhere in between
   * leaves a checkpoint whose epoch the record has metrics for.
   */
  async epochDone(epochs: EpochMetrics[], model: BuiltModel, optimizer: tf.Optimizer, after?: AfterEpoch): Promise<void> {
    const epoch = epochs.length;
    this.record = { ...this.record, epochs: [...epochs], bestEpoch: after?.bestEpoch ?? this.record.bestEpoch };
    await writeRunRecord(this.dir, this.record);
    // The best epoch's weights, while they are the model's: a killed run's resume (and its final model) finds them here.
    if (after?.newBest && this.input.settings.keepBest) {
      const best = join(this.dir, BEST_DIR);
      await saveLayersModel(model.inference, best, { weightsFile: `weights-${epoch}.bin`, extra: { checkpoint: { epoch, optimizer: null } } });
      for (const f of await readdir(best)) if (f !== 'model.json' && f !== `weights-${epoch}.bin` && !f.startsWith('.')) await rm(join(best, f), { force: true });
    }
    const dir = checkpointDir(this.dir);
    const slots = await optimizer.getWeights();
    const encoded = await tf.io.encodeWeights(slots);
    slots.filter((s) => s.name === 'iter').forEach((s) => s.tensor.dispose()); // getWeights makes the step counter afresh; the rest are the optimizer's own variables
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, `optimizer-${epoch}.bin`), new Uint8Array(encoded.data));
    await saveLayersModel(model.inference, dir, { weightsFile: `weights-${epoch}.bin`, extra: { checkpoint: { epoch, optimizer: { path: `optimizer-${epoch}.bin`, specs: encoded.specs } } } });
    // Older epochs' files are no longer named by model.json.
    const keep = new Set([`weights-${epoch}.bin`, `optimizer-${epoch}.bin`, 'model.json']);
    for (const f of await readdir(dir)) if (!keep.has(f) && !f.startsWith('.')) await rm(join(dir, f), { force: true });
    this.record = { ...this.record, checkpointEpoch: epoch };
    await writeRunRecord(this.dir, this.record);
  }

  /** After each layer-wise pretraining stage: the record keeps its losses at once (a run killed while fine-tuning still has them). */
  async pretrainStageDone(stages: PretrainStageMetrics[]): Promise<void> {
    this.record = { ...this.record, pretrain: [...stages] };
    await writeRunRecord(this.dir, this.record);
  }

  /** The end of a run that finished or was stopped: the final outputs and record; returns the file names written. */
  async finish(result: SessionResult): Promise<string[]> {
    const { dir, input } = this;
    const files = await saveLayersModel(result.model.inference, dir);
    await writeFileAtomic(join(dir, 'model.py'), kerasScript(input.spec, 'Trained autoencoder', input.settings));
    if (result.lastReconstruction) await writeFileAtomic(join(dir, 'reconstructions.png'), await reconstructionGridPng(result.lastReconstruction));
    // The checkpoint stays, finished or not: it is what continuing the run for more epochs starts from.
    // A resumed session ran no stages: the record keeps those of the run's first session.
    this.record = { ...this.record, status: result.status, pid: null, epochs: result.epochs, pretrain: result.pretrain.length > 0 ? result.pretrain : this.record.pretrain, finishedAt: new Date().toISOString(), stopReason: result.stopReason, bestEpoch: result.bestEpoch, keptEpoch: result.keptEpoch };
    await writeRunRecord(dir, this.record);
    files.push('metrics.json', 'spec.json', 'model.py');
    if (input.options.projectText) files.push('project.aestudio');
    if (result.lastReconstruction) files.push('reconstructions.png');
    return files;
  }

  /** The end of a failed run: the record keeps the epochs it finished and why it stopped. */
  async fail(error: { message: string; hint: string }): Promise<void> {
    this.record = { ...this.record, status: 'failed', pid: null, error, finishedAt: new Date().toISOString() };
    await writeRunRecord(this.dir, this.record);
  }
}

/**
 * Where a resumed run finds its best epoch's weights: the checkpoint when the
 * best is the checkpoint's epoch, else the best/ folder when it holds that
 * epoch (null otherwise: a run killed between two writes keeps its last epoch).
 */
async function keptBestWeights(dir: string, epochs: EpochMetrics[], input: SessionInput, checkpointEpoch: number): Promise<KeptWeights | null> {
  if (!input.settings.keepBest) return null;
  const best = bestEpochOf(epochs, scheduleParams(input.settings).minDelta);
  if (best === null) return null;
  if (best === checkpointEpoch) return { dir: checkpointDir(dir), epoch: best };
  const held = await readCheckpoint(join(dir, BEST_DIR)).catch(() => null);
  return held?.epoch === best ? { dir: join(dir, BEST_DIR), epoch: best } : null;
}

/** Writes every output of a finished session at once (tests and tools that run a session without a writer). */
export async function writeRunOutputs(dir: string, input: SessionInput, result: SessionResult): Promise<string[]> {
  const writer = await RunWriter.begin(dir, input);
  await writer.beforeFirstEpoch({ paramCount: result.paramCount, backend: result.backend.name, backendNotes: result.backend.notes, backendMeasurement: result.backend.measurement, threads: result.threads, dataset: result.data.summary, sampleSize: input.spec.inputShape.reduce((a, b) => a * b, 1) });
  return writer.finish(result);
}
