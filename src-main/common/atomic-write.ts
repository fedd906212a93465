/**
 * Writes a file so that readers see the old version or the new one, never a
 * half-written one: temp file in the same folder, fsync, rename. A failed
 * write leaves the previous file untouched and says why in words.
 *
 * The temp file is created exclusively (`wx`: O_CREAT|O_EXCL, which does not
 * follow a symlink) under a random name, so nobody can plant a link at the
 * name beforehand and redirect the write. The file keeps its permission bits
 * (a 0600 file stays private). Writing to a symlink writes its target, next to
 * the real file, and leaves the link a link.
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, readlink, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'the folder does not exist (a part of its path is a file)',
  EISDIR: 'it is a folder',
  EIO: 'the disk reported an input/output error (it may be failing or disconnected)',
};

/** How many links to follow before calling it a loop (Linux's own limit). */
const MAX_LINKS = 40;

/** A failed write's reason in words: the system error's code we can name, or its own message. */
export function writeFailureReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return code === 'ELOOP' ? 'it is a loop of symbolic links' : (REASONS[code] ?? (e as Error).message);
}

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

/** The file a write to `path` must replace: `path` itself, or the end of the chain of links it starts. */
async function writeTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const info = await lstat(current).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null; // a new file (or a link to one not yet written): written where it is named
      throw e;
    });
    if (!info?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error('it is a loop of symbolic links'), { code: 'ELOOP' });
}

/** Atomically replaces `path` (or, if it is a symlink, the file the link leads to) with `data`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  let tmp: string | null = null;
  try {
    const target = await writeTarget(path);
    const previous = await stat(target).catch(() => null);
    const mode = previous ? previous.mode & 0o7777 : 0o666;
    let handle;
    for (let attempt = 0; !handle; attempt++) {
      const name = join(dirname(target), `.${basename(target)}.${randomBytes(12).toString('hex')}.tmp`);
      try {
        handle = await open(name, 'wx', mode);
        tmp = name;
      } catch (e) {
        // 96 random bits never collide by chance; a file there was planted. Try another name, not that one.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
      }
    }
    try {
      // open()'s mode passes through the umask; the previous file's bits are what the person chose.
      if (previous) {
        await handle.chmod(mode);
        await handle.chown(previous.uid, previous.gid).catch(() => undefined); // only root may give a file away; keeping it ours is the fallback
      }
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp!, target);
    tmp = null;
  } catch (e) {
    if (tmp) await rm(tmp, { force: true }).catch(() => undefined);
    throw new WriteError(path, writeFailureReason(e), e);
  }
}
