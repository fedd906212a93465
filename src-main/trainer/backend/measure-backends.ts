/**
 * Chooses a run's backend by measurement: before the first epoch, a few whole
 * training steps of the run's own model (same batch size, same thread split
 * the run would use, random inputs) on every backend that loads, and the run
 * trains on the fastest. Measured on the 2-core build machine, tfjs-node was
 * three times slower than our wasm kernels on the dense templates and about
 * as fast on the convolutional one, so no fixed order is right for every
 * model. The choice is remembered per model and machine (choice-cache.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { BackendMeasurement, BackendName, BackendTrial } from '../../../src-shared/protocol/trainer-messages';
import { buildModel } from '../model/build-model';
import { disposeBuiltModel } from '../model/dispose-model';
import { GradientHelpers } from '../parallel/gradient-helpers';
import { MAX_THREADS, planSplit } from '../parallel/split-plan';
import { partGradients, trainableVariables } from '../train/loss-terms';
import { ModelMemoryError, checkModelMemory } from '../train/memory-check';
import { makeOptimizer } from '../train/optimizer';
import { activateBackend, chooseBackend, loadableBackends } from './choose-backend';
import type { BackendChoice } from './choose-backend';
import { choiceKey, readChoice, writeChoice } from './choice-cache';
import { DenseChain, denseChainPlan } from './dense-chain';
import { KERNELS_SOURCE_SHA256 } from './native/kernels-wasm';

/** Steps run before timing (kernel setup, first-call compilation, allocator warm-up). */
const WARM_UP_STEPS = 2;
/** Timed steps: at least this many, and on until MIN_TIMED_MS has passed, at most MAX_TIMED_STEPS. */
const MIN_TIMED_STEPS = 3;
const MIN_TIMED_MS = 250;
const MAX_TIMED_STEPS = 20;

/** Median of a non-empty list. */
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The configurations worth timing: tfjs-node and WebGPU on their own (each
 * runs every operation in parallel itself); wasm on one thread and, where the model can split its
 * batches, on one thread per core (the planner's arithmetic guesses which
 * pays; the measurement decides). A forced thread count is the only one.
 */
function configurations(spec: ModelSpec, batch: number, loaded: readonly BackendName[], forcedThreads: number | undefined): { backend: BackendName; threads: number }[] {
  const cores = availableParallelism();
  return loaded.flatMap((backend) => {
    if (forcedThreads !== undefined || backend !== 'wasm') return [{ backend, threads: planSplit(spec, batch, backend, cores, forcedThreads).threads }];
    const most = planSplit(spec, batch, backend, cores, Math.min(cores, MAX_THREADS)).threads;
    return most > 1 ? [{ backend, threads: 1 }, { backend, threads: most }] : [{ backend, threads: 1 }];
  });
}

