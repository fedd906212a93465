/**
 * The Electron main process: app lifecycle, the window, IPC binding. The
 * services it binds are plain Node code (src-main/services) so the CLI and
 * browser mode reuse them without Electron.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStudioHandlers } from '../services/studio-handlers';
import { TrainingService } from '../services/training-service';
import { bindStudioIpc, sendStudioEvent } from './ipc';
import { pickProjectPath } from './dialogs';
import { buildMenu } from './menu';
import { utilityProcessLauncher } from './trainer-launcher';
import { appUrlMatcher, denyAllPermissions, hardenWebContents, secureWindowOptions } from './window-security';

const RENDERER_FILE = join(import.meta.dirname, '../renderer/index.html');
const DEV_URL = process.env.ELECTRON_RENDERER_URL; // set by `electron-vite dev`

const isAppUrl = appUrlMatcher(pathToFileURL(RENDERER_FILE).href, DEV_URL);

function createMainWindow(): BrowserWindow {
  // The static checker cannot see options built by a function: contextIsolation, sandbox and
  // disableBlinkFeatures 'Auxclick' are set in secureWindowOptions and asserted by window-security.test.ts.
  const win = new BrowserWindow(secureWindowOptions(join(import.meta.dirname, '../preload/index.cjs'))); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
  // hardenWebContents hands openExternal only URLs that parse and have an http(s)/mailto scheme (isSafeExternalUrl, tested).
  hardenWebContents(win.webContents, isAppUrl, (url) => void shell.openExternal(url)); // eng-disable OPEN_EXTERNAL_JS_CHECK
  win.once('ready-to-show', () => win.show());
  // The renderer blocks unload while the document has unsaved changes; ask the person here.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, { type: 'question', buttons: ['Discard changes', 'Cancel'], defaultId: 1, cancelId: 1, message: 'The project has unsaved changes.', detail: 'Close anyway and lose them?' });
    if (choice === 0) event.preventDefault(); // preventDefault here means: ignore the page's objection and close
  });
  if (DEV_URL) void win.loadURL(DEV_URL);
  else void win.loadFile(RENDERER_FILE);
  return win;
}

const training = new TrainingService(utilityProcessLauncher());

app.enableSandbox();
void app.whenReady().then(() => {
  denyAllPermissions(session.defaultSession);
  const userData = app.getPath('userData');
  const handlers = createStudioHandlers({
    version: app.getVersion(),
    shell: 'electron',
    cacheDir: join(userData, 'datasets'),
    runsDir: join(userData, 'runs'),
    stateDir: userData,
    projectsDir: join(app.getPath('documents'), 'Autoencoder Studio'),
    training,
    pickPath: (options) => pickProjectPath(BrowserWindow.getFocusedWindow(), options),
  });
  // A handler's failure reaches the window as its message alone; the log keeps the stack.
  const logFailure = (name: string, e: unknown) => console.error(`${name} failed:`, e);
  bindStudioIpc(ipcMain, handlers, (event) => event.senderFrame !== null && event.senderFrame === event.sender.mainFrame && isAppUrl(event.senderFrame.url), logFailure);
  // Relay trainer events to every window; typed arrays cross IPC by structured clone.
  training.onEvent((e) => BrowserWindow.getAllWindows().forEach((w) => sendStudioEvent(w.webContents, 'training.event', e)));
  Menu.setApplicationMenu(buildMenu(() => BrowserWindow.getFocusedWindow()));
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
});

// The trainer must not outlive the app.
app.on('will-quit', () => training.dispose());

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
