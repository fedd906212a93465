/** The window's security wiring, with Electron's WebContents and Session replaced by recorders (the binary cannot run here). */
import { describe, expect, it, vi } from 'vitest';
import { appUrlMatcher, denyAllPermissions, hardenWebContents, isSafeExternalUrl, secureWindowOptions } from './window-security';

type Listener = (event: { preventDefault(): void }, url: string) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  return {
    contents: {
      setWindowOpenHandler: (h: typeof openHandler) => void (openHandler = h),
      on: (name: string, l: Listener) => void listeners.set(name, l),
    },
    open: (url: string) => openHandler!({ url }),
    navigate: (url: string) => {
      const event = { preventDefault: vi.fn() };
      listeners.get('will-navigate')!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    },
  };
}

describe('window security', () => {
  it('creates windows isolated, sandboxed and without Node', () => {
    const prefs = secureWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({ preload: '/app/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
  });

  it('denies every new window, sending only http(s)/mailto links to the system browser', () => {
    const f = fakeContents();
    const opened: string[] = [];
    hardenWebContents(f.contents as never, () => false, (u) => opened.push(u));
    expect(f.open('https://www.tensorflow.org/js')).toEqual({ action: 'deny' });
    expect(f.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(f.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://www.tensorflow.org/js']);
  });

  it('lets the window navigate within the app only', () => {
    const f = fakeContents();
    const opened: string[] = [];
    hardenWebContents(f.contents as never, (u) => u.startsWith('file:///app/'), (u) => opened.push(u));
    expect(f.navigate('file:///app/index.html')).toBe(false);
    expect(f.navigate('https://evil.example/')).toBe(true);
    expect(f.navigate('file:///home/user/secret.txt')).toBe(true);
    expect(opened).toEqual(['https://evil.example/']);
  });

  it('parses URLs before trusting their scheme', () => {
    expect(isSafeExternalUrl('not a url')).toBe(false);
    expect(isSafeExternalUrl(' https://x.org')).toBe(true); // URL() trims, then it is https
    expect(isSafeExternalUrl('data:text/html,<script>')).toBe(false);
  });

  it('answers every permission request and check with no', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyAllPermissions({ setPermissionRequestHandler: (h: typeof request) => void (request = h), setPermissionCheckHandler: (h: typeof check) => void (check = h) } as never);
    const answer = vi.fn();
    request!(null, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(check!()).toBe(false);
  });

  it('takes the dev server by its exact origin, not by a prefix of the URL', () => {
    const isApp = appUrlMatcher('file:///app/out/renderer/index.html', 'http://localhost:5173/');
    expect(isApp('http://localhost:5173/')).toBe(true);
    expect(isApp('http://localhost:5173/#/runs?x=1')).toBe(true);
    expect(isApp('http://localhost:5173.evil.example/')).toBe(false);
    expect(isApp('http://localhost:51730/')).toBe(false);
    expect(isApp('http://localhost:5173@evil.example/')).toBe(false);
    expect(isApp('https://localhost:5173/')).toBe(false);
    expect(isApp('http://127.0.0.1:5173/')).toBe(false);
    expect(isApp('not a url')).toBe(false);
  });

  it('takes the renderer file exactly, not a neighbour whose path starts the same', () => {
    const isApp = appUrlMatcher('file:///app/out/renderer/index.html');
    expect(isApp('file:///app/out/renderer/index.html')).toBe(true);
    expect(isApp('file:///app/out/renderer/index.html#/project')).toBe(true);
    expect(isApp('file:///app/out/renderer/index.html.evil.html')).toBe(false);
    expect(isApp('file:///app/out/renderer/index.htmlx/../../../etc/passwd')).toBe(false);
    expect(isApp('file:///etc/passwd')).toBe(false);
    expect(isApp('http://localhost:5173/')).toBe(false); // no dev server in a packaged app
  });
});
