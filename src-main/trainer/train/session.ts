/**
 * One training run inside the trainer process: load data, build the model,
 * run a hand-written loop (not model.fit: stop within one batch, pause,
 * per-penalty losses, seeded shuffles, throttled events), then write the
 * outputs. Everything it reports goes through `emit`.
 */
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { EpochMetrics, PretrainStageMetrics, RunOptionsSchema, StopReason, TrainerEvent } from '../../../src-shared/protocol/trainer-messages';
import { mulberry32, permutation, splitIndices } from '../../../src-shared/util/random';
import type { BackendChoice } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { DatasetError } from '../data/dataset';
import { buildModel } from '../model/build-model';
import type { BuiltModel } from '../model/build-model';
import { disposeBuiltModel } from '../model/dispose-model';
import { copyWeightsByName, readNamedWeights } from '../model/load-weights';
import { bceLoss, mseLoss } from '../model/penalties';
import { DenseChain, denseChainPlan } from '../backend/dense-chain';
import { GradientHelpers, copyRows } from '../parallel/gradient-helpers';
import { MAX_THREADS, planSplit } from '../parallel/split-plan';
import { batchGradients, batchGradientsDeferred, penaltyNames as penaltyNamesOf, reconstructionScale, trainableVariables } from './loss-terms';
import { betaAtEpoch } from '../../../src-shared/layers/ops/variational';
import { bestEpochOf, scheduleParams } from '../../../src-shared/run/training-schedule';
import { makeOptimizer } from './optimizer';
import { EpochControls, checkValidationSplit } from './epoch-controls';
import { pretrainLayers, pretrainStagesFor } from './pretrain';
import type { RunSink } from './run-sink';
import type { PixelScale } from './snapshots';
import { latentProjection, reconstructionSnapshot } from './snapshots';
import type { ReconstructionSnapshot } from './snapshots';
import { ActivationProbe, latentThumbnails } from './live-views';
import type { ActivationWatch, Activations } from '../../../src-shared/protocol/live-views';
import type { z } from 'zod';
import { samplesPerSecond } from '../../../src-shared/util/throughput';

/**
 * The process's resident memory and live tensors (reported with each epoch
 * and at the end of a run, so leaks show). Where the process was started with
 * --expose-gc (the leak tests do), garbage is collected first, so the figure
 * is what is still held rather than what the collector has not reached yet.
 */
export function trainerMemory(): { rssBytes: number; tensors: number } {
  (globalThis as { gc?: () => void }).gc?.();
  return { rssBytes: process.memoryUsage().rss, tensors: tf.memory().numTensors };
}

/** Pause and stop requests, set by the command handler between batches. */
export class RunControl {
  stopped = false;
  private resumeWaiters: (() => void)[] = [];
  private pausedFlag = false;
  /** The layer and sample whose activations the dashboard watches (null: none), and whether an answer is owed now. */
  watching: ActivationWatch | null = null;
  watchOwed = false;

  /** True while paused. */
  get paused(): boolean {
    return this.pausedFlag;
  }

  pause(): void {
    this.pausedFlag = true;
  }

  resume(): void {
    this.pausedFlag = false;
    this.resumeWaiters.splice(0).forEach((r) => r());
  }

  stop(): void {
    this.stopped = true;
    this.resume();
  }

  /** Watches another layer or sample: answered at the next batch, or at once while paused. */
  watch(w: ActivationWatch | null): void {
    this.watching = w;
    this.watchOwed = w !== null;
    this.resumeWaiters.splice(0).forEach((r) => r());
  }

  /** Resolves at once unless paused; then when resumed or stopped. `meanwhile` runs each time a watch wakes it. */
  async waitWhilePaused(meanwhile?: () => Promise<void>): Promise<void> {
    while (this.pausedFlag && !this.stopped) {
      await new Promise<void>((r) => this.resumeWaiters.push(r));
      await meanwhile?.();
    }
  }
}

/** What a run needs to start. */
export interface SessionInput {
  runId: string;
  spec: ModelSpec;
  dataset: DatasetRef;
  settings: TrainingSettings;
  options: z.output<typeof RunOptionsSchema>;
}

