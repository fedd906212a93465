/** Compiled specs of the shipped templates, for trainer tests. */
import { compile } from '../../src-shared/compiler/compile';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import { projectGraph } from '../../src-shared/project/project-file';
import type { ProjectFile } from '../../src-shared/project/project-file';
import { loadTemplate } from './templates';

/** A template's project and its compiled spec. */
export function templateSpec(name: string): { project: ProjectFile; spec: ModelSpec } {
  const project = loadTemplate(`${name}.aestudio`);
  const r = compile(projectGraph(project));
  if (!r.ok) throw new Error(`${name} does not compile`);
  return { project, spec: r.spec };
}

/** A dataset cache folder shared by the tests of one machine (the first load builds it). */
export const TEST_CACHE_DIR = process.env.AESTUDIO_CACHE_DIR ?? '/tmp/aestudio-test-cache';
