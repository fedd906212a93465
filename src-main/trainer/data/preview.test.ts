import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetPreviewSchema, PREVIEW_ANSWER_MAX_VALUES, PREVIEW_MAX_VALUES } from '../../../src-shared/datasets/dataset-preview';
import { DatasetRefSchema } from '../../../src-shared/datasets/dataset-ref';
import { splitIndices } from '../../../src-shared/util/random';
import { TEST_CACHE_DIR } from '../../../tests/helpers/specs';
import { loadBuiltin } from './builtin';
import { loadDataset } from './load-dataset';
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

describe('a page of the dataset (the Data view)', () => {
  it('pages through one class of real MNIST, with labels, split and the histogram of all classes', async () => {
    const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
    const p = previewOf(mnist, { label: 3, offset: 5, limit: 12, validationSplit: 0.2, seed: 7 });
    const page = p.page!;
    const threes = [...mnist.labels!.keys()].filter((i) => mnist.labels![i] === 3);
    expect(page.matching).toBe(threes.length);
    expect(page.indices).toEqual(threes.slice(5, 17));
    expect(page.labels).toEqual(Array(12).fill(3));
    expect(p.samples.length).toBe(12 * 784);
    // The pixels are those of the samples named, at training scale.
    expect(p.samples[200]).toBe(Math.round(mnist.values[threes[5] * 784 + 200] * 255));
    expect(page.classes!.map((c) => c.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(page.classes!.reduce((n, c) => n + c.count, 0)).toBe(mnist.summary.count);
    expect(page.classes![3].count).toBe(threes.length);
    // The split is the trainer's own: the same function, count and seed.
    const held = new Set(splitIndices(mnist.summary.count, 0.2, 7).val);
    expect(page.split).toEqual({ train: mnist.summary.count - held.size, validation: held.size });
    expect(page.validation).toEqual(page.indices.map((i) => held.has(i)));
    expect(page.stats.min).toBe(0);
    expect(page.stats.max).toBeCloseTo(1, 5);
    expect(page.stats.mean).toBeGreaterThan(0.05);
    expect(page.stats.mean).toBeLessThan(0.25);
    expect(DatasetPreviewSchema.safeParse(p).success).toBe(true);
  });

  it('answers the last, partial page and an offset past the end', async () => {
    const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
    const n = mnist.summary.count;
    expect(previewOf(mnist, { offset: n - 3, limit: 10 }).page!.indices).toEqual([n - 3, n - 2, n - 1]);
    const past = previewOf(mnist, { offset: n + 10, limit: 10 });
    expect(past.page!.indices).toEqual([]);
    expect(past.samples.length).toBe(0);
  });

  it('holds fewer samples than asked when they are large, so the answer stays within its bound', () => {
    const p = previewOf(dataset([128, 128, 3], 40, () => 0.5), { limit: 48 });
    expect(p.page!.indices.length).toBe(PREVIEW_ANSWER_MAX_VALUES / PREVIEW_MAX_VALUES);
    expect(p.samples.length).toBeLessThanOrEqual(PREVIEW_ANSWER_MAX_VALUES);
    expect(DatasetPreviewSchema.safeParse(p).success).toBe(true);
  });

  it('scales vector rows of a real CSV file to their own range, for plotting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'preview-csv-'));
    try {
      const rows = Array.from({ length: 30 }, (_, i) => [...Array.from({ length: 16 }, (_, j) => Math.sin(i + j) * 4), i % 3].join(','));
      await writeFile(join(dir, 'rows.csv'), `${[...Array(16).keys()].map((j) => `x${j}`).join(',')},kind\n${rows.join('\n')}\n`);
      const data = await loadDataset(DatasetRefSchema.parse({ kind: 'csv', path: join(dir, 'rows.csv'), options: { labelColumn: 'kind' } }), dir);
      const p = previewOf(data, { label: 2, limit: 4 });
      expect(p.summary.shape).toEqual([16]);
      expect(p.page!.matching).toBe(10);
      expect(p.page!.labels).toEqual([2, 2, 2, 2]);
      expect(p.scale).toEqual([p.page!.stats.min, p.page!.stats.max]);
      // Each row is spread over 0…255 of its dataset's range: the plot's lowest and highest values both appear.
      expect(Math.min(...p.samples)).toBeLessThan(40);
      expect(Math.max(...p.samples)).toBeGreaterThan(215);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
