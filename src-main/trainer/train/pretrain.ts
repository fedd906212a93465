/**
 * Layer-wise pretraining (Hinton & Salakhutdinov, 2006), run by the session
 * before its first epoch: stage by stage, from the outside in, one encoder
 * layer and its mirrored decoder layer train as a shallow autoencoder on the
 * codes of the encoder layers before them, which stay frozen; then the
 * session fine-tunes the whole network. The stages train the model's own
 * layer objects, so each stage's weights are there for the next stage and
 * for fine-tuning without a copy. Which layers pair up is the pure plan's
 * (src-shared/compiler/pretrain-plan.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { pretrainPlan, pretrainRefusal } from '../../../src-shared/compiler/pretrain-plan';
import type { PretrainStage } from '../../../src-shared/compiler/pretrain-plan';
import { layerRole } from '../../../src-shared/layers/layer-ops';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { PretrainStageMetrics, TrainerEvent } from '../../../src-shared/protocol/trainer-messages';
import { mulberry32, permutation } from '../../../src-shared/util/random';
import type { BuiltModel } from '../model/build-model';
import { bceLoss, mseLoss } from '../model/penalties';
import { makeOptimizer } from './optimizer';
import type { RunSink } from './run-sink';

/** Pretraining that cannot run or went wrong, with what to try (describe-failure reads `hint`). */
export class PretrainError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Pause and stop, as the session's RunControl offers them. */
export interface PretrainControl {
  readonly stopped: boolean;
  waitWhilePaused(): Promise<void>;
}

/** What the stages need from the session. */
export interface PretrainInput {
  runId: string;
  spec: ModelSpec;
  settings: TrainingSettings;
  model: BuiltModel;
  /** The training split, shaped as the model's input. */
  xTrain: tf.Tensor;
  /** The validation split (no rows when the split is 0). */
  xVal: tf.Tensor;
  emit: (e: TrainerEvent) => void;
  control: PretrainControl;
  sink: RunSink | null;
}

const EVAL_BATCH = 512;
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * The stages a run's settings ask for: null when pretraining is off; refused
 * (before any data is loaded onto the backend) when the graph has no mirrored
 * pairs, naming why.
 */
export function pretrainStagesFor(spec: ModelSpec, settings: TrainingSettings): PretrainStage[] | null {
  if (!settings.pretrain) return null;
  const plan = pretrainPlan(spec);
  if (!plan.ok) {
    const { message, hint } = pretrainRefusal(plan.reason);
    throw new PretrainError(message, hint);
  }
  return plan.stages;
}

/** The model's layer objects by name (the activity-regularizer points have none: they pass their input on). */
function layersByName(model: BuiltModel): Map<string, tf.layers.Layer> {
  return new Map(model.train.layers.map((l) => [l.name, l]));
}

/** `x` through the layers `which` (indices into the spec), eagerly; noise only while training. */
function forward(spec: ModelSpec, layers: Map<string, tf.layers.Layer>, which: readonly number[], x: tf.Tensor, training: boolean): tf.Tensor {
  let t = x;
  for (const i of which) {
    const l = spec.layers[i];
    const layer = layers.get(l.name);
    if (!layer || (!training && layerRole(l) === 'noise')) continue;
    t = layer.apply(t, { training }) as tf.Tensor;
  }
  return t;
}

/** `fn` of `x` in batches, concatenated (bounded memory however many rows). */
function inBatches(x: tf.Tensor, fn: (xb: tf.Tensor) => tf.Tensor): tf.Tensor {
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < x.shape[0]; start += EVAL_BATCH) parts.push(tf.tidy(() => fn(x.slice(start, Math.min(EVAL_BATCH, x.shape[0] - start)))));
  const all = parts.length === 1 ? parts[0] : tf.concat(parts);
  if (parts.length > 1) tf.dispose(parts);
  return all;
}

/** Mean loss of the stage on `codes`, in batches. */
async function stageLoss(codes: tf.Tensor, loss: (target: tf.Tensor, out: tf.Tensor) => tf.Scalar, apply: (xb: tf.Tensor) => tf.Tensor): Promise<number> {
  const n = codes.shape[0];
  let sum = 0;
  for (let start = 0; start < n; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, n - start);
    const v = tf.tidy(() => {
      const xb = codes.slice(start, size);
      return loss(xb, apply(xb)).mul(size);
    });
    sum += (await v.data())[0];
    v.dispose();
  }
  return sum / n;
}

