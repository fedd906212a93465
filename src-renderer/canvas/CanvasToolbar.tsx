/** The canvas's own commands (edit history, layout, fit, zoom), in the top bar while the Design view shows. */
import { COMMANDS } from '../commands';
import { flow } from './flow-handle';
import type { AppCommand } from '../../src-shared/protocol/studio-api';
import { useDocument } from '../state/document-store';

export function CanvasToolbar() {
  const canUndo = useDocument((s) => s.past.length > 0);
  const canRedo = useDocument((s) => s.future.length > 0);
  const b = (label: string, command: AppCommand, title: string, disabled = false) => (
    <button type="button" onClick={COMMANDS[command]} title={title} disabled={disabled} data-command={command}>
      {label}
    </button>
  );
  return (
    <div className="canvas-toolbar" role="toolbar" aria-label="Canvas">
      {b('Undo', 'undo', 'Undo (Ctrl+Z)', !canUndo)}
      {b('Redo', 'redo', 'Redo (Ctrl+Shift+Z)', !canRedo)}
      <span className="sep" aria-hidden="true" />
      {b('Layout', 'autoLayout', 'Arrange the graph to fit the canvas at a readable size (Shift+L)')}
      {b('Fit', 'fitView', 'Fit the graph in view (F)')}
      <button type="button" onClick={() => void flow()?.zoomIn({ duration: 150 })} title="Zoom in (or the mouse wheel)" aria-label="Zoom in">
        +
      </button>
      <button type="button" onClick={() => void flow()?.zoomOut({ duration: 150 })} title="Zoom out (or the mouse wheel)" aria-label="Zoom out">
        −
      </button>
    </div>
  );
}
