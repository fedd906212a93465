/**
 * Any failure in the trainer as a message and a hint a person can act on.
 * Faults we can name (typed errors, file-system errors, memory, broken
 * weights) say what and what to try; only an error we cannot name gets the
 * catch-all, and only that one's stack belongs in the log.
 */
import { WriteError } from '../common/atomic-write';

/** A failure as the `error` event carries it. */
export interface Failure {
  message: string;
  hint: string;
}

/** What each one-off request is called in a message ("The export failed: …"). */
export const REQUEST_NAMES = { export: 'The export', evaluate: 'The evaluation', analyze: 'The analysis', decode: 'Decoding', preview: 'The dataset preview' } as const;

/** File-system error codes we can name, anywhere in an error's cause chain. */
const SYSTEM_ERRORS: Record<string, { what: string; hint: string }> = {
  ENOENT: { what: 'does not exist', hint: 'The folder does not exist: create it first, or choose one that exists.' },
  EACCES: { what: 'cannot be accessed (permission denied)', hint: 'Permission denied: choose a folder you may write to, or change its permissions.' },
  EPERM: { what: 'cannot be accessed (operation not permitted)', hint: 'Permission denied: choose a folder you may write to, or change its permissions.' },
  EROFS: { what: 'is on a read-only file system', hint: 'The disk is read-only: choose an output folder on a disk you can write to.' },
  ENOSPC: { what: 'could not be written: the disk is full', hint: 'The disk is full: free disk space, or choose an output folder on another disk.' },
  EDQUOT: { what: 'could not be written: the disk quota is used up', hint: 'The disk quota is used up: free disk space, or choose an output folder on another disk.' },
};

/** TF.js's own words when weight bytes do not fit the model (a truncated or hand-edited weights file). */
const WEIGHTS_MISMATCH = /byte length of Float\d+Array should be a multiple of|the tensor should have \d+ values but has \d+|Offset is outside the bounds of the DataView|is out of bounds|Invalid typed array length/i;

const OUT_OF_MEMORY = /out of memory|allocation failed|Array buffer allocation/i;

/** Our typed errors (dataset, diverged, backend, non-finite outputs, weights, …) carry what to try. */
function hintOf(e: unknown): string | null {
  return e instanceof Error && typeof (e as Error & { hint?: unknown }).hint === 'string' ? (e as Error & { hint: string }).hint : null;
}

/** The first error in `e`'s cause chain that `pick` accepts. */
function inChain<T>(e: unknown, pick: (x: Error) => x is Error & T): (Error & T) | null {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 8; cur = cur.cause, depth++) if (pick(cur)) return cur;
  return null;
}

/** The first error in `e`'s cause chain with a file-system code we can name. */
function systemErrorIn(e: unknown): (NodeJS.ErrnoException & { code: string }) | null {
  return inChain(e, (x): x is NodeJS.ErrnoException & { code: string } => typeof (x as NodeJS.ErrnoException).code === 'string' && (x as NodeJS.ErrnoException).code! in SYSTEM_ERRORS);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True for a failure we can name: its message says what to try, so its stack need not be logged. */
export function isNamedFailure(e: unknown): boolean {
  return hintOf(e) !== null || e instanceof WriteError || systemErrorIn(e) !== null || OUT_OF_MEMORY.test(messageOf(e)) || WEIGHTS_MISMATCH.test(messageOf(e));
}

/** Turns any failure of `doing` ("Training", "The export", …) into a message and a hint for the person. */
export function describeFailure(e: unknown, doing = 'Training'): Failure {
  const hint = hintOf(e);
  if (hint !== null) return { message: messageOf(e), hint };
  const system = systemErrorIn(e);
  if (system) {
    const known = SYSTEM_ERRORS[system.code];
    // A WriteError already says which file and that the old one is intact.
    const write = inChain(e, (x): x is WriteError => x instanceof WriteError);
    return { message: write ? write.message : `${doing} failed: ${system.path ?? 'a file'} ${known.what}`, hint: known.hint };
  }
  if (e instanceof WriteError) return { message: e.message, hint: 'Choose another output folder, or free disk space.' };
  const message = messageOf(e);
  if (OUT_OF_MEMORY.test(message)) {
    return { message: `${doing} ran out of memory (${message})`, hint: 'Use a smaller batch size, fewer or smaller layers, or fewer samples.' };
  }
  if (WEIGHTS_MISMATCH.test(message)) {
    return { message: `The weights file does not hold the weights the model describes (${message}): it is truncated or corrupt`, hint: 'Copy the run or export folder again, or train again.' };
  }
  return { message: `${doing} failed: ${message}`, hint: 'This looks like a bug in Autoencoder Studio; the trainer log has the details.' };
}
