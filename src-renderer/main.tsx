import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useDocument } from './state/document-store';
import { applyTrainerEvent } from './state/training-store';
import { useUi } from './state/ui-store';
import { studio } from './studio/studio';
import { TEMPLATES } from './templates';

// A new window starts on the vanilla template, unsaved and clean.
useDocument.getState().load(structuredClone(TEMPLATES[0].project), null);
studio().on('training.event', applyTrainerEvent);
// A window that (re)opens while a run trains picks it up with its history.
void studio()
  .training.current()
  .then((events) => events.forEach(applyTrainerEvent));
// Work a crashed session left behind is offered back before anything else. The page says when it has
// looked (data-recovery on <html>), so a test can tell "nothing offered" from "not asked yet".
void studio()
  .project.readRecovery()
  .then((r) => {
    document.documentElement.dataset.recovery = r ? 'offered' : 'none';
    if (r) useUi.getState().offerRecovery(r);
  });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
