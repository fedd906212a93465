/**
 * Paths read from files stay inside their folder. A file someone sends (a
 * model.json's weight paths, a run's metrics.json, ...) may name
 * `../secret.txt`, `/etc/shadow` or a symlink that leads out; reading those
 * would copy another file's bytes into an export or an error message. Every
 * path that comes out of a file goes through `resolveConfinedPath` before it
 * is opened; nothing else in the app joins such a path by hand.
 */
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, posix, relative, resolve, sep, win32 } from 'node:path';
import { FileRefusal } from './file-refusal';

/** Where the path came from, for messages: the file that held it and, optionally, the field ("weightsManifest[0].paths[1]"). */
export interface PathSource {
  /** The file the path was read from (model.json, metrics.json, ...). */
  file: string;
  /** The field of that file that held it, when it helps to say. */
  field?: string;
  /** The folder the path must stay inside; `dirname(file)` when omitted. */
  root?: string;
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * Resolves `path` (as written in `source.file`) against the folder it must
 * stay in and returns the real path of what it names, ready to open. Refuses,
 * with a `FileRefusal` that names the file, the field and the path:
 * absolute paths (POSIX or Windows), paths whose `..` lead out, the folder
 * itself, empty paths or paths with NUL bytes, and symlinks (anywhere on the
 * way) whose real target is outside the folder's real path. A path that names
 * nothing is refused as "missing" (the caller has nothing to read anyway).
 */
export async function resolveConfinedPath(path: unknown, source: PathSource): Promise<string> {
  const root = resolve(source.root ?? dirname(source.file));
  const where = `${source.file}${source.field ? ` (${source.field})` : ''}`;
  const refuse = (what: string, hint: string, reason: FileRefusal['reason']): never => {
    throw new FileRefusal(`${where} names ${JSON.stringify(path)}, ${what}`, hint, reason, source.file);
  };
  const stayInside = `Only files inside ${root} may be named there; a file sent to you may try to read others. Put the file in that folder and name it relatively (e.g. "weights.bin").`;
  if (typeof path !== 'string' || path === '' || path.includes('\0')) return refuse('which is not a file name', stayInside, 'bad-path');
  if (posix.isAbsolute(path) || win32.isAbsolute(path)) return refuse('an absolute path', stayInside, 'absolute-path');
  // Windows separators count as separators everywhere, so `..\\secret` cannot slip past on one platform and out on another.
  const lexical = resolve(root, path.replaceAll('\\', '/'));
  if (lexical === root) return refuse('which is the folder itself, not a file in it', stayInside, 'bad-path');
  if (!inside(root, lexical)) return refuse(`which leads out of ${root}`, stayInside, 'escapes-folder');
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(lexical);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return refuse(`which does not exist in ${root}`, 'The folder may be incomplete; copy it again with all its files.', 'missing');
    if (code === 'ELOOP') return refuse('a loop of symbolic links', stayInside, 'link-leads-out');
    if (code === 'EACCES' || code === 'EPERM') return refuse('which cannot be reached: permission denied', 'Check the permissions of the folder.', 'denied');
    return refuse(`which cannot be resolved (${(e as Error).message})`, 'Check the folder.', 'unreadable');
  }
  if (!inside(realRoot, real)) return refuse(`a symbolic link whose target (${real}) is outside ${realRoot}`, stayInside, 'link-leads-out');
  return real;
}
