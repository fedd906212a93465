/**
 * Secure defaults for the app window (Electron's security checklist): an
 * isolated, sandboxed renderer without Node, no navigation away from the
 * app, no new windows, external links to the system browser only after a
 * scheme check, and every permission request denied.
 */
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** Schemes an external link may have to be handed to the system browser. */
const EXTERNAL_SCHEMES = new Set(['https:', 'http:', 'mailto:']);

/** The options every app window is created with. */
export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Autoencoder Studio',
    backgroundColor: '#15171c',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click would open links in a new window (Electron checklist: limit navigation).
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/** True for a URL safe to give to the system browser (parsed, and of an allowed scheme). */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return EXTERNAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * Blocks navigation and new windows; sends safe external links to the
 * system browser through `openExternal`. `isAppUrl` says which URLs are the
 * app itself (its file or dev-server origin).
 */
export function hardenWebContents(
  contents: Pick<WebContents, 'setWindowOpenHandler' | 'on'>,
  isAppUrl: (url: string) => boolean,
  openExternal: (url: string) => void,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isSafeExternalUrl(url)) openExternal(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Denies every permission (camera, notifications, …): the app needs none. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
