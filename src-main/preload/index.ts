/**
 * The preload script: the only code with both the renderer's window and
 * Electron's IPC. It exposes `window.studio` (the StudioApi contract) and
 * nothing else; it runs sandboxed, so it may import only electron's
 * contextBridge/ipcRenderer and src-shared.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { channelOf } from '../../src-shared/protocol/channels';
import type { StudioApi } from '../../src-shared/protocol/studio-api';
import { createStudioClient } from '../../src-shared/protocol/studio-client';
import type { Invoke, Subscribe } from '../../src-shared/protocol/studio-client';

const invoke: Invoke = (name, ...args) => ipcRenderer.invoke(channelOf(name), ...args);

const subscribe: Subscribe = (name, listener) => {
  const channel = channelOf(name);
  const handler = (_event: unknown, payload: Parameters<typeof listener>[0]) => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => void ipcRenderer.removeListener(channel, handler);
};

const studio = createStudioClient(invoke, subscribe) satisfies StudioApi;

contextBridge.exposeInMainWorld('studio', studio);
