/** Project files and the recent-files list on disk, with errors a person can act on. */
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MAX_PROJECT_BYTES } from '../../src-shared/project/project-file';
import { RecoverySchema } from '../../src-shared/protocol/studio-api';
import type { Recovery } from '../../src-shared/protocol/studio-api';
import { writeFileAtomic } from '../common/atomic-write';

const MAX_RECENT = 10;

/** Reads a project file's text, refusing folders and oversized files before reading them. */
export async function readProjectText(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${path} does not exist.` : code === 'EACCES' ? `${path} cannot be read: permission denied.` : `${path} cannot be read: ${(e as Error).message}`, { cause: e });
  }
  if (info.isDirectory()) throw new Error(`${path} is a folder, not a project file.`);
  if (info.size > MAX_PROJECT_BYTES) throw new Error(`${path} is ${Math.round(info.size / 1e6)} MB; project files are at most ${MAX_PROJECT_BYTES / 1e6} MB. It is probably not a project file.`);
  return readFile(path, 'utf8');
}

/** Writes a project file atomically (the old file survives any failure), creating its folder. */
export async function writeProjectText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true }).catch(() => undefined); // a failure here surfaces as the write's own error
  await writeFileAtomic(path, text);
}

/** The recent-files list, kept as JSON in the app's state folder. */
export class RecentFiles {
  private readonly file: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, 'recent-projects.json');
  }

  /** Newest first; an unreadable list counts as empty (it is a convenience, not data). */
  async list(): Promise<string[]> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  /** Moves `path` to the top; returns the new list. */
  async note(path: string): Promise<string[]> {
    const list = [path, ...(await this.list()).filter((p) => p !== path)].slice(0, MAX_RECENT);
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(list, null, 2));
    return list;
  }
}

/** The autosave file: unsaved work, kept atomically so a crash mid-write cannot spoil the last good copy. */
export class RecoveryFile {
  private readonly file: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, 'recovery.aestudio.json');
  }

  /** Keeps `recovery`, or removes the file when null. */
  async write(recovery: Recovery | null): Promise<void> {
    if (!recovery) {
      await rm(this.file, { force: true });
      return;
    }
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(recovery));
  }

  /** What is kept, or null (none, or unreadable: recovery is a safety net, never a new failure). */
  async read(): Promise<Recovery | null> {
    try {
      const parsed = RecoverySchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
