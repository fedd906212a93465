/**
 * Reading a file someone may have chosen to hurt us: a FIFO blocks a plain
 * `readFile` forever (and, in the server, one of libuv's four I/O threads with
 * it), `/dev/zero` never ends, a 40 GB file grows the process until it dies.
 * So files are opened non-blocking, checked with fstat on the open handle (what
 * we check is what we read, even if the name is swapped meanwhile), refused
 * unless they are regular files no larger than the caller's cap, and read to
 * exactly the size fstat gave.
 */
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { FileRefusal } from './file-refusal';
import { formatBytes } from '../../src-shared/util/format-bytes';

/** What the caller allows and how to name the file in messages. */
export interface ReadLimits {
  /** Largest size accepted, checked before a byte is read. */
  maxBytes: number;
  /** The file as a person would call it, with its article: "a project file", "a weights file". */
  what: string;
  /** What to try when it is too large (default: says it is probably not `what`). */
  tooLargeHint?: string;
}

/** An open regular file whose size is known and within the cap; read it once, or close it. */
export interface RegularFile {
  readonly path: string;
  /** Its size from fstat when opened. */
  readonly size: number;
  /** Reads exactly `size` bytes and closes the file; refuses if it grew or shrank meanwhile. */
  read(): Promise<Buffer>;
  /** Closes it without reading (safe to call twice). */
  close(): Promise<void>;
}

// O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; it changes nothing for regular files. (Windows has no FIFOs in the file system and no such flag.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function openError(path: string, limits: ReadLimits, e: unknown): FileRefusal {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new FileRefusal(`${path} does not exist`, 'Check the path.', 'missing', path);
    case 'ENOTDIR':
      return new FileRefusal(`${path} does not exist (a folder on its way is a file)`, 'Check the path.', 'missing', path);
    case 'EACCES':
    case 'EPERM':
      return new FileRefusal(`${path} cannot be read: permission denied`, 'Check the file permissions.', 'denied', path);
    case 'EISDIR':
      return new FileRefusal(`${path} is a folder, not ${limits.what}`, 'Choose the file itself.', 'not-regular', path);
    case 'ENXIO':
      return new FileRefusal(`${path} is a socket or a device, not ${limits.what}`, `Choose ${limits.what} (a regular file).`, 'not-regular', path);
    case 'ELOOP':
      return new FileRefusal(`${path} is a loop of symbolic links`, 'Check the path.', 'unreadable', path);
    case undefined: // not a system error: nothing more specific to say than its message
    default:
      return new FileRefusal(`${path} cannot be read: ${(e as Error).message}`, 'Check the file.', 'unreadable', path);
  }
}

async function readExactly(handle: FileHandle, path: string, size: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(size);
  let done = 0;
  while (done < size) {
    const { bytesRead } = await handle.read(bytes, done, size - done, done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  const grew = done === size && (await handle.read(Buffer.alloc(1), 0, 1, size)).bytesRead > 0;
  if (done !== size || grew) {
    throw new FileRefusal(`${path} changed while it was read (${formatBytes(size)} when opened, ${grew ? 'more' : formatBytes(done)} by the end)`, 'Wait until whatever writes it has finished, then try again.', 'changed', path);
  }
  return bytes;
}

/**
 * Opens `path` as a regular file of at most `limits.maxBytes`, or refuses with
 * a `FileRefusal` naming it: missing, permission denied, a folder, a FIFO, a
 * device, a socket, too large. Nothing is read yet, so a caller can check the
 * sizes of several files (weights shards) before allocating for any.
 */
export async function openRegularFile(path: string, limits: ReadLimits): Promise<RegularFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (e) {
    throw openError(path, limits, e);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => undefined);
  };
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const kind = kindOf(info);
      const hint = info.isDirectory() ? 'Choose the file itself.' : `Choose ${limits.what} (a regular file); pipes, devices and sockets are refused because reading them may never end.`;
      throw new FileRefusal(`${path} is ${kind}, not ${limits.what}`, hint, 'not-regular', path);
    }
    if (info.size > limits.maxBytes) {
      throw new FileRefusal(`${path} is ${formatBytes(info.size)}, more than the ${formatBytes(limits.maxBytes)} ${limits.what} may be`, limits.tooLargeHint ?? `It is probably not ${limits.what}.`, 'too-large', path);
    }
    const size = info.size;
    return {
      path,
      size,
      read: async () => {
        try {
          return await readExactly(handle, path, size);
        } catch (e) {
          throw e instanceof FileRefusal ? e : openError(path, limits, e);
        } finally {
          await close();
        }
      },
      close,
    };
  } catch (e) {
    await close();
    throw e instanceof FileRefusal ? e : openError(path, limits, e);
  }
}

/** The bytes of `path`, read as `openRegularFile` describes (refusals are `FileRefusal`s). */
export async function readRegularFile(path: string, limits: ReadLimits): Promise<Buffer> {
  return (await openRegularFile(path, limits)).read();
}