/** How a run ended, for the outputs writer. */
export interface SessionResult {
  status: 'finished' | 'stopped';
  epochs: EpochMetrics[];
  model: BuiltModel;
  paramCount: number;
  backend: BackendChoice;
  /** Threads each batch was split across. */
  threads: number;
  data: LoadedDataset;
  lastReconstruction: ReconstructionSnapshot | null;
  /** tf.memory().numTensors at the end of each epoch: steady in a run without leaks. */
  tensorsPerEpoch: number[];
  /** Layer-wise pretraining's stages this session ran (empty when off, or resumed from a checkpoint). */
  pretrain: PretrainStageMetrics[];
  /** Why training ended. */
  stopReason: StopReason;
  /** The epoch with the lowest validation loss (null without validation), and the one whose weights `model` holds now (null when no epoch ran). */
  bestEpoch: number | null;
  keptEpoch: number | null;
}

/** A loss that is NaN or infinite, with advice that fits the model. */
export class DivergedError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));
const RECON_SAMPLES = 16;
const LATENT_SAMPLES = 1000;
const EVAL_BATCH = 512;

function checkShapes(spec: ModelSpec, data: LoadedDataset): void {
  const want = spec.inputShape.reduce((a, b) => a * b, 1);
  const have = data.summary.shape.reduce((a, b) => a * b, 1);
  if (want !== have) {
    throw new DatasetError(
      `The dataset's samples are ${data.summary.shape.join('×')} (${have} values) but the Input node expects ${spec.inputShape.join('×')} (${want} values)`,
      `Set the Input node's height, width and channels to match the data (${data.summary.shape.join('×')}).`,
    );
  }
}

/** Mean reconstruction loss of `x` through the inference model (a VAE's: summed over a sample's values, `scale` of them), in batches so memory stays bounded. */
async function evaluate(model: BuiltModel, x: tf.Tensor, loss: 'mse' | 'bce', scale: number): Promise<number> {
  const n = x.shape[0];
  let sum = 0;
  for (let start = 0; start < n; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, n - start);
    const value = tf.tidy(() => {
      const xb = x.slice(start, size);
      const out = model.inference.predict(xb) as tf.Tensor;
      return (loss === 'bce' ? bceLoss(xb, out) : mseLoss(xb, out)).mul(size * scale);
    });
    sum += (await value.data())[0];
    value.dispose();
  }
  return sum / n;
}

function divergenceHint(spec: ModelSpec, settings: TrainingSettings): string {
  const tips = [`Lower the learning rate (now ${settings.learningRate}; try ${settings.learningRate / 10}).`];
  if (spec.loss === 'bce') tips.push('BCE needs data in [0, 1] and a sigmoid output.');
  if (spec.layers.some((l) => l.type === 'activityRegularizer' || l.kernelL2 > 0)) tips.push('Lower the regularizer weights.');
  if (settings.optimizer === 'sgd') tips.push('Try Adam, which adapts the step size.');
  return tips.join(' ');
}

