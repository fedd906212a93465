/**
 * Every editor command in one table, run the same way from the keyboard, the
 * toolbar and the desktop menu (which sends AppCommand names).
 */
import type { AppCommand } from '../src-shared/protocol/studio-api';
import { canvasBox, fitNow, fitSoon } from './canvas/arrange';
import { layoutLeftToRight, layoutToFit } from './canvas/layout';
import { useDocument } from './state/document-store';
import { openDocument, saveDocument } from './state/project-actions';
import { useUi } from './state/ui-store';

const fit = () => fitNow(200);

/** What each command does. */
export const COMMANDS: Record<AppCommand, () => void> = {
  new: () => useUi.getState().showGallery(true),
  open: () => void openDocument(),
  save: () => void saveDocument(false),
  saveAs: () => void saveDocument(true),
  undo: () => useDocument.getState().undo(),
  redo: () => useDocument.getState().redo(),
  copy: () => useDocument.getState().copy(),
  paste: () => useDocument.getState().paste(),
  selectAll: () => useDocument.getState().selectAll(),
  delete: () => useDocument.getState().deleteSelected(),
  fitView: fit,
  autoLayout: () => {
    const { nodes, edges, setPositions } = useDocument.getState();
    const box = canvasBox();
    // Wrapped to the canvas when one row of layers would not be readable in it.
    setPositions(box ? layoutToFit(nodes, edges, box) : layoutLeftToRight(nodes, edges));
    fitSoon(200);
  },
};

/** The command a key press means, or null. Ctrl on Linux/Windows, Cmd on macOS. */
export function commandForKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): AppCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && !e.altKey) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'c') return 'copy';
    if (key === 'v') return 'paste';
    if (key === 'a') return 'selectAll';
    if (key === 's') return e.shiftKey ? 'saveAs' : 'save';
    if (key === 'o') return 'open';
    if (key === 'n') return 'new';
    return null;
  }
  if (e.altKey || e.metaKey || e.ctrlKey) return null;
  if (key === 'delete' || key === 'backspace') return 'delete';
  if (key === 'f') return 'fitView';
  if (key === 'l' && e.shiftKey) return 'autoLayout';
  return null;
}
