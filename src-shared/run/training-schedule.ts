/**
 * The epoch-to-epoch training controls as pure functions of the settings and
 * the epochs so far: the learning rate of each epoch, which epoch is the
 * best, and whether early stopping ends the run. Being functions of the
 * record, a run resumed from its checkpoint continues them exactly where an
 * uninterrupted run would be (nothing to save beyond the epochs).
 */
import { TRAINING_FIELDS } from '../project/training-fields';
import type { TrainingSettings } from '../project/training-settings';
import type { StopReason } from '../protocol/trainer-messages';

/** What the controls read of an epoch. */
export interface EpochLoss {
  epoch: number;
  valLoss: number | null;
}

/** The schedule's parameters, each absent one at its field's default. */
export function scheduleParams(s: TrainingSettings) {
  const F = TRAINING_FIELDS;
  return {
    schedule: s.lrSchedule ?? F.lrSchedule.default,
    factor: s.lrFactor ?? F.lrFactor.default,
    lrPatience: s.lrPatience ?? F.lrPatience.default,
    every: s.lrStepEvery ?? F.lrStepEvery.default,
    minLr: s.minLearningRate ?? F.minLearningRate.default,
    earlyStopping: s.earlyStopping ?? F.earlyStopping.default,
    patience: s.earlyStopPatience ?? F.earlyStopPatience.default,
    minDelta: s.minDelta ?? F.minDelta.default,
    keepBest: s.keepBest ?? F.keepBest.default,
  };
}

/** Whether `loss` improves on `best` by the settings' rule: lower by more than the minimum improvement (Keras' `min_delta`). */
export function isImprovement(loss: number, best: number, minDelta: number): boolean {
  return loss < best - minDelta;
}

/**
 * The learning rate epoch `epoch` (1-based) trains with, given the epochs
 * before it (`history`, in order; only reduce-on-plateau reads their losses).
 *
 * - none: the learning rate.
 * - step: ×factor after every `lrStepEvery` epochs.
 * - cosine: from the learning rate at epoch 1 down to the minimum at the run's last epoch.
 * - plateau: ×factor (not below the minimum) each time `lrPatience` epochs in a row fail to improve the validation loss.
 */
export function learningRateAt(settings: TrainingSettings, epoch: number, history: readonly EpochLoss[]): number {
  const p = scheduleParams(settings);
  const lr0 = settings.learningRate;
  switch (p.schedule) {
    case 'none':
      return lr0;
    case 'step':
      return lr0 * p.factor ** Math.floor((epoch - 1) / p.every);
    case 'cosine': {
      const span = Math.max(1, settings.epochs - 1);
      const t = Math.min(1, (epoch - 1) / span);
      return lr0 - ((lr0 - p.minLr) * (1 - Math.cos(Math.PI * t))) / 2; // written so that epoch 1 is exactly the learning rate
    }
    case 'plateau': {
      let lr = lr0;
      let best = Infinity;
      let waited = 0;
      for (const e of history) {
        if (e.epoch >= epoch) break;
        if (e.valLoss === null) continue;
        if (isImprovement(e.valLoss, best, p.minDelta)) {
          best = e.valLoss;
          waited = 0;
        } else if (++waited >= p.lrPatience) {
          lr = Math.max(p.minLr, lr * p.factor);
          waited = 0;
        }
      }
      return lr;
    }
  }
}

/** The epoch whose validation loss last improved on the best before it (null when no epoch has a validation loss). */
export function bestEpochOf(history: readonly EpochLoss[], minDelta: number): number | null {
  let best = Infinity;
  let bestEpoch: number | null = null;
  for (const e of history) {
    if (e.valLoss !== null && isImprovement(e.valLoss, best, minDelta)) {
      best = e.valLoss;
      bestEpoch = e.epoch;
    }
  }
  return bestEpoch;
}

/**
 * Whether early stopping ends the run after the last epoch of `history`: it
 * is on, and `earlyStopPatience` epochs after the best one (and after
 * `patienceFrom`, where a run that had stopped early was continued) brought
 * no improvement.
 */
export function shouldStopEarly(settings: TrainingSettings, history: readonly EpochLoss[], patienceFrom = 0): boolean {
  const p = scheduleParams(settings);
  const last = history.at(-1);
  if (!p.earlyStopping || !last) return false;
  const best = bestEpochOf(history, p.minDelta) ?? 0;
  return last.epoch - Math.max(best, patienceFrom) >= p.patience;
}

/** Why a run ended, in a sentence (the CLI's last line, the dashboard and the run list). */
export function stopReasonText(reason: StopReason, epochs: number, settings: TrainingSettings | null, kept: { keptEpoch: number | null; bestEpoch: number | null }): string {
  const p = settings ? scheduleParams(settings) : null;
  const plural = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;
  const keptText = kept.keptEpoch !== null && kept.keptEpoch !== epochs ? `; the model keeps epoch ${kept.keptEpoch}'s weights (the lowest validation loss)` : '';
  switch (reason) {
    case 'completed':
      return `Ran all ${plural(epochs)}${keptText}`;
    case 'earlyStopping':
      return `Stopped early after epoch ${epochs}: the validation loss had not improved${p && p.minDelta > 0 ? ` by more than ${p.minDelta}` : ''} for ${plural(p?.patience ?? 0)}${kept.bestEpoch !== null ? ` (best: epoch ${kept.bestEpoch})` : ''}${keptText}`;
    case 'stoppedByUser':
      return `Stopped by you after ${plural(epochs)}${keptText}`;
  }
}
