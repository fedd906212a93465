/**
 * Layer-wise pretraining in a real session on real MNIST digits: the stages
 * run in order, each trains only its own pair while the layers before it
 * stay frozen, each stage's weights are the next one's and fine-tuning's
 * starting point, the run folder keeps the stage losses, and a graph with no
 * mirrored pairs is refused with the reason.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { PretrainStageMetrics, TrainerEvent } from '../../../src-shared/protocol/trainer-messages';
import { chainGraph } from '../../../tests/helpers/graphs';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import type { BackendChoice } from '../backend/choose-backend';
import { readRunRecord } from '../../common/run-folder';
import type { LoadedDataset } from '../data/dataset';
import { buildModel } from '../model/build-model';
import type { BuiltModel } from '../model/build-model';
import { disposeBuiltModel } from '../model/dispose-model';
import { RunWriter } from './outputs';
import { PretrainError } from './pretrain';
import type { RunSink } from './run-sink';
import { RunControl, disposeSession, runSession } from './session';
import type { SessionInput, SessionResult } from './session';

let backend: BackendChoice;
let mnist: LoadedDataset;

/** Every weight of every layer that has some, copied out: layer name → its arrays. */
type Weights = Map<string, Float32Array[]>;
function weightsOf(model: BuiltModel): Weights {
  return new Map(model.inference.layers.filter((l) => l.getWeights().length > 0).map((l) => [l.name, l.getWeights().map((w) => Float32Array.from(w.dataSync()))]));
}
/** Largest absolute difference between a layer's weights in two snapshots. */
function change(a: Weights, b: Weights, layer: string): number {
  const [x, y] = [a.get(layer)!, b.get(layer)!];
  let m = 0;
  x.forEach((arr, i) => arr.forEach((v, j) => (m = Math.max(m, Math.abs(v - y[i][j])))));
  return m;
}

/**
 * A sink that writes the run folder as the app does and also copies the
 * weights after each stage; a control that copies them when fine-tuning asks
 * for its first batch (the first pause check after the last stage).
 */
class Probe extends RunControl implements RunSink {
  stageWeights: Weights[] = [];
  fineTuneStart: Weights | null = null;
  model: BuiltModel | null = null;
  private stagesLeft: number;
  constructor(
    private readonly writer: RunWriter,
    stages: number,
  ) {
    super();
    this.stagesLeft = stages;
  }
  get resumeFrom() {
    return null;
  }
  beforeFirstEpoch(info: Parameters<RunSink['beforeFirstEpoch']>[0]) {
    return this.writer.beforeFirstEpoch(info);
  }
  epochDone(...args: Parameters<RunSink['epochDone']>) {
    return this.writer.epochDone(...args);
  }
  async pretrainStageDone(stages: PretrainStageMetrics[], model: BuiltModel) {
    this.model = model;
    this.stageWeights.push(weightsOf(model));
    this.stagesLeft--;
    await this.writer.pretrainStageDone(stages);
  }
  override async waitWhilePaused() {
    if (this.stagesLeft === 0 && !this.fineTuneStart && this.model) this.fineTuneStart = weightsOf(this.model);
    return super.waitWhilePaused();
  }
}

function input(spec: ModelSpec, settings: Partial<TrainingSettings>, maxSamples: number, outDir?: string): SessionInput {
  const { project } = templateSpec('multilayer');
  return { runId: 'pretrain-test', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, validationSplit: 0.2, batchSize: 32, ...settings }, options: { cacheDir: TEST_CACHE_DIR, maxSamples, outDir, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: true } };
}

beforeAll(async () => {
  ({ backend, mnist } = await trainerSetup());
});

