/** Reads a project file from disk for the CLI, turning every failure into one sentence. */
import { MAX_PROJECT_BYTES, parseProject } from '../../src-shared/project/project-file';
import type { ProjectLoadResult } from '../../src-shared/project/project-file';
import { failureText } from '../../src-shared/protocol/failure-text';
import { FileRefusal } from '../common/file-refusal';
import { readRegularFile } from '../common/read-regular-file';

/** Loads and validates `path` (a regular file only: a FIFO or a device is refused, not waited on); file-system errors are reported like validation errors. */
export async function loadProjectFile(path: string): Promise<ProjectLoadResult> {
  try {
    return parseProject((await readRegularFile(path, { maxBytes: MAX_PROJECT_BYTES, what: 'a project file' })).toString('utf8'), path);
  } catch (e) {
    if (e instanceof FileRefusal) return { ok: false, error: failureText(e) };
    return { ok: false, error: `${path} cannot be read: ${(e as Error).message}` };
  }
}
