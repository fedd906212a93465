/** Each schedule's learning rate per epoch, the best epoch and early stopping, as pure functions of the epochs so far. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SETTINGS } from '../project/training-settings';
import type { TrainingSettings } from '../project/training-settings';
import { bestEpochOf, learningRateAt, shouldStopEarly, stopReasonText } from './training-schedule';

const base: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, learningRate: 0.01, epochs: 5 };
const history = (...losses: (number | null)[]) => losses.map((valLoss, i) => ({ epoch: i + 1, valLoss }));
const rates = (s: TrainingSettings, h = history()) => Array.from({ length: s.epochs }, (_, i) => learningRateAt(s, i + 1, h));

describe('learning-rate schedules', () => {
  it('none (and absent, as in older projects): the learning rate every epoch', () => {
    expect(rates(base)).toEqual([0.01, 0.01, 0.01, 0.01, 0.01]);
    expect(rates({ ...base, lrSchedule: 'none' })).toEqual([0.01, 0.01, 0.01, 0.01, 0.01]);
  });

  it('step: ×factor after every N epochs', () => {
    const r = rates({ ...base, epochs: 7, lrSchedule: 'step', lrStepEvery: 3, lrFactor: 0.1 });
    [0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.0001].forEach((want, i) => expect(r[i]).toBeCloseTo(want, 12));
  });

  it('cosine: from the learning rate at epoch 1 to the minimum at the last epoch, half-way at the middle', () => {
    const r = rates({ ...base, lrSchedule: 'cosine', minLearningRate: 0.001 });
    expect(r[0]).toBeCloseTo(0.01, 12);
    expect(r[2]).toBeCloseTo(0.0055, 12);
    expect(r[4]).toBeCloseTo(0.001, 12);
    for (let i = 1; i < r.length; i++) expect(r[i]).toBeLessThan(r[i - 1]);
    expect(rates({ ...base, epochs: 1, lrSchedule: 'cosine', minLearningRate: 0.001 })).toEqual([0.01]);
  });

  it('plateau: ×factor after `lrPatience` epochs without improvement, counting again after each reduction, never below the minimum', () => {
    const s: TrainingSettings = { ...base, epochs: 9, lrSchedule: 'plateau', lrPatience: 2, lrFactor: 0.5, minLearningRate: 0.002 };
    // Improves at 1-2; 3 and 4 do not (reduce before 5); 5 improves; 6, 7 do not (reduce before 8, to 0.0025); 8, 9 not (would be 0.00125: held at 0.002).
    const h = history(1, 0.9, 0.95, 0.9, 0.8, 0.85, 0.81, 0.9, 0.9);
    expect(Array.from({ length: 10 }, (_, i) => learningRateAt(s, i + 1, h))).toEqual([0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.0025, 0.0025, 0.002]);
    // The minimum improvement applies: 1 → 0.95 → 0.92 improves, but not by more than 0.1.
    expect(learningRateAt(s, 4, history(1, 0.95, 0.92))).toBe(0.01);
    expect(learningRateAt({ ...s, minDelta: 0.1 }, 4, history(1, 0.95, 0.92))).toBe(0.005);
  });
});

describe('best epoch and early stopping', () => {
  it('the best epoch is the last that improved on the best before it by more than the minimum improvement', () => {
    expect(bestEpochOf(history(1, 0.5, 0.6, 0.49), 0)).toBe(4);
    expect(bestEpochOf(history(1, 0.5, 0.6, 0.49), 0.05)).toBe(2);
    expect(bestEpochOf(history(null, null), 0)).toBeNull();
  });

  it('stops once `patience` epochs after the best brought no improvement; off unless asked', () => {
    const s: TrainingSettings = { ...base, epochs: 20, earlyStopping: true, earlyStopPatience: 2 };
    expect(shouldStopEarly(s, history(1, 0.5, 0.6))).toBe(false);
    expect(shouldStopEarly(s, history(1, 0.5, 0.6, 0.55))).toBe(true);
    expect(shouldStopEarly(s, history(1, 0.5, 0.6, 0.45))).toBe(false);
    expect(shouldStopEarly({ ...s, minDelta: 0.1 }, history(1, 0.5, 0.45, 0.42))).toBe(true);
    expect(shouldStopEarly({ ...s, earlyStopping: false }, history(1, 0.5, 0.6, 0.7, 0.8))).toBe(false);
  });

  it('a run continued after it stopped early counts its patience afresh from where it continued', () => {
    const s: TrainingSettings = { ...base, epochs: 20, earlyStopping: true, earlyStopPatience: 2 };
    const h = history(1, 0.5, 0.6, 0.55, 0.7);
    expect(shouldStopEarly(s, h.slice(0, 4))).toBe(true);
    expect(shouldStopEarly(s, h, 4)).toBe(false);
    expect(shouldStopEarly(s, [...h, { epoch: 6, valLoss: 0.7 }], 4)).toBe(true);
  });

  it('says why training ended, and which epoch the model keeps', () => {
    const s: TrainingSettings = { ...base, epochs: 20, earlyStopping: true, earlyStopPatience: 3, minDelta: 0.001 };
    expect(stopReasonText('earlyStopping', 8, s, { bestEpoch: 5, keptEpoch: 5 })).toBe("Stopped early after epoch 8: the validation loss had not improved by more than 0.001 for 3 epochs (best: epoch 5); the model keeps epoch 5's weights (the lowest validation loss)");
    expect(stopReasonText('completed', 1, s, { bestEpoch: 1, keptEpoch: 1 })).toBe('Ran all 1 epoch');
    expect(stopReasonText('stoppedByUser', 4, s, { bestEpoch: null, keptEpoch: 4 })).toBe('Stopped by you after 4 epochs');
  });
});
