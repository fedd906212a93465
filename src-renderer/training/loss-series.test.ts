import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src-shared/protocol/trainer-messages';
import { lossColumns, lossSeries } from './loss-series';

const epoch = (n: number, extra: Partial<EpochMetrics> = {}): EpochMetrics => ({ epoch: n, trainLoss: 1 / n, valLoss: 2 / n, penalties: {}, seconds: 1, samplesPerSec: 100, ...extra });

describe('the loss chart series', () => {
  it('draws every penalty and a VAE\'s KL and −ELBO as their own lines, in a stable order', () => {
    const epochs = [epoch(1, { penalties: { 'l1:sparsity': 0.5 }, vae: { kl: 0, beta: 1, negativeElbo: 1 } }), epoch(2, { penalties: { 'l1:sparsity': 0.25, 'l2:dec': 0.1 }, vae: { kl: 3, beta: 1, negativeElbo: 3.5 } })];
    const series = lossSeries(epochs);
    expect(series.map((s) => s.label)).toEqual(['batch (running)', 'reconstruction (train)', 'reconstruction (validation)', 'KL', '−ELBO', 'penalty l1:sparsity', 'penalty l2:dec']);
    const [xs, , train, , kl, , l1, l2] = lossColumns(series, [[0.5, 0.9]], epochs, false);
    expect(xs).toEqual([0.5, 1, 2]);
    expect(train).toEqual([null, 1, 0.5]);
    expect(kl).toEqual([null, 0, 3]);
    expect(l1).toEqual([null, 0.5, 0.25]);
    expect(l2).toEqual([null, null, 0.1]); // absent in epoch 1: a gap, not a zero
  });

  it('leaves values a log axis cannot place (≤ 0) as gaps only on the log scale', () => {
    const epochs = [epoch(1, { vae: { kl: 0, beta: 1, negativeElbo: 1 } })];
    const series = lossSeries(epochs);
    const kl = series.findIndex((s) => s.key === 'vae:kl') + 1;
    expect(lossColumns(series, [], epochs, true)[kl]).toEqual([null]);
    expect(lossColumns(series, [], epochs, false)[kl]).toEqual([0]);
  });
});
