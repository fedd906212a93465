import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useDocument } from './state/document-store';
import { applyTrainerEvent } from './state/training-store';
import { studio } from './studio/studio';
import { TEMPLATES } from './templates';

// A new window starts on the vanilla template, unsaved and clean.
useDocument.getState().load(structuredClone(TEMPLATES[0].project), null);
useDocument.setState((s) => ({ savedRevision: s.revision }));
studio().training.onEvent(applyTrainerEvent);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
