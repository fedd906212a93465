import { describe, expect, it } from 'vitest';
import { formatLabelList, parseLabelList } from './label-list';

describe('label lists', () => {
  it('parses ranges and single labels, sorted and without repeats', () => {
    expect(parseLabelList('0-3, 7,2')).toEqual({ ok: true, labels: [0, 1, 2, 3, 7] });
  });
  it('refuses text that is not labels, naming the part', () => {
    const r = parseLabelList('0-8, nine');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('"nine"');
    expect(parseLabelList('5-2').ok).toBe(false);
    expect(parseLabelList(' ').ok).toBe(false);
    expect(parseLabelList('0-99999').ok).toBe(false);
  });
  it('formats back into the same selection', () => {
    expect(formatLabelList([5, 0, 1, 2, 3, 9, 8])).toBe('0-3, 5, 8-9');
    const parsed = parseLabelList(formatLabelList([4, 6, 7, 8, 12]));
    expect(parsed).toEqual({ ok: true, labels: [4, 6, 7, 8, 12] });
  });
});

describe('datasets named by a path', () => {
  it('tells CSV, NPY, IDX and image folders apart', async () => {
    const { datasetRefFromPath } = await import('./dataset-ref');
    expect(datasetRefFromPath('/d/x.CSV', false).kind).toBe('csv');
    expect(datasetRefFromPath('/d/x.npy', false).kind).toBe('npy');
    expect(datasetRefFromPath('/d/t10k-images-idx3-ubyte.gz', false).kind).toBe('idx');
    expect(datasetRefFromPath('/d/train.idx', false).kind).toBe('idx');
    expect(datasetRefFromPath('/d/digits', false).kind).toBe('images');
    expect(datasetRefFromPath('/d/x.csv', true).kind).toBe('images');
  });
});
