/**
 * Autosave: unsaved work goes to the recovery file every minute (and when
 * the window is hidden), so a crash loses at most a minute; a save, or a
 * document with nothing unsaved, clears it. So does leaving the page on
 * purpose (a reload, a close, a navigation, after the unsaved-changes
 * warning): the file is for work a crash took, and a page that got to say
 * goodbye did not crash.
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
    let leaving = false;
    const timer = setInterval(keep, autosaveInterval(window.location.search));
    // A page being unloaded turns hidden after pagehide: it must not keep its work again then.
    const onHide = () => !leaving && document.visibilityState === 'hidden' && keep();
    document.addEventListener('visibilitychange', onHide);
    const onLeave = () => {
      leaving = true;
      if (kept === -1) return; // nothing of ours in the file: another window's, or a crash's not yet answered
      kept = -1;
      // If the goodbye cannot be delivered (the app itself went away), the file stays and is offered: the safe side.
      studio().project.writeRecovery(null).catch(() => undefined);
    };
    const onBack = (e: PageTransitionEvent) => {
      if (e.persisted) leaving = false; // back from the page cache: the document is still here and still unsaved
    };
    window.addEventListener('pagehide', onLeave);
    window.addEventListener('pageshow', onBack);
    const offClean = useDocument.subscribe((s) => {
      if (!selectDirty(s) && kept !== -1) {
        kept = -1;
        void studio().project.writeRecovery(null);
      }
    });
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onLeave);
      window.removeEventListener('pageshow', onBack);
      offClean();
    };
  }, []);
}
