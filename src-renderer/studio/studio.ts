/** The app's services as this window sees them: Electron's preload or browser mode's WebSocket, one contract. */
import type { StudioApi } from '../../src-shared/protocol/studio-api';
import { createWsStudio } from './ws-studio';

/** window.studio, created over the WebSocket when no preload provided it (browser mode). */
export function studio(): StudioApi {
  if (!window.studio) window.studio = createWsStudio(new URL(window.location.href));
  return window.studio;
}