/** Runs a whole training session; resolves when it finishes or stops, rejects on errors. */
export async function runSession(input: SessionInput, backend: BackendChoice, data: LoadedDataset, emit: (e: TrainerEvent) => void, control: RunControl, sink: RunSink | null = null): Promise<SessionResult> {
  const { runId, spec, settings, options } = input;
  checkShapes(spec, data);
  // A resumed run's checkpoint already carries its pretraining.
  const pretrainStages = sink?.resumeFrom ? null : pretrainStagesFor(spec, settings);
  const sampleSize = spec.inputShape.reduce((a, b) => a * b, 1);
  const split = splitIndices(data.summary.count, settings.validationSplit, settings.seed, options.maxSamples);
  if (split.train.length === 0) throw new DatasetError('No samples are left for training after the validation split', 'Lower the validation split or use more samples.');
  checkValidationSplit(settings, split.val.length);

  // Model first: starting weights that do not fit are refused before any data goes onto the backend.
  const model = buildModel(spec, settings.seed);
  const startWeights = sink?.resumeFrom?.weightsDir ?? options.initialWeights;
  if (startWeights) {
    try {
      const start = await readNamedWeights(startWeights);
      try {
        copyWeightsByName(start, model.inference, startWeights);
      } finally {
        tf.dispose(start);
      }
    } catch (e) {
      model.train.dispose();
      throw e;
    }
  }
  // The training rows stay where the dataset has them: each step's batch (and each helper thread's part of it)
  // is copied out of it, so neither the backend nor the threads hold a second copy of the split (a 64×64×3 set
  // of 10,000 images is 490 MB a copy; the wasm backend's whole heap is at most 4 GB). The validation split,
  // evaluated whole every epoch, lives on the backend.
  const rowsOf = (idx: Int32Array): tf.Tensor => tf.tensor(copyRows(data.values, sampleSize, idx, new Float32Array(idx.length * sampleSize)), [idx.length, ...spec.inputShape]);
  const xVal = rowsOf(split.val);
  const shownIdx = split.val.length > 0 ? split.val : split.train.subarray(0, Math.max(RECON_SAMPLES, LATENT_SAMPLES));
  const shown = split.val.length > 0 ? xVal : rowsOf(shownIdx);
  const reconX = shown.slice(0, Math.min(RECON_SAMPLES, shown.shape[0]));
  const latentX = shown.slice(0, Math.min(LATENT_SAMPLES, shown.shape[0]));
  if (shown !== xVal) shown.dispose();
  const latentLabels = data.labels ? Int32Array.from(shownIdx.subarray(0, latentX.shape[0]), (i) => data.labels![i]) : null;
  const scale: PixelScale = data.summary.normalization === 'standardized' ? { lo: -3, hi: 3 } : { lo: 0, hi: 1 };

  const optimizer = makeOptimizer(settings);
  const priorEpochs = sink?.resumeFrom?.epochs ?? [];
  const slots = sink?.resumeFrom?.optimizerWeights;
  if (slots) {
    // A resumed run continues with the optimizer's moments and step count as the checkpoint kept them.
    await optimizer.setWeights(slots);
    tf.dispose(slots.map((s) => s.tensor));
  }
  const paramCount = model.inference.countParams();
  const batchSize = Math.min(settings.batchSize, split.train.length);
  const batches = Math.ceil(split.train.length / batchSize);
  const rand = mulberry32(settings.seed);
  // The shuffles of the epochs already done are drawn and dropped, so a resumed run sees the same order as an uninterrupted one.
  for (let e = 0; e < priorEpochs.length; e++) permutation(split.train.length, rand);
  const epochs: EpochMetrics[] = [...priorEpochs];
  const tensorsPerEpoch: number[] = [];
  const penaltyNames = penaltyNamesOf(model);
  let lastReconstruction: SessionResult['lastReconstruction'] = null;

  const variables = trainableVariables(model);
  // A chain of dense layers on wasm trains as one call per step (dense-chain.ts); anything else through TF.js.
  const chainPlan = backend.name === 'wasm' ? denseChainPlan(spec, model, settings) : null;
  let chain: DenseChain | null = null;
  if (chainPlan !== null && typeof chainPlan !== 'string') {
    try {
      chain = await DenseChain.start(chainPlan, optimizer, batchSize, backend.threads ?? options.threads ?? Math.min(availableParallelism(), MAX_THREADS));
    } catch (e) {
      backend.notes.push(`the one-call dense step could not start, so TF.js runs each operation (${(e as Error).message})`);
    }
  }
  // Threads measured with the backend win; else the planner's arithmetic (or --threads) decides.
  const plan = chain
    ? { threads: chain.threads, reason: `${backend.threads !== null ? 'the fastest split when measured before the first epoch' : options.threads !== undefined ? 'as asked' : 'one per core'}; each step is one call into our WebAssembly (a chain of dense layers), its rows split across the threads` }
    : backend.threads !== null
      ? { threads: Math.min(backend.threads, batchSize), reason: 'the fastest split when measured before the first epoch' }
      : planSplit(spec, batchSize, backend.name, availableParallelism(), options.threads);
  let helpers: GradientHelpers | null = null;
  if (plan.threads > 1 && !chain) {
    try {
      helpers = await GradientHelpers.start(plan.threads - 1, { spec, seed: settings.seed, backend: backend.name, samples: data.values, maxRows: batchSize, variables });
    } catch (e) {
      tf.dispose([xVal, reconX, latentX]);
      model.train.dispose();
      throw e;
    }
  }

  // Until the loop's own try: whatever fails frees the tensors and stops the threads started above.
  try {
    await sink?.beforeFirstEpoch({ paramCount, backend: backend.name, backendNotes: backend.notes, backendMeasurement: backend.measurement, threads: plan.threads, dataset: data.summary, sampleSize });
    // The latent plot's samples as thumbnails, once: hovering a point shows its image. A failure costs the hover images, not the run.
    const latentSamples = options.quiet ? null : await latentThumbnails(latentX, scale).catch((e: unknown) => (console.error(e), null));
    emit({ type: 'started', runId, backend: backend.name, backendNotes: backend.notes, backendMeasurement: backend.measurement, threads: plan.threads, threadsReason: plan.reason, paramCount, dataset: data.summary, trainCount: split.train.length, valCount: split.val.length, batchesPerEpoch: batches, latentSamples });
  } catch (e) {
    tf.dispose([xVal, reconX, latentX]);
    optimizer.dispose();
    await helpers?.dispose();
    await chain?.dispose();
    model.train.dispose();
    throw e;
  }

  const sendReconstructions = async (epoch: number, batch: number) => {
    chain?.push(); // the chain's latest weights into the model
    lastReconstruction = await reconstructionSnapshot(model, reconX, scale);
    emit({ type: 'reconstructions', runId, epoch, batch, ...lastReconstruction });
  };
  // The watched layer's activations on the watched latent sample, after each epoch and whenever the watch changes.
  const probe = new ActivationProbe(model);
  const sendActivations = async (epoch: number, batch: number) => {
    const watch = control.watching;
    control.watchOwed = false;
    if (!watch || options.quiet) return;
    chain?.push();
    // A failure here costs the view, not the run: it says why in the answer.
    const activations = await probe.activations(latentX, watch).catch((e: unknown): Activations => (console.error(e), { kind: 'refused', message: `The activations of "${watch.layer}" could not be computed (${e instanceof Error ? e.message : String(e)}); choose another node.` }));
    emit({ type: 'activations', runId, epoch, batch, layer: watch.layer, sample: watch.sample, activations });
  };
  const owedActivations = (epoch: number, batch: number) => (control.watchOwed ? sendActivations(epoch, batch) : Promise.resolve());

  // One step: gradients of the whole batch on this thread, or split across the helper threads; then one update. Returns the loss terms.
  const step = async (idx: Int32Array): Promise<Float32Array> => {
    const rows = Int32Array.from(idx, (i) => split.train[i]); // the dataset's own row numbers
    if (chain) return Float32Array.of(chain.step(data.values, rows));
    if (!helpers) {
      // The loss terms are read after the update is queued, and asynchronously: a GPU backend
      // keeps working meanwhile (and cannot read a tensor back synchronously in Node at all).
      const xb = rowsOf(rows);
      const { grads, terms } = batchGradientsDeferred(model, spec, xb, variables);
      xb.dispose();
      optimizer.applyGradients(grads);
      tf.dispose(Object.values(grads));
      const values = Float32Array.from(await terms.data());
      terms.dispose();
      return values;
    }
    const own = (part: Int32Array) => {
      const xb = rowsOf(part);
      try {
        return batchGradients(model, spec, xb, variables);
      } finally {
        xb.dispose();
      }
    };
    const { grads, terms } = await helpers.step(rows, own);
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
    return Float32Array.from(terms);
  };

  let status: 'finished' | 'stopped' = 'finished';
  let stopEarly = false;
  let keptEpoch: number | null;
  const controls = new EpochControls(settings, model, { bestWeights: sink?.resumeFrom?.bestWeights ?? null, patienceFrom: sink?.resumeFrom?.patienceFrom ?? 0 });
  const runStart = performance.now();
  let samplesDone = 0;
  let pretrained: PretrainStageMetrics[] = [];
  try {
    if (pretrainStages) {
      // Pretraining computes each stage's codes of the whole split once: it needs the split on the backend, for its stages only.
      const xTrain = rowsOf(split.train);
      const pre = await pretrainLayers({ runId, spec, settings, model, xTrain, xVal, emit, control, sink }, pretrainStages).finally(() => xTrain.dispose());
      pretrained = pre.stages;
      if (pre.stopped) status = 'stopped';
    }
    for (let epoch = priorEpochs.length + 1; epoch <= settings.epochs && status === 'finished' && !stopEarly; epoch++) {
      const learningRate = controls.beforeEpoch(epoch, epochs, optimizer);
      const epochStart = performance.now();
      const order = permutation(split.train.length, rand);
      // Reconstruction, each penalty, and a VAE's KL term last.
      const sums = new Float64Array(1 + penaltyNames.length + (model.vae ? 1 : 0));
      if (model.vae) model.vae.klWeight = betaAtEpoch(model.vae, epoch);
      let seen = 0;
      let lastProgress = 0;
      let lastRecon = performance.now();
      let trainedUntil = epochStart; // the end of the epoch's last batch: its speed counts training only
      chain?.pull(); // the model's weights may have changed since the last epoch (pretraining, a resumed run)
      for (let b = 0; b < batches; b++) {
        await owedActivations(epoch, b);
        await control.waitWhilePaused(() => owedActivations(epoch, b));
        if (control.stopped) {
          status = 'stopped';
          break;
        }
        const idx = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, order.length));
        const values = await step(idx);
        if (!values.every(Number.isFinite)) {
          throw new DivergedError(`The loss became ${Number.isNaN(values[0]) ? 'NaN' : 'infinite'} at epoch ${epoch}, batch ${b + 1}`, divergenceHint(spec, settings));
        }
        for (let i = 0; i < sums.length; i++) sums[i] += values[i] * idx.length;
        seen += idx.length;
        samplesDone += idx.length;

        const now = performance.now();
        trainedUntil = now;
        if (!options.quiet && (now - lastProgress >= options.progressIntervalMs || b === batches - 1)) {
          lastProgress = now;
          const rate = samplesDone / ((now - runStart) / 1000); // the ETA uses the whole run's pace: steadier than one epoch's
          const remaining = (settings.epochs - epoch) * split.train.length + (split.train.length - seen);
          emit({ type: 'progress', runId, epoch, epochs: settings.epochs, batch: b + 1, batches, loss: sums[0] / seen, samplesPerSec: samplesPerSecond(seen, (now - epochStart) / 1000), etaSeconds: remaining / rate });
        }
        if (!options.quiet && now - lastRecon >= options.reconstructionIntervalMs && b < batches - 1) {
          lastRecon = now;
          await sendReconstructions(epoch, b + 1);
        }
        await yieldToEventLoop(); // lets pause/stop commands in between batches
      }
      chain?.push(); // evaluation, checkpoints and early stopping read the model
      if (status === 'stopped') break; // a partial epoch is not reported as an epoch
      const seconds = (trainedUntil - epochStart) / 1000;
      const valLoss = split.val.length > 0 ? await evaluate(model, xVal, spec.loss, reconstructionScale(model, spec)) : null;
      const kl = sums[sums.length - 1] / seen;
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: sums[0] / seen,
        valLoss,
        penalties: Object.fromEntries(penaltyNames.map((n, i) => [n, sums[i + 1] / seen])),
        ...(model.vae ? { vae: { kl, beta: model.vae.klWeight, negativeElbo: sums[0] / seen + kl } } : {}),
        seconds,
        samplesPerSec: samplesPerSecond(seen, seconds),
        learningRate,
      };
      epochs.push(metrics);
      const after = controls.afterEpoch(epochs);
      stopEarly = after.stopEarly;
      await sink?.epochDone(epochs, model, optimizer, after);
      // The helper threads' heaps and tensors count too: collected first, their tensors added.
      const helperTensors = (await helpers?.collectGarbage()) ?? 0;
      const memory = trainerMemory();
      emit({ type: 'epoch', runId, metrics, memory: { ...memory, tensors: memory.tensors + helperTensors } });
      if (!options.quiet) {
        await sendReconstructions(epoch, batches);
        const latent = await latentProjection(model, latentX);
        emit({ type: 'latent', runId, epoch, method: latent.method, points: latent.points, labels: latentLabels });
        await sendActivations(epoch, batches);
      } else if (epoch === settings.epochs || stopEarly) {
        lastReconstruction = await reconstructionSnapshot(model, reconX, scale); // still written to reconstructions.png
      }
      tensorsPerEpoch.push(tf.memory().numTensors + helperTensors);
    }
    // With keepBest the model goes back to the best epoch's weights: the outputs, and so every export, are that epoch's.
    keptEpoch = await controls.keep(epochs);
    if (keptEpoch !== null && keptEpoch !== epochs.at(-1)?.epoch && lastReconstruction) lastReconstruction = await reconstructionSnapshot(model, reconX, scale);
  } finally {
    tf.dispose([xVal, reconX, latentX]);
    optimizer.dispose();
    controls.dispose();
    await helpers?.dispose();
    await chain?.dispose();
  }
  const stopReason: StopReason = status === 'stopped' ? 'stoppedByUser' : stopEarly ? 'earlyStopping' : 'completed';
  return { status, epochs, model, paramCount, backend, threads: plan.threads, data, lastReconstruction, tensorsPerEpoch, pretrain: pretrained, stopReason, bestEpoch: bestEpochOf(epochs, scheduleParams(settings).minDelta), keptEpoch };
}

/** Frees the models of a finished session (after its outputs are written). */
export function disposeSession(result: Pick<SessionResult, 'model'>): void {
  disposeBuiltModel(result.model);
}
