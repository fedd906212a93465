/**
 * The epoch loop's controls (runSession calls them around each epoch): the
 * learning rate a schedule gives the epoch, set on the optimizer; after it,
 * the best epoch so far and whether early stopping ends the run; at the end,
 * the best epoch's weights put back into the model when the settings keep
 * the best. The rules are pure functions of the epochs (training-schedule.ts),
 * so a resumed run continues them as an uninterrupted one would.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { EpochMetrics } from '../../../src-shared/protocol/trainer-messages';
import { bestEpochOf, learningRateAt, scheduleParams, shouldStopEarly } from '../../../src-shared/run/training-schedule';
import { DatasetError } from '../data/dataset';
import type { BuiltModel } from '../model/build-model';
import { copyWeightsByName, readNamedWeights } from '../model/load-weights';
import { setLearningRate } from './optimizer';

/** Weights of one epoch kept in a folder (a resumed run's best epoch, from its run folder). */
export interface KeptWeights {
  dir: string;
  epoch: number;
}

/** What the loop learns after an epoch. */
export interface AfterEpoch {
  /** The best epoch so far (null without validation losses). */
  bestEpoch: number | null;
  /** This epoch is the new best: a run that keeps the best saves its weights. */
  newBest: boolean;
  /** Early stopping ends the run here. */
  stopEarly: boolean;
}

/** Refuses a run whose split left no validation samples (a tiny sample limit) when its settings watch the validation loss. */
export function checkValidationSplit(settings: TrainingSettings, valCount: number): void {
  const p = scheduleParams(settings);
  if ((p.earlyStopping || p.schedule === 'plateau' || p.keepBest) && valCount === 0) {
    throw new DatasetError('No samples are left for validation, but early stopping, reduce-on-plateau or keeping the best epoch watches the validation loss', 'Raise the validation split or use more samples, or turn those settings off.');
  }
}

export class EpochControls {
  private readonly p: ReturnType<typeof scheduleParams>;
  /** The best epoch's weights, copied when it ended (keepBest), and its number. */
  private best: { epoch: number; weights: tf.Tensor[] } | null = null;

  constructor(
    private readonly settings: TrainingSettings,
    private readonly model: BuiltModel,
    /** Where a resumed run finds its best epoch's weights, and after which epoch early stopping counts. */
    private readonly resumed: { bestWeights: KeptWeights | null; patienceFrom: number } = { bestWeights: null, patienceFrom: 0 },
  ) {
    this.p = scheduleParams(settings);
  }

  /** Sets the epoch's learning rate on the optimizer; returns it (recorded with the epoch). */
  beforeEpoch(epoch: number, done: readonly EpochMetrics[], optimizer: tf.Optimizer): number {
    const lr = learningRateAt(this.settings, epoch, done);
    setLearningRate(optimizer, lr);
    return lr;
  }

  /** After an epoch (the last of `done`): the best so far, whether it is new (its weights are copied when keeping the best), and whether to stop. */
  afterEpoch(done: readonly EpochMetrics[]): AfterEpoch {
    const last = done.at(-1);
    const bestEpoch = bestEpochOf(done, this.p.minDelta);
    const newBest = last !== undefined && bestEpoch === last.epoch;
    if (newBest && this.p.keepBest) {
      tf.dispose(this.best?.weights ?? []);
      this.best = { epoch: bestEpoch, weights: this.model.inference.getWeights().map((w) => w.clone()) };
    }
    return { bestEpoch, newBest, stopEarly: shouldStopEarly(this.settings, done, this.resumed.patienceFrom) };
  }

  /**
   * The epoch whose weights the model holds for the outputs: with keepBest,
   * the best epoch's are put back (from the copy, or a resumed run's folder);
   * otherwise, or when the best one's weights are nowhere (a run killed
   * between two writes), the last epoch's stay. Null when no epoch ran.
   */
  async keep(done: readonly EpochMetrics[]): Promise<number | null> {
    const last = done.at(-1)?.epoch ?? null;
    const bestEpoch = bestEpochOf(done, this.p.minDelta);
    if (!this.p.keepBest || bestEpoch === null || bestEpoch === last) return last;
    if (this.best?.epoch === bestEpoch) {
      this.model.inference.setWeights(this.best.weights);
      return bestEpoch;
    }
    const kept = this.resumed.bestWeights;
    if (kept?.epoch !== bestEpoch) return last;
    const weights = await readNamedWeights(kept.dir);
    try {
      copyWeightsByName(weights, this.model.inference, kept.dir);
    } finally {
      tf.dispose(weights);
    }
    return bestEpoch;
  }

  /** Frees the copied weights. */
  dispose(): void {
    tf.dispose(this.best?.weights ?? []);
    this.best = null;
  }
}
