/**
 * The one place a failure's message and hint become one line of text, so
 * the punctuation between them is right whether or not the message already
 * ends a sentence (export messages do: "… is unchanged.").
 */

/** A failure as the trainer reports it. */
export interface FailureParts {
  /** What went wrong (and where). */
  message: string;
  /** What to try. */
  hint: string;
}

/** "What went wrong. What to try." with exactly one full stop between the two. */
export function failureText({ message, hint }: FailureParts): string {
  const what = message.trim().replace(/\.+$/, '');
  const tip = hint.trim();
  const stop = /[!?]$/.test(what) ? '' : '.';
  return tip ? `${what}${stop} ${tip}` : `${what}${stop}`;
}
