/**
 * The one error class for "this file or path is refused": a path that leaves
 * its folder, a file that is not a regular file, too large, changed while read.
 * Callers in the trainer turn it into their own error kinds by `instanceof`
 * (one check covers every refusal), and the message + hint are already in words.
 */

/** Why a file or a path read from a file was refused. */
export type RefusalReason = 'absolute-path' | 'escapes-folder' | 'link-leads-out' | 'bad-path' | 'missing' | 'denied' | 'not-regular' | 'too-large' | 'changed' | 'unreadable';

/** A refused file or path: what and where in `message`, what to try in `hint`. */
export class FileRefusal extends Error {
  constructor(
    message: string,
    /** What to try. */
    readonly hint: string,
    /** Machine-readable reason, for callers that word it differently. */
    readonly reason: RefusalReason,
    /** The file (or the file that held the path) this is about. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'FileRefusal';
  }
}

