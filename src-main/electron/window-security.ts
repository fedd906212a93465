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
 * Which URLs are the app itself: the renderer's file (any query or hash), or
 * in development the dev server's exact origin. Parsed and compared whole,
 * never by prefix: "http://localhost:5173.evil.example" and
 * "http://localhost:51730" start with "http://localhost:5173" but are other
 * origins.
 */
export function appUrlMatcher(rendererFileUrl: string, devUrl?: string): (url: string) => boolean {
  const devOrigin = devUrl ? new URL(devUrl).origin : null;
  const file = new URL(rendererFileUrl);
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (devOrigin !== null && devOrigin !== 'null' && u.origin === devOrigin) return true;
    // file: URLs have the opaque origin "null": the exact file is the app, its neighbours are not.
    return u.protocol === 'file:' && u.host === file.host && u.pathname === file.pathname;
  };
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
