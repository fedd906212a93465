/** The editor window: the top bar with the view tabs, one full view (Design, Data, Train, Runs, Analyse), and the dialogs over them. */
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { useAnalysis } from './analysis/analysis-store';
import { DataView } from './data/DataView';
import { useAutosave } from './hooks/useAutosave';
import { useShortcuts } from './hooks/useShortcuts';
import { ConfirmDialog } from './panels/ConfirmDialog';
import { Header } from './panels/Header';
import { Notices } from './panels/Notices';
import { PathDialog } from './panels/PathDialog';
import { RecoveryDialog } from './panels/RecoveryDialog';
import { TemplateGallery } from './panels/TemplateGallery';
import { useDocument } from './state/document-store';
import { useView } from './state/view-store';
import type { View } from './state/view-store';
import { AnalyseView } from './views/AnalyseView';
import { DesignView } from './views/DesignView';
import { RunsView } from './views/RunsView';
import { TrainView } from './views/TrainView';

const VIEW_BODIES: Record<View, () => React.JSX.Element> = {
  design: DesignView,
  data: DataView,
  train: TrainView,
  runs: RunsView,
  analyse: AnalyseView,
};

/** Views follow what the person just did: a run opened for analysis shows Analyse; a project opened (new, file, a run's graph) shows Design. */
function useViewFollowsActions(): void {
  useEffect(() => {
    const offAnalysis = useAnalysis.subscribe((s, prev) => {
      if (s.run && s.run !== prev.run) useView.getState().show('analyse');
    });
    const offDocument = useDocument.subscribe((s, prev) => {
      if (s.documentVersion !== prev.documentVersion) useView.getState().show('design');
    });
    return () => {
      offAnalysis();
      offDocument();
    };
  }, []);
}

export function App() {
  useShortcuts();
  useAutosave();
  useViewFollowsActions();
  const view = useView((s) => s.view);
  const Body = VIEW_BODIES[view];
  return (
    <ReactFlowProvider>
      <div className="app">
        <Header />
        <div className="app__view" id="view-panel" role="tabpanel" aria-labelledby={`view-tab-${view}`} data-view={view}>
          <Body />
        </div>
        <TemplateGallery />
        <PathDialog />
        <RecoveryDialog />
        <ConfirmDialog />
        <Notices />
      </div>
    </ReactFlowProvider>
  );
}
