/**
 * The preload script: the only code with both the renderer's window and
 * Electron's IPC. It exposes `window.studioIpc`, a transport that reaches
 * `studio:` channels and nothing else; the renderer builds the StudioApi on
 * it (createStudioClient), as it does on the WebSocket in browser mode. It
 * runs sandboxed, so it may import only electron's contextBridge/ipcRenderer
 * and zod-free parts of src-shared.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { StudioTransport } from '../../src-shared/protocol/studio-client';
import { ipcTransport } from '../../src-shared/protocol/ipc-transport';

contextBridge.exposeInMainWorld('studioIpc', ipcTransport(ipcRenderer) satisfies StudioTransport);
