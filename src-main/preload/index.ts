/**
 * The preload script: the only code with both the renderer's window and
 * Electron's IPC. It exposes `window.studio` (the StudioApi contract) and
 * nothing else; it runs sandboxed, so it may import only electron's
 * contextBridge/ipcRenderer and src-shared.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { channelOf } from '../../src-shared/protocol/channels';
import type { StudioApi, StudioCallArgs, StudioCallName, StudioCallResult } from '../../src-shared/protocol/studio-api';

function invoke<K extends StudioCallName>(name: K, ...args: StudioCallArgs<K>): Promise<StudioCallResult<K>> {
  return ipcRenderer.invoke(channelOf(name), ...args) as Promise<StudioCallResult<K>>;
}

const studio = {
  app: {
    getInfo: () => invoke('app.getInfo'),
  },
} satisfies StudioApi;

contextBridge.exposeInMainWorld('studio', studio);