describe('layer-wise pretraining of the multilayer template (enc1 ↔ dec2, then code ↔ dec1), then fine-tuning', () => {
  const { spec } = templateSpec('multilayer');
  let dir: string;
  let probe: Probe;
  let result: SessionResult;
  const events: TrainerEvent[] = [];
  let init: Weights;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aestudio-pretrain-'));
    const run = input(spec, { epochs: 1, pretrain: 2 }, 500, dir);
    // The weights the session starts from: buildModel is seeded, so a second build is the same model.
    const fresh = buildModel(spec, run.settings.seed);
    init = weightsOf(fresh);
    disposeBuiltModel(fresh);
    const writer = await RunWriter.begin(dir, run);
    probe = new Probe(writer, 2);
    result = await runSession(run, backend, mnist, (e) => events.push(e), probe, probe);
    await writer.finish(result);
  });
  afterAll(async () => {
    if (result) disposeSession(result);
    await rm(dir, { recursive: true, force: true });
  });

  it('runs its stages in order, outermost first, before the first epoch of fine-tuning, each reporting its losses', () => {
    const order = events.filter((e) => e.type === 'pretrainStage' || e.type === 'epoch').map((e) => (e.type === 'pretrainStage' ? `stage ${e.metrics.stage}` : e.type));
    expect(order).toEqual(['stage 1', 'stage 2', 'epoch']);
    const stages = result.pretrain;
    expect(stages.map((s) => s.pair)).toEqual([['enc1', 'dec2'], ['code', 'dec1']]);
    expect(stages.map((s) => s.layers)).toEqual([['enc1_flatten', 'enc1', 'dec2', 'output_reshape'], ['code', 'dec1']]);
    expect(stages.map((s) => s.loss)).toEqual(['bce', 'mse']); // the template's BCE on the data; MSE on the unbounded codes
    for (const s of stages) {
      expect(s.epochs.map((e) => e.epoch)).toEqual([1, 2]);
      expect(s.epochs[1].trainLoss).toBeLessThan(s.epochs[0].trainLoss);
      expect(Number.isFinite(s.epochs[1].valLoss)).toBe(true);
    }
    expect(result.status).toBe('finished');
    expect(result.epochs).toHaveLength(1);
  });

  it('stage 1 trains only its pair: the inner layers keep their initial weights', () => {
    const [afterStage1] = probe.stageWeights;
    expect(change(init, afterStage1, 'enc1')).toBeGreaterThan(1e-3);
    expect(change(init, afterStage1, 'dec2')).toBeGreaterThan(1e-3);
    expect(change(init, afterStage1, 'code')).toBe(0);
    expect(change(init, afterStage1, 'dec1')).toBe(0);
  });

  it('stage 2 starts from stage 1’s weights and trains on its codes with enc1 (and dec2) frozen', () => {
    const [afterStage1, afterStage2] = probe.stageWeights;
    expect(change(afterStage1, afterStage2, 'enc1')).toBe(0);
    expect(change(afterStage1, afterStage2, 'dec2')).toBe(0);
    expect(change(afterStage1, afterStage2, 'code')).toBeGreaterThan(1e-3);
    expect(change(afterStage1, afterStage2, 'dec1')).toBeGreaterThan(1e-3);
  });

  it('fine-tuning starts from the pretrained weights of every layer and then trains them all, in the same model', () => {
    const afterStage2 = probe.stageWeights[1];
    const final = weightsOf(result.model);
    for (const layer of ['enc1', 'code', 'dec1', 'dec2']) {
      expect(change(afterStage2, probe.fineTuneStart!, layer)).toBe(0);
      expect(change(afterStage2, final, layer)).toBeGreaterThan(1e-4);
    }
    expect(result.model).toBe(probe.model);
  });

  it('metrics.json keeps each stage’s losses, as the events gave them, beside the fine-tuning epochs', async () => {
    const read = await readRunRecord(dir);
    if (!read.ok) throw new Error(read.error);
    const fromEvents = events.flatMap((e) => (e.type === 'pretrainStage' ? [e.metrics] : []));
    expect(read.record.pretrain).toEqual(fromEvents);
    expect(read.record.pretrain).toEqual(result.pretrain);
    expect(read.record.epochs).toHaveLength(1);
    expect(read.record.settings?.pretrain).toBe(2);
  });
});

