/** How one graph node looks on the canvas: kind, label, output shape, parameters, and its problems. */
import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import { getNodeKind } from '../../src-shared/catalog/registry';
import type { Diagnostic } from '../../src-shared/compiler/diagnostics';
import type { NodeAnalysis } from '../../src-shared/compiler/shape-pass';
import { formatShape } from '../../src-shared/graph/types';
import type { GraphNode } from '../../src-shared/graph/types';

/** Data a layer node renders. */
export type LayerNodeData = {
  node: GraphNode;
  analysis?: NodeAnalysis;
  diagnostics: Diagnostic[];
};

/** A React Flow node carrying {@link LayerNodeData}. */
export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

export function LayerNode({ data, selected }: NodeProps<LayerFlowNode>) {
  const def = getNodeKind(data.node.kind);
  const errors = data.diagnostics.filter((d) => d.severity === 'error');
  const warnings = data.diagnostics.filter((d) => d.severity === 'warning');
  const classes = ['layer-node', `cat-${def?.category ?? 'unknown'}`, selected ? 'selected' : '', errors.length ? 'has-error' : warnings.length ? 'has-warning' : ''];
  return (
    <div className={classes.join(' ')} data-kind={data.node.kind}>
      {def?.ports.inputs ? <Handle type="target" position={Position.Left} /> : null}
      <div className="layer-node__kind">{def?.title ?? data.node.kind}</div>
      <div className="layer-node__label">{data.node.label || data.node.id}</div>
      <div className="layer-node__shape" data-testid="node-shape">
        {data.analysis?.outputShape ? formatShape(data.analysis.outputShape) : '?'}
        {data.analysis && data.analysis.paramCount > 0 ? <span className="layer-node__params"> · {data.analysis.paramCount.toLocaleString('en-US')} params</span> : null}
      </div>
      {[...errors, ...warnings].slice(0, 2).map((d, i) => (
        <div key={i} className={`layer-node__diag ${d.severity}`} title={d.hint}>
          {d.message}
        </div>
      ))}
      {def?.ports.outputs ? <Handle type="source" position={Position.Right} /> : null}
    </div>
  );
}
