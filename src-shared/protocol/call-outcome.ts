/**
 * The one error envelope of the renderer ↔ main contract, for both
 * transports: a call answers `{ ok: true, value }` or `{ ok: false, error }`
 * and never throws across the boundary, so Electron's "Error invoking remote
 * method '…': Error:" wrapper has nothing to wrap. Unwrapped in one place,
 * {@link unwrapOutcome}, which the client calls for every call. Zod-free: the
 * sandboxed preload may import it.
 */

/** The answer to one call. */
export type CallOutcome<T = unknown> = { ok: true; value: T } | { ok: false; error: string };

/** Electron's wrapper around a rejected `ipcRenderer.invoke` ("Error invoking remote method 'studio:x': Error: …"). */
const ELECTRON_REMOTE_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/** A failure's message as a person should read it, without transport wrappers. */
export function plainMessage(message: string): string {
  return message.replace(ELECTRON_REMOTE_PREFIX, '');
}

/**
 * The value of a call, or an Error with the handler's own message. A
 * transport failure (a lost socket, a channel Electron has no handler for)
 * arrives as a rejection and loses the transport's prefix here too.
 */
export async function unwrapOutcome<T>(outcome: Promise<CallOutcome<T>>): Promise<T> {
  let answer: CallOutcome<T>;
  try {
    answer = await outcome;
  } catch (e) {
    throw new Error(plainMessage(e instanceof Error ? e.message : String(e)), { cause: e });
  }
  if (answer.ok) return answer.value;
  throw new Error(plainMessage(answer.error));
}
