/** Keyboard shortcuts and desktop menu commands, both routed to COMMANDS. */
import { useEffect } from 'react';
import { COMMANDS, commandForKey } from '../commands';
import { studio } from '../studio/studio';

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInField(e.target)) return; // fields keep their own undo, copy and delete
      const command = commandForKey(e);
      if (!command) return;
      e.preventDefault();
      COMMANDS[command]();
    };
    window.addEventListener('keydown', onKey);
    const offMenu = studio().onCommand((c) => COMMANDS[c]());
    return () => {
      window.removeEventListener('keydown', onKey);
      offMenu();
    };
  }, []);
}
