/**
 * The StudioTransport in browser mode: calls and events over the server's
 * WebSocket. The client built on it (createStudioClient) is the same as over
 * Electron IPC, so the rest of the renderer cannot tell the two apart.
 */
import type { CallOutcome } from '../../src-shared/protocol/call-outcome';
import type { StudioTransport } from '../../src-shared/protocol/studio-client';
import { decodeWire, encodeWire } from '../../src-shared/protocol/wire';
import type { WireMessage } from '../../src-shared/protocol/wire';

/** Connects to the server that served this page, with the token from the page URL. */
export function wsTransport(pageUrl: URL): StudioTransport {
  const token = pageUrl.searchParams.get('token') ?? '';
  const ws = new WebSocket(`ws://${pageUrl.host}/studio?token=${encodeURIComponent(token)}`);
  ws.binaryType = 'arraybuffer';
  const open = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('Cannot reach the Autoencoder Studio server. Is `npm run serve` running, and is the token in the URL right?')));
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: CallOutcome): void; reject(e: Error): void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  ws.addEventListener('message', (event) => {
    const m = decodeWire(new Uint8Array(event.data as ArrayBuffer)) as WireMessage;
    if (m.t === 'result') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      p?.resolve(m);
    } else if (m.t === 'event') {
      listeners.get(m.name)?.forEach((l) => l(m.payload));
    }
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('Lost the connection to the Autoencoder Studio server. Restart `npm run serve` and reload the page.'));
    pending.clear();
  });

  return {
    invoke: async (name, args) => {
      await open;
      const id = nextId++;
      return new Promise<CallOutcome>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(encodeWire({ t: 'call', id, name, args }));
      });
    },
    // Menu commands never come over the socket (a browser has no app menu); training events do.
    on: (name, listener) => {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set.add(listener));
      return () => void set.delete(listener);
    },
  };
}
