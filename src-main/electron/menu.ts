/**
 * The native menu: File, Edit, View, Help, mirroring the editor's shortcuts.
 * Items send AppCommand names to the window, which runs them exactly as its
 * keyboard shortcuts do (one command table in the renderer).
 */
import { Menu, shell } from 'electron';
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../src-shared/protocol/studio-api';
import { sendStudioEvent } from './ipc';

/** Builds the application menu for the focused window. */
export function buildMenu(focused: () => BrowserWindow | null): Menu {
  const send = (command: AppCommand) => () => {
    const win = focused();
    if (win) sendStudioEvent(win.webContents, 'app.command', command);
  };
  const item = (label: string, command: AppCommand, accelerator?: string): MenuItemConstructorOptions => ({ label, accelerator, click: send(command) });
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [item('New…', 'new', 'CmdOrCtrl+N'), item('Open…', 'open', 'CmdOrCtrl+O'), { type: 'separator' }, item('Save', 'save', 'CmdOrCtrl+S'), item('Save As…', 'saveAs', 'CmdOrCtrl+Shift+S'), { type: 'separator' }, { role: 'quit' }],
    },
    {
      label: 'Edit',
      submenu: [
        // Accelerators are shown but the window's own key handler acts on them, so text fields keep native undo and copy.
        { ...item('Undo', 'undo', 'CmdOrCtrl+Z'), registerAccelerator: false },
        { ...item('Redo', 'redo', 'CmdOrCtrl+Shift+Z'), registerAccelerator: false },
        { type: 'separator' },
        { ...item('Copy', 'copy', 'CmdOrCtrl+C'), registerAccelerator: false },
        { ...item('Paste', 'paste', 'CmdOrCtrl+V'), registerAccelerator: false },
        { ...item('Select All', 'selectAll', 'CmdOrCtrl+A'), registerAccelerator: false },
        { ...item('Delete', 'delete', 'Delete'), registerAccelerator: false },
      ],
    },
    {
      label: 'View',
      submenu: [{ ...item('Fit Graph', 'fitView', 'F'), registerAccelerator: false }, { ...item('Arrange Left to Right', 'autoLayout', 'Shift+L'), registerAccelerator: false }, { type: 'separator' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'resetZoom' }, { type: 'separator' }, { role: 'togglefullscreen' }, { role: 'toggleDevTools' }],
    },
    {
      label: 'Help',
      submenu: [{ label: 'TensorFlow.js Layers API', click: () => void shell.openExternal('https://js.tensorflow.org/api/latest/') }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
