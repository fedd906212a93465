/// <reference types="vite/client" />
import type { StudioTransport } from '../src-shared/protocol/studio-client';

declare global {
  interface Window {
    /** The preload's IPC transport in the desktop app; absent in browser mode (the WebSocket stands in). Use `studio()`. */
    studioIpc?: StudioTransport;
  }
}
