/**
 * Binds the StudioApi handlers to Electron IPC, and sends its events. Every
 * payload is validated with the contract's schema where it arrives (in
 * dispatchStudioCall, shared with browser mode), calls from any frame other
 * than our own renderer are refused, and every answer travels in the one
 * envelope: a handler never throws through ipcMain, so Electron never wraps
 * a message in "Error invoking remote method".
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channelOf } from '../../src-shared/protocol/channels';
import { STUDIO_CALLS } from '../../src-shared/protocol/studio-api';
import type { StudioEventName, StudioEventPayload, StudioHandlers } from '../../src-shared/protocol/studio-api';
import { dispatchStudioCall, refusal } from '../../src-shared/protocol/studio-dispatch';
import type { FailureLog } from '../../src-shared/protocol/studio-dispatch';

/** Decides whether an IPC call comes from a frame we trust (our own renderer's top frame). */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Registers one `ipcMain.handle` per contract call; returns a function that removes them all. */
export function bindStudioIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handlers: StudioHandlers, isTrustedSender: SenderCheck, log?: FailureLog): () => void {
  const names = Object.keys(STUDIO_CALLS);
  for (const name of names) {
    ipcMain.handle(channelOf(name), async (event, ...raw: unknown[]) => {
      if (!isTrustedSender(event)) return refusal(name, 'the call did not come from the Autoencoder Studio window.');
      return dispatchStudioCall(handlers, name, raw, log);
    });
  }
  return () => names.forEach((name) => ipcMain.removeHandler(channelOf(name)));
}

/** Anything that can receive an event (a window's webContents). */
export interface EventTarget {
  send(channel: string, payload: unknown): void;
}

/** Sends one contract event, its payload typed by its name. */
export function sendStudioEvent<K extends StudioEventName>(target: EventTarget, name: K, payload: StudioEventPayload<K>): void {
  target.send(channelOf(name), payload);
}
