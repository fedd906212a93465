/**
 * Autosave: unsaved work goes to the recovery file every minute (and when
 * the window is hidden), so a crash loses at most a minute; a save, or a
 * document with nothing unsaved, clears it.
 */
import { useEffect } from 'react';
import { serializeProject } from '../../src-shared/project/project-file';
import { selectDirty, useDocument } from '../state/document-store';
import { studio } from '../studio/studio';

/** Milliseconds between autosaves: a minute, or ?autosaveMs=… (tests). */
export function autosaveInterval(search: string): number {
  const v = Number(new URLSearchParams(search).get('autosaveMs'));
  return Number.isFinite(v) && v >= 100 ? v : 60_000;
}

export function useAutosave(): void {
  useEffect(() => {
    let kept = -1; // the revision last written to the recovery file (-1: none, or cleared)
    const keep = () => {
      const doc = useDocument.getState();
      if (!selectDirty(doc) || doc.revision === kept) return;
      kept = doc.revision;
      void studio().project.writeRecovery({ text: serializeProject(doc.toProject()), filePath: doc.filePath, savedAt: new Date().toISOString() });
    };
    const timer = setInterval(keep, autosaveInterval(window.location.search));
    const onHide = () => document.visibilityState === 'hidden' && keep();
    document.addEventListener('visibilitychange', onHide);
    const offClean = useDocument.subscribe((s) => {
      if (!selectDirty(s) && kept !== -1) {
        kept = -1;
        void studio().project.writeRecovery(null);
      }
    });
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onHide);
      offClean();
    };
  }, []);
}
