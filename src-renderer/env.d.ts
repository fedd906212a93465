/// <reference types="vite/client" />
import type { StudioApi } from '../src-shared/protocol/studio-api';

declare global {
  interface Window {
    /** The app's services: Electron IPC in the desktop app, a WebSocket in browser mode. */
    studio?: StudioApi;
  }
}