/** The weights a stage trains: those of its own layers; every other layer is left as it is. */
function stageVariables(spec: ModelSpec, layers: Map<string, tf.layers.Layer>, stage: PretrainStage): tf.Variable[] {
  return [...stage.encoder, ...stage.decoder].flatMap((i) => layers.get(spec.layers[i].name)?.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val) ?? []);
}

/**
 * Runs the stages in order, each for `settings.pretrain` epochs, reporting
 * each one's losses as it ends (event, and the run's record through the
 * sink). Stops between batches when asked; a stage cut short is not reported.
 */
export async function pretrainLayers(input: PretrainInput, stages: readonly PretrainStage[]): Promise<{ stopped: boolean; stages: PretrainStageMetrics[] }> {
  const { runId, spec, settings, model, xTrain, xVal, emit, control, sink } = input;
  const epochs = settings.pretrain ?? 0;
  const layers = layersByName(model);
  const done: PretrainStageMetrics[] = [];
  for (const stage of stages) {
    const frozen = Array.from({ length: stage.inputFrom + 1 }, (_, i) => i); // every layer before the stage's input
    // The codes of the frozen layers are computed once: they do not change during the stage.
    const codesOf = (x: tf.Tensor) => (frozen.length === 0 ? x : inBatches(x, (xb) => forward(spec, layers, frozen, xb, false)));
    const codes = codesOf(xTrain);
    const codesVal = xVal.shape[0] > 0 ? codesOf(xVal) : null;
    // The outermost stage reconstructs the data with the run's loss; the inner ones reconstruct unbounded codes, so MSE.
    const lossName = stage.stage === 1 ? spec.loss : 'mse';
    const loss = lossName === 'bce' ? bceLoss : mseLoss;
    const own = [...stage.encoder, ...stage.decoder];
    const optimizer = makeOptimizer(settings);
    const variables = stageVariables(spec, layers, stage);
    // Its own shuffles: the fine-tuning's are the same as a run's without pretraining.
    const rand = mulberry32((settings.seed + 7919 * stage.stage) >>> 0);
    const n = codes.shape[0];
    const batchSize = Math.min(settings.batchSize, n);
    const metrics: PretrainStageMetrics = { stage: stage.stage, stages: stages.length, pair: stage.pair, layers: own.map((i) => spec.layers[i].name), loss: lossName, epochs: [] };
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const start = performance.now();
        const order = permutation(n, rand);
        let sum = 0;
        for (let b = 0; b * batchSize < n; b++) {
          await control.waitWhilePaused();
          if (control.stopped) return { stopped: true, stages: done };
          const idx = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, n));
          // Gathered outside the gradient tape, as loss-terms.ts does.
          const xb = tf.tidy(() => tf.gather(codes, tf.tensor1d(idx, 'int32')));
          const cost = optimizer.minimize(() => loss(xb, forward(spec, layers, own, xb, true)), true, variables);
          xb.dispose();
          const value = (await cost!.data())[0];
          cost!.dispose();
          if (!Number.isFinite(value)) throw new PretrainError(`Pretraining stage ${stage.stage} (${stage.pair.join(' ↔ ')}): the loss became ${Number.isNaN(value) ? 'NaN' : 'infinite'} at epoch ${epoch}, batch ${b + 1}`, `Lower the learning rate (now ${settings.learningRate}; try ${settings.learningRate / 10}), or turn pretraining off.`);
          sum += value * idx.length;
          await yieldToEventLoop(); // lets pause/stop commands in between batches
        }
        const valLoss = codesVal ? await stageLoss(codesVal, loss, (xb) => forward(spec, layers, own, xb, false)) : null;
        metrics.epochs.push({ epoch, trainLoss: sum / n, valLoss, seconds: (performance.now() - start) / 1000 });
      }
    } finally {
      optimizer.dispose();
      if (codes !== xTrain) codes.dispose();
      if (codesVal && codesVal !== xVal) codesVal.dispose();
    }
    done.push(metrics);
    emit({ type: 'pretrainStage', runId, metrics });
    await sink?.pretrainStageDone?.([...done], model);
  }
  return { stopped: false, stages: done };
}
