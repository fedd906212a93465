import { describe, expect, it } from 'vitest';
import { histogram, percentile, rocAuc, thresholdStats } from './anomaly-stats';
import { meanPsnr, psnr } from './image-quality';
import { addNoise } from './noise';
import { silhouette } from './separation';

describe('noise', () => {
  const clean = new Float32Array(10000).fill(0.5);
  it('repeats with the same seed and stays in the data range', () => {
    const a = addNoise(clean, { type: 'gaussian', level: 0.5 }, [0, 1], 7);
    expect(addNoise(clean, { type: 'gaussian', level: 0.5 }, [0, 1], 7)).toEqual(a);
    expect(addNoise(clean, { type: 'gaussian', level: 0.5 }, [0, 1], 8)).not.toEqual(a);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
  });
  it('gaussian noise has the asked spread, masking and salt-pepper touch the asked fraction', () => {
    const g = addNoise(clean, { type: 'gaussian', level: 0.05 }, [0, 1], 1);
    const sd = Math.sqrt(g.reduce((s, v) => s + (v - 0.5) ** 2, 0) / g.length);
    expect(sd).toBeCloseTo(0.05, 2);
    const m = addNoise(clean, { type: 'masking', level: 0.3 }, [0, 1], 1);
    expect(m.filter((v) => v === 0).length / m.length).toBeCloseTo(0.3, 1);
    const sp = addNoise(clean, { type: 'salt-pepper', level: 0.2 }, [0, 1], 1);
    expect(sp.filter((v) => v === 1).length / sp.length).toBeCloseTo(0.1, 1);
    expect(sp.filter((v) => v === 0).length / sp.length).toBeCloseTo(0.1, 1);
  });
});

describe('psnr', () => {
  it('matches the definition: an error of 0.1 everywhere on [0, 1] data is 20 dB', () => {
    expect(psnr([0, 0.5, 1], [0.1, 0.6, 0.9], 1)).toBeCloseTo(20, 6);
    expect(psnr([1, 2], [1, 2], 1)).toBe(Infinity);
    expect(meanPsnr(Float32Array.of(0, 0, 1, 1), Float32Array.of(0.1, 0.1, 1, 1), 2, 1)).toBeCloseTo((20 + 100) / 2, 4);
    expect(() => psnr([1], [1, 2], 1)).toThrow(/equally long/);
  });
});

describe('anomaly statistics', () => {
  const scores = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const anomalous = (i: number) => i >= 8; // the two highest
  it('percentiles interpolate between order statistics', () => {
    expect(percentile(scores, 0)).toBe(1);
    expect(percentile(scores, 100)).toBe(10);
    expect(percentile(scores, 50)).toBeCloseTo(5.5);
  });
  it('precision and recall at a threshold count what lies above it', () => {
    expect(thresholdStats(scores, anomalous, 8)).toEqual({ flagged: 2, truePositives: 2, precision: 1, recall: 1, f1: 1 });
    const loose = thresholdStats(scores, anomalous, 6);
    expect([loose.flagged, loose.precision, loose.recall]).toEqual([4, 0.5, 1]);
    expect(thresholdStats(scores, anomalous, 9).recall).toBe(0.5);
  });
  it('ROC AUC is 1 for a perfect ranking, 0.5 for ties, 0 for a reversed one', () => {
    expect(rocAuc(scores, anomalous)).toBe(1);
    expect(rocAuc([1, 1, 1, 1], (i) => i < 2)).toBe(0.5);
    expect(rocAuc(scores, (i) => i < 2)).toBe(0);
  });
  it('histograms keep every sample, split by truth', () => {
    const h = histogram(scores, 3, anomalous);
    expect(h.normal.reduce((a, b) => a + b) + h.anomalous.reduce((a, b) => a + b)).toBe(10);
    expect(h.anomalous).toEqual([0, 0, 2]);
    expect([h.min, h.max]).toEqual([1, 10]);
  });
});

describe('silhouette', () => {
  it('is near 1 for two far-apart tight groups and near 0 or below for mixed ones', () => {
    const tight = [0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1];
    const labels = [0, 0, 0, 1, 1, 1];
    expect(silhouette(tight, 2, labels)).toBeGreaterThan(0.95);
    expect(silhouette(tight, 2, [0, 1, 0, 1, 0, 1])).toBeLessThan(0.1);
    // a hand-checked case on a line: points 0, 1 (label a) and 4 (label b)
    // s(0) = (4 − 1)/4, s(1) = (3 − 1)/3; the lone b point is left out.
    expect(silhouette([0, 1, 4], 1, [0, 0, 1])).toBeCloseTo((3 / 4 + 2 / 3) / 2, 10);
    expect(Number.isNaN(silhouette([0, 1], 1, [0, 0]))).toBe(true);
  });
});
