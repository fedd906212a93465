/** The Data view's parts as markup: facts, histogram and samples of one page. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DatasetPreview } from '../../src-shared/datasets/dataset-preview';
import { ClassHistogram, DataFacts, SampleGrid } from './DataParts';
import { pageText } from './DataView';
import { defaultVectorStyle } from './vector-plot';

const fashion: DatasetPreview = {
  summary: { name: 'Fashion-MNIST', shape: [28, 28, 1], count: 70000, sourceRange: [0, 255], normalization: 'scaled-0-1', labelCount: 10 },
  imageShape: [28, 28, 1],
  samples: new Uint8Array(2 * 784),
  labelNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  page: {
    offset: 0,
    label: 9,
    matching: 7000,
    indices: [9, 19],
    labels: [9, 9],
    validation: [false, true],
    classes: Array.from({ length: 10 }, (_, label) => ({ label, count: 7000 })),
    stats: { min: 0, max: 1, mean: 0.286, std: 0.353 },
    split: { train: 63000, validation: 7000 },
  },
};

describe('the Data view parts', () => {
  it('states count, shape, both ranges, the normalisation and the split', () => {
    const html = renderToStaticMarkup(<DataFacts preview={fashion} page={fashion.page!} />);
    expect(html).toContain('70,000 samples of shape 28×28×1 (images)');
    expect(html).toContain('0 … 255, scaled to 0…1');
    expect(html).toContain('0 … 1, mean 0.286, sd 0.353');
    expect(html).toContain('63,000 training samples · 7,000 validation samples');
    expect(html).toContain('10% held out for validation');
  });

  it('names classes in the histogram with the dataset\'s labels, the filtered one pressed', () => {
    const html = renderToStaticMarkup(<ClassHistogram page={fashion.page!} names={fashion.labelNames} onPick={() => undefined} />);
    expect(html).toContain('Ankle boot');
    expect(html).toContain('T-shirt/top');
    expect(html.match(/aria-pressed="true"/g)).toHaveLength(1);
    expect(html).toMatch(/aria-pressed="true"[^>]*title="Ankle boot/);
  });

  it('marks each sample with its label and whether it is held out for validation', () => {
    const html = renderToStaticMarkup(<SampleGrid preview={fashion} style="line" />);
    expect(html.match(/data-testid="data-sample"/g)).toHaveLength(2);
    expect(html.match(/Ankle boot/g)).toHaveLength(2);
    expect(html.match(/>val</g)).toHaveLength(1);
  });

  it('draws vectors as a heatmap of labelled bands when asked', () => {
    const rows: DatasetPreview = { ...fashion, summary: { ...fashion.summary, shape: [16] }, imageShape: [1, 16, 1], samples: new Uint8Array(32), labelNames: null };
    const html = renderToStaticMarkup(<SampleGrid preview={rows} style="heatmap" />);
    expect(html).toContain('data-testid="data-heatmap"');
    expect(html).toContain('#19 9');
    expect(defaultVectorStyle(16)).toBe('bars');
    expect(defaultVectorStyle(500)).toBe('line');
  });

  it('says which samples a page shows', () => {
    expect(pageText(24, 24, 7000)).toBe('25–48 of 7,000');
    expect(pageText(0, 0, 0)).toBe('no samples');
  });
});
