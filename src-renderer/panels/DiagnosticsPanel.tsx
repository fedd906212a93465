/** Every compiler problem in one list; clicking one selects and centres the node its hint says to change (else the node it is about). */
import { useCompiled } from '../state/compile-store';
import { useDocument } from '../state/document-store';
import { flow } from '../canvas/flow-handle';

function reveal(nodeId: string) {
  useDocument.getState().selectOnly(nodeId);
  const f = flow();
  const n = f?.getInternalNode(nodeId);
  if (f && n) void f.setCenter(n.internals.positionAbsolute.x + (n.measured.width ?? 0) / 2, n.internals.positionAbsolute.y + (n.measured.height ?? 0) / 2, { zoom: Math.max(f.getZoom(), 0.8), duration: 250 });
}

export function DiagnosticsPanel() {
  const diagnostics = useCompiled((s) => s.result.diagnostics);
  return (
    <section className="diagnostics" aria-label="Problems">
      <h2>
        Problems <span className="muted">{diagnostics.length || 'none'}</span>
      </h2>
      <ul>
        {diagnostics.map((d, i) => (
          <li key={i} className={d.severity}>
            <button type="button" disabled={!(d.fixNodeId ?? d.nodeId)} onClick={() => reveal((d.fixNodeId ?? d.nodeId)!)} data-testid="diagnostic" data-node={d.fixNodeId ?? d.nodeId}>
              <span className="diag__sev">{d.severity === 'error' ? '✖' : '⚠'}</span> {d.message}
              <span className="diag__hint">{d.hint}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
