/** Reads a project file from disk for the CLI, turning every failure into one sentence. */
import { readFile, stat } from 'node:fs/promises';
import { MAX_PROJECT_BYTES, parseProject } from '../../src-shared/project/project-file';
import type { ProjectLoadResult } from '../../src-shared/project/project-file';

/** Loads and validates `path`; file-system errors are reported like validation errors. */
export async function loadProjectFile(path: string): Promise<ProjectLoadResult> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, error: `${path} is a folder, not a project file.` };
    if (info.size > MAX_PROJECT_BYTES) return { ok: false, error: `${path} is ${Math.round(info.size / 1e6)} MB; project files are at most ${MAX_PROJECT_BYTES / 1e6} MB. It is probably not a project file.` };
    return parseProject(await readFile(path, 'utf8'), path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, error: `${path} does not exist. Check the path.` };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, error: `${path} cannot be read: permission denied.` };
    return { ok: false, error: `${path} cannot be read: ${(e as Error).message}` };
  }
}
