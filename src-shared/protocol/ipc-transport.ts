/**
 * The StudioTransport over Electron's ipcRenderer, described by shape so
 * src-shared needs no electron import. The sandboxed preload only exposes
 * it; keeping it here lets the Electron boundary be unit-tested with a
 * recorder in place of ipcRenderer. Zod-free, as the preload must be.
 */
import type { CallOutcome } from './call-outcome';
import { channelOf } from './channels';
import type { StudioTransport } from './studio-client';

type IpcListener = (event: unknown, payload: unknown) => void;

/** The part of Electron's ipcRenderer the transport uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: IpcListener): unknown;
  removeListener(channel: string, listener: IpcListener): unknown;
}

/** Calls and events on `studio:`-prefixed channels only; main answers each call in the envelope. */
export function ipcTransport(ipc: IpcRendererLike): StudioTransport {
  return {
    invoke: (name, args) => ipc.invoke(channelOf(name), ...args) as Promise<CallOutcome>,
    on: (name, listener) => {
      const channel = channelOf(name);
      const handler: IpcListener = (_event, payload) => listener(payload);
      ipc.on(channel, handler);
      return () => void ipc.removeListener(channel, handler);
    },
  };
}
