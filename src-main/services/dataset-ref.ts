/** The dataset a project trains on, with an import's path resolved against the project file's folder. */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import { CUSTOM_DATASET_ID } from '../../src-shared/datasets/builtin';
import { DatasetRefSchema } from '../../src-shared/datasets/dataset-ref';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { ProjectFile } from '../../src-shared/project/project-file';

/** The DatasetRef for a compiled project; throws a readable error when a custom dataset has no import. */
export function projectDatasetRef(project: ProjectFile, spec: ModelSpec, projectPath: string): DatasetRef {
  if (spec.dataset !== CUSTOM_DATASET_ID) return { kind: 'builtin', id: spec.dataset };
  const imp = project.datasetImport;
  if (!imp) throw new Error('The Input node uses a custom dataset, but the project names no import ("datasetImport"). Import data in the training panel, or choose a built-in dataset.');
  const path = isAbsolute(imp.path) ? imp.path : resolve(dirname(projectPath), imp.path);
  const kind = imp.format === 'images' ? 'images' : imp.format;
  return DatasetRefSchema.parse({ kind, path, options: imp.options });
}
