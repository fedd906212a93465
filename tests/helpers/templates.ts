/** The shipped templates, read from disk as the CLI and the app read them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProject } from '../../src-shared/project/project-file';
import type { ProjectFile } from '../../src-shared/project/project-file';

/** Folder of the template project files. */
export const TEMPLATES_DIR = join(import.meta.dirname, '../../resources/templates');

/** Every template file name (e.g. "vanilla.aestudio"). */
export const TEMPLATE_FILES = readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.aestudio')).sort();

/** Loads one template, failing loudly if it does not parse. */
export function loadTemplate(file: string): ProjectFile {
  const result = parseProject(readFileSync(join(TEMPLATES_DIR, file), 'utf8'), file);
  if (!result.ok) throw new Error(result.error);
  return result.project;
}
