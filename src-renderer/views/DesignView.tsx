/**
 * The Design view: palette | canvas | inspector over problems, each boundary a
 * splitter whose position persists. The problems share the inspector's column
 * rather than sit under the canvas: the canvas keeps the window's full height,
 * which is what lets a ten-layer graph open readable at 1024×700.
 */
import { Canvas } from '../canvas/Canvas';
import { Palette } from '../canvas/Palette';
import { DiagnosticsPanel } from '../panels/DiagnosticsPanel';
import { Inspector } from '../panels/Inspector';
import { useView } from '../state/view-store';
import { Splitter } from './Splitter';

export function DesignView() {
  const sizes = useView((s) => s.sizes);
  return (
    <div className="design-view" style={{ gridTemplateColumns: `${sizes.palette}px 6px minmax(0, 1fr) 6px ${sizes.inspector}px` }}>
      <Palette />
      <Splitter pane="palette" edge="right" label="Resize the palette" />
      <main className="design-view__centre">
        <Canvas />
      </main>
      <Splitter pane="inspector" edge="left" label="Resize the inspector" />
      <div className="design-view__side" style={{ gridTemplateRows: `minmax(0, 1fr) 6px ${sizes.problems}px` }}>
        <aside className="design-view__inspector" aria-label="Inspector">
          <Inspector />
        </aside>
        <Splitter pane="problems" edge="top" label="Resize the problems list" />
        <DiagnosticsPanel />
      </div>
    </div>
  );
}
