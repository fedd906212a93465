/**
 * Minimal stand-in for the one confinement rule of issue 14 (another slice
 * writes the full one; the lead reconciles the two under this name): a path
 * read from a file is resolved against that file's folder and refused when
 * it leaves it — absolute, "..", or a symlink that leads out.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A path from a file that would lead outside the folder it must stay in. */
export class PathEscapeError extends Error {
  constructor(
    readonly base: string,
    readonly path: string,
  ) {
    super(`${JSON.stringify(path.slice(0, 300))} leads outside ${base}`);
    this.name = 'PathEscapeError';
  }
}

const inside = (base: string, target: string) => {
  const rel = relative(base, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** `path` resolved inside `base`; throws PathEscapeError when it, or a symlink on its way, leaves `base`. */
export function resolveInside(base: string, path: string): string {
  if (path.includes('\0') || isAbsolute(path)) throw new PathEscapeError(base, path);
  const target = resolve(base, path);
  if (!inside(resolve(base), target)) throw new PathEscapeError(base, path);
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return target; // not there (yet): nothing on the way can redirect it; the reader reports it missing
  }
  if (!inside(realpathSync(base), real)) throw new PathEscapeError(base, path);
  return target;
}
