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