/** Median milliseconds of one whole training step of `spec` on the active backend, its batches split across `threads`. */
export async function timeSteps(spec: ModelSpec, settings: TrainingSettings, backend: BackendName, threads: number): Promise<number> {
  const batch = Math.max(1, settings.batchSize);
  const plan = { threads };
  const model = buildModel(spec, settings.seed);
  const data = tf.randomUniform([batch, ...spec.inputShape], 0, 1, 'float32', settings.seed);
  const variables = trainableVariables(model);
  const optimizer = makeOptimizer(settings);
  let helpers: GradientHelpers | null = null;
  let chain: DenseChain | null = null;
  try {
    const idx = Int32Array.from({ length: batch }, (_, i) => i);
    // The step the run would take: a dense chain on wasm as one call (session.ts), else TF.js's operations.
    const chainPlan = backend === 'wasm' ? denseChainPlan(spec, model, settings) : null;
    // A chain that cannot start (too large to lay out) is timed as the run would then train: through TF.js.
    if (chainPlan !== null && typeof chainPlan !== 'string') chain = await DenseChain.start(chainPlan, optimizer, batch, plan.threads).catch(() => null);
    let step: () => Promise<void>;
    if (chain) {
      const values = data.dataSync() as Float32Array;
      chain.pull();
      step = async () => void chain!.step(values, idx);
    } else {
      if (plan.threads > 1) helpers = await GradientHelpers.start(plan.threads - 1, { spec, seed: settings.seed, backend, samples: data.dataSync() as Float32Array, maxRows: batch, variables });
      const own = (part: Int32Array) => partGradients(model, spec, data, part, variables);
      step = async () => {
        const { grads } = helpers ? await helpers.step(idx, own) : own(idx);
        optimizer.applyGradients(grads);
        tf.dispose(Object.values(grads));
        await variables[0]?.data(); // the update has run (the loss terms were already read back)
      };
    }
    for (let i = 0; i < WARM_UP_STEPS; i++) await step();
    const times: number[] = [];
    const start = performance.now();
    while (times.length < MAX_TIMED_STEPS && (times.length < MIN_TIMED_STEPS || performance.now() - start < MIN_TIMED_MS)) {
      const t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    await helpers?.dispose();
    await chain?.dispose();
    optimizer.dispose();
    data.dispose();
    disposeBuiltModel(model);
  }
}

/** What a measuring thread or process is given (measure-worker.ts). */
export interface MeasureTrial {
  spec: ModelSpec;
  settings: TrainingSettings;
  backend: BackendName;
  threads: number;
}

/** The measuring entry: the bundled one when built, else the TypeScript source (through tsx). */
const BUILT_ENTRY = new URL('./measure-worker.js', import.meta.url);
const SOURCE_ENTRY = new URL('./measure-worker.ts', import.meta.url);

/** The measuring thread, for a wasm trial. */
function startMeasureWorker(trial: MeasureTrial): Worker {
  if (existsSync(fileURLToPath(BUILT_ENTRY))) return new Worker(BUILT_ENTRY, { workerData: { trial } });
  return new Worker(new URL('../../../bin/tsx-worker.js', import.meta.url), { workerData: { trial, entry: SOURCE_ENTRY.href } });
}

/** The measuring child process, for a tfjs-node trial (its stdout and stderr are the trainer's: the host filters TensorFlow's log lines). */
function startMeasureProcess(): ChildProcess {
  const built = fileURLToPath(BUILT_ENTRY);
  // From a checkout: tsx named by its absolute URL, as trainer-child.ts does for the trainer.
  const [file, execArgv] = existsSync(built) ? [built, []] : [fileURLToPath(SOURCE_ENTRY), ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]];
  // In Electron (the trainer is a utility process) fork runs Electron's binary as Node (ELECTRON_RUN_AS_NODE), which the RunAsNode fuse must leave on.
  return fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/**
 * {@link timeSteps} of a wasm trial on a thread of its own, whose heap (grown
 * to the trial's activations) goes when the thread does (measure-worker.ts).
 * Timed on 64 rows of the convolutional template, a worker thread steps as
 * fast as the trainer's own (17.2–18.0 against 18.0–19.5 ms).
 */
function timeWasmIsolated(trial: MeasureTrial): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = startMeasureWorker(trial);
    let answered = false;
    worker.once('message', (m: { ms: number } | { error: string }) => {
      answered = true;
      void worker.terminate();
      if ('ms' in m) resolve(m.ms);
      else reject(new Error(m.error));
    });
    worker.once('error', (e) => {
      answered = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the measuring thread stopped (exit code ${code}) before it answered`));
    });
  });
}

/**
 * {@link timeSteps} of a tfjs-node trial in a child process, which loads
 * tfjs-node itself: what TensorFlow keeps after a step (~900 MB at 64×64×3,
 * batch 128, freed by nothing short of the process ending) goes with it, and
 * a run that trains on wasm never loads tfjs-node at all. Where no child
 * process can be started, the trial runs here as before.
 */
function timeNodeIsolated(trial: MeasureTrial): Promise<number> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = startMeasureProcess();
    } catch {
      resolve(timeNodeHere(trial));
      return;
    }
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    child.once('message', (m: { ms: number } | { error: string }) => settle(() => ('ms' in m ? resolve(m.ms) : reject(new Error(m.error)))));
    // Not started at all (no such binary, no process allowed): time it here instead. `on`: a failed start can also fail the send.
    child.on('error', () => settle(() => resolve(timeNodeHere(trial))));
    child.once('exit', (code, signal) => settle(() => reject(new Error(`the measuring process stopped (${signal ? `killed by ${signal}` : `exit code ${code}`}) before it answered`))));
    child.send({ trial });
  });
}

/** A tfjs-node trial in this process (loading tfjs-node here). */
async function timeNodeHere(trial: MeasureTrial): Promise<number> {
  await activateBackend('node');
  return timeSteps(trial.spec, trial.settings, 'node', trial.threads);
}

/** How a trial reads in a sentence: "wasm (2 threads) 4.1 ms". */
function describeTrial(t: BackendTrial): string {
  const name = t.threads > 1 ? `${t.backend} (${t.threads} threads)` : t.backend;
  return t.msPerStep === null ? `${name} failed (${t.error ?? 'unknown'})` : `${name} ${t.msPerStep.toFixed(1)} ms`;
}

/** The fastest measured trial (the first listed on a tie), or null when none was measured. */
export function fastestTrial(trials: readonly BackendTrial[]): BackendTrial | null {
  let best: BackendTrial | null = null;
  for (const t of trials) if (t.msPerStep !== null && (best === null || t.msPerStep < best.msPerStep!)) best = t;
  return best;
}

/** The sentence the badge, the CLI and metrics.json show. */
export function measurementReason(trials: readonly BackendTrial[], chosen: BackendTrial): string {
  const name = chosen.threads > 1 ? `${chosen.backend} on ${chosen.threads} threads` : chosen.backend;
  return `${trials.map(describeTrial).join(', ')} a training step: ${name}, the fastest`;
}

/** What {@link chooseMeasuredBackend} needs beyond the model. */
export interface MeasureOptions {
  /** The app's cache folder, where choices are remembered. */
  cacheDir: string;
  /** A forced thread count (--threads), measured as given. */
  threads?: number;
  /** Measure even when a choice is remembered (the benchmark does). */
  fresh?: boolean;
}

/**
 * Activates the fastest backend for training `spec` with `settings`: the
 * remembered choice when there is one, else every backend that loads is
 * measured. A single loadable backend is used without measuring.
 */
export async function chooseMeasuredBackend(spec: ModelSpec, settings: TrainingSettings, options: MeasureOptions): Promise<BackendChoice> {
  // tfjs-node is listed where installed but not loaded: its trial runs in a process of its own.
  const { loaded, notes } = await loadableBackends({ nodeUnloaded: true });
  if (loaded.length === 0) return chooseBackend(); // plain JavaScript, with why the others did not load
  const configs = configurations(spec, Math.max(1, settings.batchSize), loaded, options.threads);
  if (configs.length === 1) {
    await activateBackend(configs[0].backend); // nothing to compare with
    return { name: configs[0].backend, notes, measurement: null, threads: null };
  }
  // Our kernels' source hash too: an update that changes them measures again instead of trusting an old choice.
  const key = choiceKey(spec, settings.batchSize, options.threads, loaded, { tfjs: tf.version.tfjs, kernels: KERNELS_SOURCE_SHA256 });
  const remembered = options.fresh ? null : await readChoice(options.cacheDir, key);
  const rememberedBest = remembered ? fastestTrial(remembered.trials) : null;
  if (remembered && rememberedBest && loaded.includes(rememberedBest.backend)) {
    try {
      await activateBackend(rememberedBest.backend);
      return { name: rememberedBest.backend, notes, measurement: { trials: remembered.trials, reason: remembered.reason, cached: true }, threads: rememberedBest.threads };
    } catch {
      // Listed but no longer loading (tfjs-node is listed unloaded): measure again, which says why.
    }
  }
  const trials: BackendTrial[] = [];
  const errors: unknown[] = [];
  for (const { backend, threads } of configs) {
    try {
      checkModelMemory(spec, settings, backend); // a model too large for this backend is not built to be timed
      // wasm on a thread of its own (its heap goes with it), tfjs-node in a process of its own (what it keeps goes with it); WebGPU here.
      const trial: MeasureTrial = { spec, settings, backend, threads };
      const ms = backend === 'wasm' ? await timeWasmIsolated(trial) : backend === 'node' ? await timeNodeIsolated(trial) : (await activateBackend(backend), await timeSteps(spec, settings, backend, threads));
      trials.push({ backend, threads, msPerStep: ms, error: null });
    } catch (e) {
      errors.push(e);
      trials.push({ backend, threads, msPerStep: null, error: (e as Error).message.split('\n')[0].slice(0, 500) });
    }
  }
  const best = fastestTrial(trials);
  // A model too large for every backend: the memory check's own message and hint (the first backend's: the largest limit).
  if (!best && errors.every((e) => e instanceof ModelMemoryError)) throw errors[0];
  if (!best) throw new Error(`No backend could run a training step of this model (${trials.map(describeTrial).join('; ')})`);
  await activateBackend(best.backend);
  const measurement: BackendMeasurement = { trials, reason: measurementReason(trials, best), cached: false };
  await writeChoice(options.cacheDir, key, best.backend, trials, measurement.reason);
  return { name: best.backend, notes, measurement, threads: best.threads };
}
