/**
 * The Electron main process: app lifecycle, the window, IPC binding. The
 * services it binds are plain Node code (src-main/services) so the CLI and
 * browser mode reuse them without Electron.
 */
import { BrowserWindow, app, ipcMain, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bindStudioIpc } from './ipc';
import { denyAllPermissions, hardenWebContents, secureWindowOptions } from './window-security';

const RENDERER_FILE = join(import.meta.dirname, '../renderer/index.html');
const DEV_URL = process.env.ELECTRON_RENDERER_URL; // set by `electron-vite dev`

function isAppUrl(url: string): boolean {
  if (DEV_URL && url.startsWith(new URL(DEV_URL).origin)) return true;
  return url.startsWith(pathToFileURL(RENDERER_FILE).href);
}

function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow(secureWindowOptions(join(import.meta.dirname, '../preload/index.cjs')));
  hardenWebContents(win.webContents, isAppUrl, (url) => void shell.openExternal(url));
  win.once('ready-to-show', () => win.show());
  if (DEV_URL) void win.loadURL(DEV_URL);
  else void win.loadFile(RENDERER_FILE);
  return win;
}

app.enableSandbox();
void app.whenReady().then(() => {
  denyAllPermissions(session.defaultSession);
  bindStudioIpc(
    ipcMain,
    {
      'app.getInfo': async () => ({ version: app.getVersion(), shell: 'electron', platform: process.platform }),
    },
    (event) => event.senderFrame !== null && event.senderFrame === event.sender.mainFrame && isAppUrl(event.senderFrame.url),
  );
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
