/**
 * Project files and the recent-files list on disk, with errors a person can act on.
 *
 * `project.read` / `project.write` reach these from the renderer, and in
 * browser mode from anyone holding the token, so they touch `.aestudio` files
 * only, regular files only (a FIFO or /dev/zero is refused at once, not waited
 * on), at most MAX_PROJECT_BYTES, and a write never replaces a file that is
 * not an Autoencoder Studio project.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MAX_PROJECT_BYTES, PROJECT_FORMAT } from '../../src-shared/project/project-file';
import { failureText } from '../../src-shared/protocol/failure-text';
import { RecoverySchema } from '../../src-shared/protocol/studio-api';
import type { Recovery } from '../../src-shared/protocol/studio-api';
import { writeFileAtomic } from '../common/atomic-write';
import { FileRefusal } from '../common/file-refusal';
import { readRegularFile } from '../common/read-regular-file';

const MAX_RECENT = 10;
const EXTENSION = '.aestudio';
const READ_LIMITS = { maxBytes: MAX_PROJECT_BYTES, what: 'a project file' };
/** The app's own state files: the recovery copy holds a project as a JSON string (escaping can double its size). */
const STATE_LIMITS = { maxBytes: 4 * MAX_PROJECT_BYTES, what: 'a state file' };

/** A project file refused or unreadable; the message says what, where and what to try. */
export class ProjectFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectFileError';
  }
}

function checkExtension(path: string, verb: 'opened' | 'saved'): void {
  if (!path.endsWith(EXTENSION)) throw new ProjectFileError(`${path} is not a project file: only ${EXTENSION} files can be ${verb} as projects. Choose a file whose name ends in ${EXTENSION}.`);
}

async function readProjectBytes(path: string): Promise<Buffer> {
  try {
    return await readRegularFile(path, READ_LIMITS);
  } catch (e) {
    if (e instanceof FileRefusal) throw new ProjectFileError(failureText(e));
    throw e;
  }
}

/** Whether `text` parses as JSON with the project `format` marker. */
function hasProjectMarker(text: string): boolean {
  try {
    const raw: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === PROJECT_FORMAT;
  } catch {
    return false;
  }
}

/**
 * Whether an existing file may be saved over: a project, also a damaged one
 * whose JSON no longer parses but starts with the marker (so a truncated
 * project can be repaired by saving), or an empty file (nothing to lose).
 */
function mayReplace(bytes: Buffer): boolean {
  const text = bytes.toString('utf8');
  if (text.trim() === '' || hasProjectMarker(text)) return true;
  return /^\uFEFF?\s*\{[^]{0,4096}?"format"\s*:\s*"autoencoder-studio-project"/.test(text.slice(0, 8192));
}

/** Reads a project file's text: `.aestudio` only, a regular file only, refusing oversized files before reading them. */
export async function readProjectText(path: string): Promise<string> {
  checkExtension(path, 'opened');
  return (await readProjectBytes(path)).toString('utf8');
}

/**
 * Writes a project file atomically (the old file survives any failure),
 * creating its folder: `.aestudio` only, project text only, and never over an
 * existing file that is not a project (nor over a FIFO, a device or a folder).
 */
export async function writeProjectText(path: string, text: string): Promise<void> {
  checkExtension(path, 'saved');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_PROJECT_BYTES) throw new ProjectFileError(`The project is ${Math.round(bytes.length / 1e6)} MB; project files are at most ${MAX_PROJECT_BYTES / 1e6} MB. Remove nodes or descriptions to make it smaller.`);
  if (!hasProjectMarker(text)) throw new ProjectFileError(`Refused to save ${path}: the text given is not an Autoencoder Studio project (it has no "format": "${PROJECT_FORMAT}").`);
  const existing = await readRegularFile(path, READ_LIMITS).catch((e: unknown) => {
    if (e instanceof FileRefusal && e.reason === 'missing') return null; // a new file
    if (e instanceof FileRefusal) throw new ProjectFileError(failureText({ message: `Refused to save ${path}: ${e.message}`, hint: e.reason === 'too-large' ? 'Choose another file name.' : e.hint }));
    throw e;
  });
  if (existing && !mayReplace(existing)) {
    throw new ProjectFileError(`Refused to save over ${path}: it exists and is not an Autoencoder Studio project (it has no "format": "${PROJECT_FORMAT}"). Choose another file name, or move that file away first.`);
  }
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
      const parsed: unknown = JSON.parse((await readRegularFile(this.file, STATE_LIMITS)).toString('utf8'));
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
  /**
   * Writes, clears and reads one after another, in the order they were asked:
   * a page that leaves clears the file right after an autosave may have begun
   * writing it, and the next page's read must see the clear, not the write.
   */
  private last: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string) {
    this.file = join(stateDir, 'recovery.aestudio.json');
  }

  private inTurn<T>(op: () => Promise<T>): Promise<T> {
    const next = this.last.then(op, op);
    this.last = next.catch(() => undefined);
    return next;
  }

  /** Keeps `recovery`, or removes the file when null. */
  write(recovery: Recovery | null): Promise<void> {
    return this.inTurn(async () => {
      if (!recovery) {
        await rm(this.file, { force: true });
        return;
      }
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, JSON.stringify(recovery));
    });
  }

  /** What is kept, or null (none, or unreadable: recovery is a safety net, never a new failure). */
  read(): Promise<Recovery | null> {
    return this.inTurn(() => this.readNow());
  }

  private async readNow(): Promise<Recovery | null> {
    try {
      const parsed = RecoverySchema.safeParse(JSON.parse((await readRegularFile(this.file, STATE_LIMITS)).toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
