/**
 * The StudioApi object over any transport, built from the contract table:
 * one method per entry of STUDIO_CALLS, so a new call needs no code here.
 * The Electron preload and browser mode's WebSocket each provide only a
 * {@link StudioTransport}; every answer is unwrapped here, in one place.
 */
import { unwrapOutcome } from './call-outcome';
import type { CallOutcome } from './call-outcome';
import { STUDIO_CALLS } from './studio-api';
import type { StudioApi, StudioEventName } from './studio-api';

/** What a transport carries: calls by name answered in the envelope, and events by name. */
export interface StudioTransport {
  /** Makes one call; resolves to its envelope, rejects only when the transport itself fails. */
  invoke(name: string, args: unknown[]): Promise<CallOutcome>;
  /** Subscribes to one event; returns the unsubscribe function. */
  on(name: StudioEventName, listener: (payload: unknown) => void): () => void;
}

/** `window.studio`'s object over the given transport. */
export function createStudioClient(transport: StudioTransport): StudioApi {
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const name of Object.keys(STUDIO_CALLS)) {
    const [namespace, method] = name.split('.');
    (api[namespace] ??= {})[method] = (...args) => {
      // A missing optional argument is left out, not sent as undefined (MessagePack would make it null and fail the contract).
      const sent = [...args];
      while (sent.length && sent[sent.length - 1] === undefined) sent.pop();
      return unwrapOutcome(transport.invoke(name, sent));
    };
  }
  const on = (name: StudioEventName, listener: (payload: never) => void) => transport.on(name, listener as (payload: unknown) => void);
  return { ...api, on } as unknown as StudioApi;
}
