/**
 * Binds the StudioApi handlers to Electron IPC. Every payload is validated
 * with the contract's schema where it arrives, and calls from any frame
 * other than our own renderer are refused.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channelOf } from '../../src-shared/protocol/channels';
import { STUDIO_CALLS } from '../../src-shared/protocol/studio-api';
import type { StudioCallName, StudioHandlers } from '../../src-shared/protocol/studio-api';

/** Decides whether an IPC call comes from a frame we trust (our own renderer's top frame). */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Registers one `ipcMain.handle` per contract call; returns a function that removes them all. */
export function bindStudioIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handlers: StudioHandlers, isTrustedSender: SenderCheck): () => void {
  const names = Object.keys(STUDIO_CALLS) as StudioCallName[];
  for (const name of names) {
    const { args: argsSchema } = STUDIO_CALLS[name];
    ipcMain.handle(channelOf(name), async (event, ...raw: unknown[]) => {
      if (!isTrustedSender(event)) throw new Error(`Refused ${name}: the call did not come from the Autoencoder Studio window.`);
      const parsed = argsSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`Refused ${name}: invalid arguments (${parsed.error.issues[0]?.message ?? 'unknown'}).`);
      const handler = handlers[name] as (...a: unknown[]) => Promise<unknown>;
      return handler(...(parsed.data as unknown[]));
    });
  }
  return () => names.forEach((name) => ipcMain.removeHandler(channelOf(name)));
}
