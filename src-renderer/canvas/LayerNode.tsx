/** A node on the canvas: kind, label, output shape and parameters, and its problems pinned to it. */
import { Handle, Position, useUpdateNodeInternals } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getNodeKind } from '../../src-shared/catalog/registry';
import { takesManyInputs } from '../../src-shared/catalog/node-kind';
import { formatShape } from '../../src-shared/graph/types';
import { useCompiled } from '../state/compile-store';
import { useDocument } from '../state/document-store';
import { mergeHandleId } from '../state/graph-ops';
import type { StudioNode } from '../state/graph-ops';
import { datasetTitle } from '../training/dataset-ref';

function LayerNodeView({ id, data, selected }: NodeProps<StudioNode>) {
  const def = getNodeKind(data.kind);
  const analysis = useCompiled((s) => s.result.analysis.nodes[id]);
  const diagnostics = useCompiled(useShallow((s) => s.result.diagnostics.filter((d) => d.nodeId === id)));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = errors.length ? errors : diagnostics;
  const many = takesManyInputs(def);
  // The Input node names the data in use, whatever its title says.
  const dataset = useDocument((s) => (def?.role === 'input' ? datasetTitle(s) : null));
  // A merge shows one handle per connected input, in order, and a free one below them for the next.
  const connected = useDocument((s) => (many ? s.edges.reduce((n, e) => n + (e.target === id ? 1 : 0), 0) : 0));
  // React Flow measures a node's handles when it mounts; without this it never learns of a handle added later, and an
  // edge into the new handle is not drawn (it warns "Couldn't create edge for target handle id").
  // Not on mount: React Flow measures new nodes itself, and a re-measure of one node while a fit of a just-opened
  // graph waits fits the view to that node alone (zoomed to the maximum on the U-Net's merges).
  const updateNodeInternals = useUpdateNodeInternals();
  const measuredWith = useRef(connected);
  useEffect(() => {
    if (measuredWith.current === connected) return;
    measuredWith.current = connected;
    updateNodeInternals(id);
  }, [connected, id, updateNodeInternals]);
  const classes = ['layer-node', `cat-${def?.category ?? 'unknown'}`, selected ? 'selected' : '', errors.length ? 'has-error' : diagnostics.length ? 'has-warning' : ''];
  return (
    <div className={classes.join(' ')} data-kind={data.kind} title={def?.description}>
      {many
        ? Array.from({ length: connected + 1 }, (_, k) => (
            <Handle key={k} id={mergeHandleId(k)} type="target" position={Position.Left} className={k === connected ? 'merge-handle--free' : undefined} style={{ top: `${((k + 1) * 100) / (connected + 2)}%` }} />
          ))
        : def?.ports.inputs ? <Handle type="target" position={Position.Left} /> : null}
      <div className="layer-node__kind">{def?.title ?? data.kind}</div>
      <div className="layer-node__label" title={data.label || id}>
        {data.label || id}
      </div>
      {dataset ? (
        <div className="layer-node__dataset" data-testid="node-dataset">
          {dataset}
        </div>
      ) : null}
      <div className="layer-node__shape" data-testid="node-shape">
        {analysis?.outputShape ? formatShape(analysis.outputShape) : '?'}
        {analysis && analysis.paramCount > 0 ? <span className="layer-node__params" data-testid="node-params"> · {analysis.paramCount.toLocaleString('en-US')} params</span> : null}
      </div>
      {shown.slice(0, 2).map((d, i) => (
        <div key={i} className={`layer-node__diag ${d.severity}`} data-testid="node-diagnostic" title={d.hint}>
          {d.message}
        </div>
      ))}
      {def?.ports.outputs ? <Handle type="source" position={Position.Right} /> : null}
    </div>
  );
}

/** Memoised: during a drag only the moved node re-renders. */
export const LayerNode = memo(LayerNodeView);
