/** Keyboard shortcuts and desktop menu commands, both routed to COMMANDS; Alt+digit shows a view. */
import { useEffect } from 'react';
import { COMMANDS, commandForKey } from '../commands';
import type { AppCommand } from '../../src-shared/protocol/studio-api';
import { studio } from '../studio/studio';
import { useView, viewForKey } from '../state/view-store';

const FILE_COMMANDS = new Set<AppCommand>(['new', 'open', 'save', 'saveAs']);
/** Commands on the canvas's nodes: from the keyboard only where the canvas shows (Backspace in the Runs view must not delete an unseen node; Ctrl+A there selects text). */
const CANVAS_COMMANDS = new Set<AppCommand>(['copy', 'paste', 'selectAll', 'delete', 'fitView', 'autoLayout']);

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Alt+1 … Alt+5 switch views from anywhere, fields included: Alt+digit types nothing in them.
      const view = viewForKey(e);
      if (view) {
        e.preventDefault();
        useView.getState().show(view);
        return;
      }
      const command = commandForKey(e);
      if (!command) return;
      // Fields keep their own undo, copy, paste and delete; file commands work everywhere.
      if (typingInField(e.target) && !FILE_COMMANDS.has(command)) return;
      if (CANVAS_COMMANDS.has(command) && useView.getState().view !== 'design') return;
      e.preventDefault();
      COMMANDS[command]();
    };
    window.addEventListener('keydown', onKey);
    const offMenu = studio().on('app.command', (c) => COMMANDS[c]());
    return () => {
      window.removeEventListener('keydown', onKey);
      offMenu();
    };
  }, []);
}
