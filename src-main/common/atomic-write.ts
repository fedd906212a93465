/**
 * Writes a file so that readers see the old version or the new one, never a
 * half-written one: temp file in the same folder, fsync, rename. A failed
 * write leaves the previous file untouched and says why in words.
 */
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'the folder does not exist',
  EIO: 'the disk reported an input/output error (it may be failing or disconnected)',
};

/** A write that failed, with the path and a reason a person understands. */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    cause: unknown,
  ) {
    super(`Could not save ${path}: ${reason}. The previous version, if any, is unchanged.`, { cause });
    this.name = 'WriteError';
  }
}

/** Atomically replaces `path` with `data`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new WriteError(path, REASONS[code] ?? (e as Error).message, e);
  }
}
