/** The import-format table is the one list: schemas, path detection and help text all follow it. */
import { describe, expect, it } from 'vitest';
import { DatasetImportSchema } from '../project/project-file';
import { datasetRefFromPath, DatasetRefSchema } from './dataset-ref';
import { IMPORT_FORMAT_IDS, IMPORT_FORMATS, importFormatsHelp } from './import-formats';
import type { ImportFormatInfo } from './import-formats';

describe('the import-format table', () => {
  it.each(IMPORT_FORMAT_IDS)('%s: a dataset ref and a project import of it parse, with the options at their defaults', (id) => {
    const ref = DatasetRefSchema.parse({ kind: id, path: '/d/x' });
    expect(ref).toEqual({ kind: id, path: '/d/x', options: IMPORT_FORMATS[id].options.parse({}) });
    expect(DatasetImportSchema.parse({ format: id, path: 'x' }).format).toBe(id);
  });

  it('refuses a format the table does not have, in refs and in projects', () => {
    expect(DatasetRefSchema.safeParse({ kind: 'parquet', path: '/d/x', options: {} }).success).toBe(false);
    expect(DatasetImportSchema.safeParse({ format: 'parquet', path: 'x' }).success).toBe(false);
  });

  it.each(IMPORT_FORMAT_IDS.flatMap((id) => (IMPORT_FORMATS[id] as ImportFormatInfo).extensions.map((ext) => [id, ext] as const)))('%s is recognised by the name ending %s (any case, and .gz where the table allows)', (id, ext) => {
    const f: ImportFormatInfo = IMPORT_FORMATS[id];
    const isDir = f.target === 'folder';
    expect(datasetRefFromPath(`/d/data${ext.toUpperCase()}`, isDir).kind).toBe(id);
    if (f.gzip) expect(datasetRefFromPath(`/d/data${ext}.gz`, false).kind).toBe(id);
  });

  it('takes a folder, or a name without an extension, for an image folder, and any other file for IDX', () => {
    expect(datasetRefFromPath('/d/x.csv', true).kind).toBe('images');
    expect(datasetRefFromPath('/d/digits', false).kind).toBe('images');
    expect(datasetRefFromPath('/d/t10k-images-idx3-ubyte', false).kind).toBe('idx');
    expect(datasetRefFromPath('/d/data.bin', false).kind).toBe('idx');
  });

  it('the CLI help names every format with its label, extensions and what is read', () => {
    const help = importFormatsHelp('  ');
    for (const id of IMPORT_FORMAT_IDS) expect(help).toMatch(new RegExp(`^  ${id} +${IMPORT_FORMATS[id].label.replace(/[()]/g, '\\$&')}: `, 'm'));
    expect(help).toContain('decimal notation');
    expect(Math.max(...help.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });
});
