/**
 * The main side of every call, for both transports (Electron IPC and the
 * browser mode's WebSocket): refuse names outside the contract, validate the
 * arguments with the contract's schema, run the handler, and answer in the
 * one envelope. Nothing escapes as a throw.
 */
import type { CallOutcome } from './call-outcome';
import { STUDIO_CALLS } from './studio-api';
import type { StudioCallName, StudioHandlers } from './studio-api';

/** Called with a handler's failure, so the log keeps the stack the person never sees. */
export type FailureLog = (name: string, error: unknown) => void;

function isCallName(name: string): name is StudioCallName {
  return Object.hasOwn(STUDIO_CALLS, name);
}

/** A refusal in the envelope, worded the same for every transport. */
export function refusal(name: string, why: string): CallOutcome<never> {
  return { ok: false, error: `Refused ${name}: ${why}` };
}

/** Validates and runs one call; answers in the envelope. */
export async function dispatchStudioCall(handlers: StudioHandlers, name: string, raw: unknown[], log?: FailureLog): Promise<CallOutcome> {
  if (!isCallName(name)) return refusal(name, 'not part of the Studio API.');
  const parsed = STUDIO_CALLS[name].args.safeParse(raw);
  if (!parsed.success) return refusal(name, `invalid arguments (${parsed.error.issues[0]?.message ?? 'unknown'}).`);
  try {
    const handler = handlers[name] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await handler(...(parsed.data as unknown[])) };
  } catch (e) {
    log?.(name, e);
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
