/**
 * The first view: a template's graph on the canvas, compiled live, with
 * shapes and parameter counts on the nodes and edges.
 */
import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import type { Edge } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { compile } from '../src-shared/compiler/compile';
import { formatShape } from '../src-shared/graph/types';
import { projectGraph } from '../src-shared/project/project-file';
import { LayerNode } from './canvas/LayerNode';
import type { LayerFlowNode } from './canvas/LayerNode';
import { TEMPLATES } from './templates';

const nodeTypes = { layer: LayerNode };

export function App() {
  const [templateId, setTemplateId] = useState(TEMPLATES[0]?.id ?? '');
  const template = TEMPLATES.find((t) => t.id === templateId) ?? TEMPLATES[0];
  const graph = useMemo(() => projectGraph(template.project), [template]);
  const result = useMemo(() => compile(graph), [graph]);

  const nodes: LayerFlowNode[] = graph.nodes.map((n) => ({
    id: n.id,
    type: 'layer',
    position: n.position,
    data: { node: n, analysis: result.analysis.nodes[n.id], diagnostics: result.diagnostics.filter((d) => d.nodeId === n.id) },
  }));
  const edges: Edge[] = graph.edges.map((e) => {
    const shape = result.analysis.edges[e.id];
    return { id: e.id, source: e.source, target: e.target, label: shape ? formatShape(shape) : undefined };
  });

  return (
    <div className="app">
      <header className="app__header">
        <strong>Autoencoder Studio</strong>
        <select aria-label="Template" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
          {TEMPLATES.map((t) => (
            <option key={t.id} value={t.id}>
              {t.project.name}
            </option>
          ))}
        </select>
        <span data-testid="total-params">{result.analysis.totalParams.toLocaleString('en-US')} parameters</span>
        {result.analysis.compressionRatio ? <span>compression {result.analysis.compressionRatio.toFixed(1)}×</span> : null}
        <span className={result.ok ? 'status ok' : 'status error'}>{result.ok ? 'compiles' : `${result.diagnostics.filter((d) => d.severity === 'error').length} error(s)`}</span>
      </header>
      <main className="app__canvas">
        {/* Keyed by template so a new graph mounts fresh and fits the view. */}
        <ReactFlow key={template.id} nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView colorMode="dark">
          <Background />
          <MiniMap pannable zoomable />
          <Controls />
        </ReactFlow>
      </main>
    </div>
  );
}
