/** The app's services as this window sees them: Electron's preload or browser mode's WebSocket, one contract. */
import type { StudioApi } from '../../src-shared/protocol/studio-api';
import { createStudioClient } from '../../src-shared/protocol/studio-client';
import { wsTransport } from './ws-studio';

let client: StudioApi | null = null;

/** The StudioApi over the preload's IPC transport, or over the WebSocket when no preload provided one (browser mode). */
export function studio(): StudioApi {
  client ??= createStudioClient(window.studioIpc ?? wsTransport(new URL(window.location.href)));
  return client;
}

/**
 * The token for browser mode's download links (the page's own, from its
 * URL); null in the desktop app, where a run's files are on this machine and
 * their paths are what a person opens.
 */
export function downloadToken(): string | null {
  return window.studioIpc ? null : new URL(window.location.href).searchParams.get('token');
}
