/**
 * window.studio in browser mode: the StudioApi over the server's WebSocket.
 * The rest of the renderer cannot tell it from the Electron preload.
 */
import type { StudioApi, StudioEventName } from '../../src-shared/protocol/studio-api';
import { createStudioClient } from '../../src-shared/protocol/studio-client';
import type { Invoke, Subscribe } from '../../src-shared/protocol/studio-client';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { decodeWire, encodeWire } from '../../src-shared/protocol/wire';
import type { WireMessage } from '../../src-shared/protocol/wire';

/** Connects to the server that served this page, with the token from the page URL. */
export function createWsStudio(pageUrl: URL): StudioApi {
  const token = pageUrl.searchParams.get('token') ?? '';
  const ws = new WebSocket(`ws://${pageUrl.host}/studio?token=${encodeURIComponent(token)}`);
  ws.binaryType = 'arraybuffer';
  const open = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('Cannot reach the Autoencoder Studio server. Is `npm run serve` running, and is the token in the URL right?')));
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const trainingListeners = new Set<(e: TrainerEvent) => void>();

  ws.addEventListener('message', (event) => {
    const m = decodeWire(new Uint8Array(event.data as ArrayBuffer)) as WireMessage;
    if (m.t === 'result') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    } else if (m.t === 'event' && m.name === 'training.event') {
      trainingListeners.forEach((l) => l(m.payload as TrainerEvent));
    }
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('Lost the connection to the Autoencoder Studio server. Restart `npm run serve` and reload the page.'));
    pending.clear();
  });

  const invoke: Invoke = async (name, ...args) => {
    await open;
    const id = nextId++;
    const sent: unknown[] = [...args];
    // MessagePack has no undefined: a missing optional argument would arrive as null and fail the contract.
    while (sent.length && sent[sent.length - 1] === undefined) sent.pop();
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(encodeWire({ t: 'call', id, name, args: sent }));
    });
  };

  const subscribe: Subscribe = <T>(name: StudioEventName, listener: (payload: T) => void) => {
    // Only training events come over the socket; menu commands do not exist in a browser.
    if (name !== 'training.event') return () => undefined;
    const l = listener as unknown as (e: TrainerEvent) => void;
    trainingListeners.add(l);
    return () => void trainingListeners.delete(l);
  };

  return createStudioClient(invoke, subscribe);
}
