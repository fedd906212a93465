/** The dataset a project trains on, with an import's path resolved against the project file's folder. */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import { CUSTOM_DATASET_ID } from '../../src-shared/datasets/builtin';
import { DatasetRefSchema } from '../../src-shared/datasets/dataset-ref';
import { IMPORT_FORMATS } from '../../src-shared/datasets/import-formats';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { ProjectFile } from '../../src-shared/project/project-file';

/** The DatasetRef for a compiled project; throws a readable error when a custom dataset has no import. */
export function projectDatasetRef(project: ProjectFile, spec: ModelSpec, projectPath: string): DatasetRef {
  if (spec.dataset !== CUSTOM_DATASET_ID) return { kind: 'builtin', id: spec.dataset };
  const imp = project.datasetImport;
  if (!imp) throw new Error('The Input node uses a custom dataset, but the project names no import ("datasetImport"). Import data in the training panel, or choose a built-in dataset.');
  const path = isAbsolute(imp.path) ? imp.path : resolve(dirname(projectPath), imp.path);
  // The project's format ids are the import-format table's, so they are the ref's kinds as they are.
  const parsed = DatasetRefSchema.safeParse({ kind: imp.format, path, options: imp.options });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`The project's dataset import has an invalid option "${issue.path.slice(1).join('.') || 'options'}" for ${IMPORT_FORMATS[imp.format].label}: ${issue.message}. Choose the import again in the training panel.`);
}