describe('pretraining on other graphs', () => {
  it('a convolutional stack whose shapes pair up pretrains conv ↔ deconv, the inner stage on 14×14×8 feature maps, and frees what the stages made', async () => {
    const compiled = compile(chainGraph([['in', 'input'], ['e1', 'encoder', { layer: 'conv', filters: 8, pool: 2 }], ['code', 'bottleneck', { form: 'conv', size: 4, pool: 2 }], ['d1', 'decoder', { layer: 'deconv', filters: 8, kernel: 2, stride: 2 }], ['d2', 'decoder', { layer: 'deconv', filters: 1, kernel: 2, stride: 2, activation: 'sigmoid' }], ['out', 'output']]));
    if (!compiled.ok) throw new Error('the conv stack does not compile');
    const events: TrainerEvent[] = [];
    const before = tf.memory().numTensors;
    const result = await runSession(input(compiled.spec, { epochs: 1, pretrain: 1 }, 200), backend, mnist, (e) => events.push(e), new RunControl());
    disposeSession(result);
    expect(tf.memory().numTensors).toBe(before); // the stages' codes and optimizers are freed
    expect(result.pretrain.map((s) => s.pair)).toEqual([['e1_1', 'd2'], ['code_1', 'd1']]);
    expect(result.pretrain.every((s) => Number.isFinite(s.epochs[0].trainLoss))).toBe(true);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(1);
  });

  it('a graph with no mirrored pairs is refused before training, with the reason and the layers', async () => {
    const before = tf.memory().numTensors;
    const run = runSession(input(templateSpec('convolutional').spec, { epochs: 1, pretrain: 1 }, 200), backend, mnist, () => {}, new RunControl());
    await expect(run).rejects.toBeInstanceOf(PretrainError);
    await expect(run).rejects.toThrow(/cannot run on this graph: the stacks are unequal.*enc1_1, code_1.*dec1, dec2, dec3/);
    await run.catch((e: PretrainError) => expect(e.hint).toMatch(/Set pretraining to 0/));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stop during a stage ends the run there: no fine-tuning, and the stage cut short is not reported', async () => {
    const control = new RunControl();
    const events: TrainerEvent[] = [];
    const result = await runSession(input(templateSpec('multilayer').spec, { epochs: 2, pretrain: 2 }, 500), backend, mnist, (e) => {
      events.push(e);
      if (e.type === 'pretrainStage') control.stop(); // stops within stage 2
    }, control);
    disposeSession(result);
    expect(result.status).toBe('stopped');
    expect(result.pretrain.map((s) => s.stage)).toEqual([1]);
    expect(result.epochs).toEqual([]);
  });

  it('a pretrained run stopped while fine-tuning resumes from its checkpoint without pretraining again, keeps its stages, and ends as an uninterrupted one', async () => {
    const { spec } = templateSpec('multilayer');
    const session = async (dir: string, resume: boolean, stopAfter?: number) => {
      const run = { ...input(spec, { epochs: 3, pretrain: 1 }, 400, dir), options: { ...input(spec, {}, 400, dir).options, resume } };
      const writer = resume ? await RunWriter.resume(dir, run) : await RunWriter.begin(dir, run);
      const control = new RunControl();
      const events: TrainerEvent[] = [];
      const result = await runSession(run, backend, mnist, (e) => {
        events.push(e);
        if (e.type === 'epoch' && e.metrics.epoch === stopAfter) control.stop();
      }, control, writer);
      await writer.finish(result);
      disposeSession(result);
      return { result, events };
    };
    const dirs = await Promise.all([mkdtemp(join(tmpdir(), 'aes-pre-whole-')), mkdtemp(join(tmpdir(), 'aes-pre-resumed-'))]);
    try {
      const whole = await session(dirs[0], false);
      const stopped = await session(dirs[1], false, 1);
      expect(stopped.result.status).toBe('stopped');
      const resumed = await session(dirs[1], true);
      expect(resumed.events.some((e) => e.type === 'pretrainStage')).toBe(false);
      expect(resumed.result.pretrain).toEqual([]);
      const record = await readRunRecord(dirs[1]);
      if (!record.ok) throw new Error(record.error);
      expect(record.record.pretrain.map((st) => st.pair)).toEqual([['enc1', 'dec2'], ['code', 'dec1']]);
      expect(record.record.pretrain).toEqual(stopped.result.pretrain);
      // Same pretrained weights in the checkpoint, same optimizer moments and shuffles: only float rounding may differ.
      resumed.result.epochs.forEach((e, i) => expect(e.trainLoss).toBeCloseTo(whole.result.epochs[i].trainLoss, 5));
    } finally {
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    }
  });
});
