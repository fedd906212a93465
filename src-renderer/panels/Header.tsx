/** The window's top bar: the view tabs, the document, file commands and the model's totals; sets the window title with a dirty mark. */
import { useEffect } from 'react';
import { plainText } from '../../src-shared/text/plain-text';
import { estimateMemory, memoryParts } from '../../src-shared/compiler/memory-estimate';
import { formatBytes } from '../../src-shared/util/format-bytes';
import type { MemoryEstimate } from '../../src-shared/compiler/memory-estimate';
import { COMMANDS } from '../commands';
import { useCompiled } from '../state/compile-store';
import { selectDirty, useDocument } from '../state/document-store';
import { RecentMenu } from './RecentMenu';
import { ViewTabs } from '../views/ViewTabs';
import { CanvasToolbar } from '../canvas/CanvasToolbar';
import { useView } from '../state/view-store';

function fileName(path: string | null): string {
  return path ? path.split(/[\\/]/).pop()! : 'not saved';
}

/** "≈ 3.7 MB at batch 128": what training the graph will take, from the compiler's estimate (src-shared/compiler/memory-estimate.ts). */
function MemoryStat({ estimate: e, optimizer }: { estimate: MemoryEstimate; optimizer: string }) {
  if (e.totalBytes === 0) return null;
  const title = `Estimated memory for one training step: ${memoryParts(e, optimizer)}${e.largest ? `; largest layer ${e.largest.name} (${formatBytes(e.largest.bytes)})` : ''}`;
  return (
    <span data-testid="memory-estimate" title={title}>
      ≈ {formatBytes(e.totalBytes)} at batch {e.batchSize}
    </span>
  );
}

export function Header() {
  const name = useDocument((s) => s.name);
  const filePath = useDocument((s) => s.filePath);
  const dirty = useDocument(selectDirty);
  const totalParams = useCompiled((s) => s.result.analysis.totalParams);
  const ratio = useCompiled((s) => s.result.analysis.compressionRatio);
  const memory = useCompiled((s) => s.result.analysis.memory);
  const batchSize = useDocument((s) => s.training.batchSize);
  const optimizer = useDocument((s) => s.training.optimizer);
  const momentum = useDocument((s) => s.training.momentum);
  const errors = useCompiled((s) => s.result.diagnostics.filter((d) => d.severity === 'error').length);
  const millis = useCompiled((s) => s.millis);
  const view = useView((s) => s.view);

  useEffect(() => {
    // The window manager shows the title outside the page, where React's escaping does not reach.
    document.title = plainText(`${dirty ? '• ' : ''}${name} (${fileName(filePath)}) — Autoencoder Studio`);
  }, [name, filePath, dirty]);
  useEffect(() => {
    // The browser (and Electron's will-prevent-unload handler) asks before closing with unsaved changes.
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const b = (label: string, command: keyof typeof COMMANDS, title: string) => (
    <button type="button" onClick={COMMANDS[command]} title={title} data-command={command}>
      {label}
    </button>
  );
  return (
    <header className="header">
      <ViewTabs />
      <span className="header__doc" data-testid="doc-title">
        {name} <span className="muted">{fileName(filePath)}</span>
        {dirty ? <span className="dirty" title="Unsaved changes"> •</span> : null}
      </span>
      <nav className="header__tools">
        {b('New', 'new', 'New project from a template (Ctrl+N)')}
        {b('Open', 'open', 'Open a project (Ctrl+O)')}
        <RecentMenu />
        {b('Save', 'save', 'Save (Ctrl+S)')}
        {b('Save as', 'saveAs', 'Save as (Ctrl+Shift+S)')}
      </nav>
      {view === 'design' ? <CanvasToolbar /> : null}
      <span className="header__stats">
        <span data-testid="total-params">{totalParams.toLocaleString('en-US')} parameters</span>
        <MemoryStat estimate={estimateMemory(memory, { batchSize, optimizer, momentum })} optimizer={optimizer} />
        {ratio ? <span data-testid="compression">compression {ratio.toFixed(1)}×</span> : null}
        <span className={errors ? 'status error' : 'status ok'} data-testid="compile-status" title={`compiled in ${millis.toFixed(2)} ms`}>
          {errors ? `${errors} error${errors > 1 ? 's' : ''}` : 'compiles'}
        </span>
      </span>
    </header>
  );
}
