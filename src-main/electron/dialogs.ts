/** Native dialogs of the desktop shell. */
import { dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import type { PickResult } from '../../src-shared/protocol/studio-api';

const FILTERS = [{ name: 'Autoencoder Studio project', extensions: ['aestudio'] }];

/** A native open or save dialog for .aestudio files. */
export async function pickProjectPath(win: BrowserWindow | null, options: { mode: 'open' | 'save'; defaultPath?: string }): Promise<PickResult> {
  if (options.mode === 'open') {
    const args = { title: 'Open project', defaultPath: options.defaultPath, filters: FILTERS, properties: ['openFile' as const] };
    const r = win ? await dialog.showOpenDialog(win, args) : await dialog.showOpenDialog(args);
    return r.canceled || !r.filePaths[0] ? { kind: 'canceled' } : { kind: 'picked', path: r.filePaths[0] };
  }
  const args = { title: 'Save project', defaultPath: options.defaultPath, filters: FILTERS };
  const r = win ? await dialog.showSaveDialog(win, args) : await dialog.showSaveDialog(args);
  if (r.canceled || !r.filePath) return { kind: 'canceled' };
  return { kind: 'picked', path: r.filePath.endsWith('.aestudio') ? r.filePath : `${r.filePath}.aestudio` };
}
