import { describe, expect, it } from 'vitest';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import { canAdoptImport } from './import-choice';

const csv = (path: string, options: Record<string, unknown> = {}) => ({ kind: 'csv', path, options }) as DatasetRef;

describe('"Use for this project" for an import', () => {
  it('is off before anything is loaded, and while only the built-in preview is on screen', () => {
    expect(canAdoptImport(null, csv(''))).toBe(false);
    expect(canAdoptImport(null, csv('/data/rows.csv'))).toBe(false);
    expect(canAdoptImport({ kind: 'builtin', id: 'mnist' }, csv(''))).toBe(false);
  });

  it('is on for exactly the import that loaded, and off again when the form names another', () => {
    expect(canAdoptImport(csv('/data/rows.csv'), csv('/data/rows.csv'))).toBe(true);
    expect(canAdoptImport(csv('/data/rows.csv'), csv('/data/other.csv'))).toBe(false);
    expect(canAdoptImport(csv('/data/rows.csv'), csv('/data/rows.csv', { labelColumn: 0 }))).toBe(false);
  });
});
