import { describe, expect, it } from 'vitest';
import { DatasetPreviewSchema, PREVIEW_MAX_VALUES } from '../../../src-shared/datasets/dataset-preview';
import type { LoadedDataset } from './dataset';
import { previewOf, shrinkFactor } from './preview';

/** A dataset of `count` samples of `shape`, sample i filled by `fill(i, index)`. */
function dataset(shape: number[], count: number, fill: (sample: number, index: number) => number): LoadedDataset {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size * count).map((_, j) => fill(Math.floor(j / size), j % size));
  return { summary: { name: 't', shape, count, sourceRange: [0, 1], normalization: 'none', labelCount: 0 }, values, labels: null };
}

describe('dataset preview', () => {
  it('keeps small samples as they are, spread over the dataset', () => {
    const p = previewOf(dataset([28, 28, 1], 80, (i) => i / 80));
    expect(p.imageShape).toEqual([28, 28, 1]);
    expect(p.samples.length).toBe(8 * 784);
    expect([...Array(8).keys()].map((k) => p.samples[k * 784])).toEqual([0, 32, 64, 96, 128, 159, 191, 223]); // samples 0, 10, …, 70
  });

  it('shrinks a large image by averaging blocks, so the answer stays small whatever the dataset', () => {
    // 300×200: 60,000 values; halved to 150×100. A checkerboard averages to mid-grey.
    const p = previewOf(dataset([300, 200, 1], 2, (_, j) => (Math.floor(j / 200) + (j % 200)) % 2));
    expect(p.imageShape).toEqual([150, 100, 1]);
    expect(new Set(p.samples)).toEqual(new Set([128]));
    expect(DatasetPreviewSchema.safeParse(p).success).toBe(true);
  });

  it('shrinks a 7000×7000 image to within the preview budget, and a long vector along its row only', () => {
    expect(shrinkFactor([7000, 7000, 3])).toBe(55);
    expect(Math.ceil(7000 / 55) ** 2 * 3).toBeLessThanOrEqual(PREVIEW_MAX_VALUES);
    const p = previewOf(dataset([100_000], 1, () => 1));
    expect(p.imageShape).toEqual([1, 33_334, 1]);
    expect(p.samples.every((v) => v === 255)).toBe(true);
  });

  it('refuses, where the answer arrives, a preview larger than the budget', () => {
    const p = previewOf(dataset([28, 28, 1], 8, () => 0));
    expect(DatasetPreviewSchema.safeParse({ ...p, samples: new Uint8Array(8 * PREVIEW_MAX_VALUES + 1) }).success).toBe(false);
  });
});
