/** The editor window: toolbar, palette, canvas, inspector and problems, training dashboard. */
import { ReactFlowProvider } from '@xyflow/react';
import { AnalysisWorkspace } from './analysis/AnalysisWorkspace';
import { Canvas } from './canvas/Canvas';
import { DataView } from './data/DataView';
import { Palette } from './canvas/Palette';
import { useAutosave } from './hooks/useAutosave';
import { useShortcuts } from './hooks/useShortcuts';
import { DiagnosticsPanel } from './panels/DiagnosticsPanel';
import { Header } from './panels/Header';
import { Inspector } from './panels/Inspector';
import { Notices } from './panels/Notices';
import { ConfirmDialog } from './panels/ConfirmDialog';
import { PathDialog } from './panels/PathDialog';
import { RecoveryDialog } from './panels/RecoveryDialog';
import { TemplateGallery } from './panels/TemplateGallery';
import { RunsPanel } from './runs/RunsPanel';
import { TrainingPanel } from './training/TrainingPanel';

export function App() {
  useShortcuts();
  useAutosave();
  return (
    <ReactFlowProvider>
      <div className="app">
        <Header />
        <div className="app__body">
          <Palette />
          <main className="app__centre">
            <Canvas />
            <DiagnosticsPanel />
          </main>
          <aside className="app__side">
            <Inspector />
            <TrainingPanel />
            <DataView />
            <RunsPanel />
          </aside>
        </div>
        <AnalysisWorkspace />
        <TemplateGallery />
        <PathDialog />
        <RecoveryDialog />
        <ConfirmDialog />
        <Notices />
      </div>
    </ReactFlowProvider>
  );
}
