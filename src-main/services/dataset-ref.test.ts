/** A project's dataset import becomes the trainer's DatasetRef, or a message naming the bad option. */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import type { ProjectFile } from '../../src-shared/project/project-file';
import { projectDatasetRef } from './dataset-ref';

const spec = { dataset: 'custom' } as ModelSpec;
const project = (datasetImport: ProjectFile['datasetImport']) => ({ datasetImport }) as ProjectFile;

describe('a project\'s dataset import', () => {
  it('resolves a relative path against the project file\'s folder and fills in the format\'s defaults', () => {
    expect(projectDatasetRef(project({ format: 'csv', path: 'data/x.csv', options: {} }), spec, '/p/proj.aestudio')).toEqual({ kind: 'csv', path: '/p/data/x.csv', options: { header: 'auto' } });
  });

  it('refuses an invalid option by name and format instead of a raw schema error', () => {
    expect(() => projectDatasetRef(project({ format: 'images', path: 'imgs', options: { channels: 5 } }), spec, '/p/proj.aestudio')).toThrow(/^The project's dataset import has an invalid option "channels" for Folder of PNG\/JPEG images: .*Choose the import again in the training panel\.$/);
  });
});
