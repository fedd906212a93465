/** The node-graph canvas (React Flow): drop from the palette, connect, move, select, with live shapes on nodes and edges. */
import { Background, MiniMap, ReactFlow, useReactFlow, useStore } from '@xyflow/react';
import type { Connection, Edge } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useDocument } from '../state/document-store';
import { distanceToSegment, withMergeHandles } from '../state/graph-ops';
import { takesManyInputs } from '../../src-shared/catalog/node-kind';
import { getNodeKind } from '../../src-shared/catalog/registry';
import type { StudioNode } from '../state/graph-ops';
import { FIT_OPTIONS, arrangeOpenedDocument, fitSoon, isFollowing, setFollowing } from './arrange';
import { setFlowInstance } from './flow-handle';
import { LayerNode } from './LayerNode';
import { KIND_MIME } from './Palette';
import { ShapeEdge } from './ShapeEdge';

// Module level, as React Flow asks: new objects each render would remount every node.
const nodeTypes = { layer: LayerNode };
const edgeTypes = { shape: ShapeEdge };
const DEFAULT_EDGE_OPTIONS = { type: 'shape' };
const DROP_ON_EDGE_DISTANCE = 30;

export function Canvas() {
  const { nodes, edges, onNodesChange, onEdgesChange } = useDocument(useShallow((s) => ({ nodes: s.nodes, edges: s.edges, onNodesChange: s.onNodesChange, onEdgesChange: s.onEdgesChange })));
  const rf = useReactFlow<StudioNode>();
  // Each connection into a merge on its own handle, in input order (the store's edges carry no handles, as files do not).
  // Keyed on the merges' ids, not on the nodes: a drag changes the nodes every frame and must not rebuild the edges.
  const mergeIds = useDocument(useShallow((s) => s.nodes.filter((n) => takesManyInputs(getNodeKind(n.data.kind))).map((n) => n.id)));
  const shownEdges = useMemo(() => {
    const merges = new Set(mergeIds);
    return merges.size ? withMergeHandles(edges, (id) => merges.has(id)) : edges;
  }, [mergeIds, edges]);

  useEffect(() => {
    setFlowInstance(rf);
    return () => setFlowInstance(null);
  }, [rf]);

  // React Flow's fitView prop fits the first graph only; a template or file opened later would show wherever the
  // last view was (a wide graph mostly off screen). Once the opened document's nodes are measured, a new document
  // is arranged to be readable in this canvas (see arrange.ts), then fitted. Also on mount: the Design view may be
  // shown only after the document opened.
  const documentVersion = useDocument((s) => s.documentVersion);
  // The store's nodes, not React Flow's: the arrangement reads their measured sizes from the store.
  const initialized = useDocument((s) => s.nodes.every((n) => n.measured?.width !== undefined));
  const arrangedFor = useRef(-1);
  useEffect(() => {
    if (!initialized || arrangedFor.current === documentVersion) return;
    arrangedFor.current = documentVersion;
    arrangeOpenedDocument();
    fitSoon();
  }, [initialized, documentVersion]);

  // While the person has not panned or zoomed since the last fit, the view follows the canvas's size (a window or
  // splitter resize keeps the whole graph in view); once they have, their view is theirs.
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  useEffect(() => {
    if (isFollowing() && paneWidth > 0 && paneHeight > 0) void rf.fitView(FIT_OPTIONS);
  }, [rf, paneWidth, paneHeight]);

  // The overview would cover nodes in a small canvas; zoom and fit are on the canvas toolbar.
  const roomy = useStore((s) => s.width >= 900 && s.height >= 560);

  const onConnect = useCallback((c: Connection) => useDocument.getState().connect(c.source, c.target), []);

  const edgeNear = useCallback(
    (p: { x: number; y: number }): Edge | undefined => {
      let best: { edge: Edge; d: number } | undefined;
      for (const e of useDocument.getState().edges) {
        const s = rf.getInternalNode(e.source);
        const t = rf.getInternalNode(e.target);
        if (!s || !t) continue;
        const a = { x: s.internals.positionAbsolute.x + (s.measured.width ?? 0), y: s.internals.positionAbsolute.y + (s.measured.height ?? 0) / 2 };
        const b = { x: t.internals.positionAbsolute.x, y: t.internals.positionAbsolute.y + (t.measured.height ?? 0) / 2 };
        const d = distanceToSegment(p, a, b);
        if (d < DROP_ON_EDGE_DISTANCE && (!best || d < best.d)) best = { edge: e, d };
      }
      return best?.edge;
    },
    [rf],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(KIND_MIME);
      if (!kind) return;
      e.preventDefault();
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      useDocument.getState().addNode(kind, { x: p.x - 90, y: p.y - 40 }, edgeNear(p));
    },
    [rf, edgeNear],
  );

  return (
    <div className="canvas" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <ReactFlow<StudioNode>
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onMoveStart={(e) => {
          if (e) setFollowing(false); // an event: the person moved the view (not a fit)
        }}
        onNodeDragStart={() => useDocument.getState().beginDrag()}
        onNodeDragStop={() => useDocument.getState().endDrag()}
        onSelectionDragStart={() => useDocument.getState().beginDrag()}
        onSelectionDragStop={() => useDocument.getState().endDrag()}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        fitView
        fitViewOptions={FIT_OPTIONS}
        minZoom={0.1}
        colorMode="dark"
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        {roomy ? <MiniMap pannable zoomable nodeStrokeWidth={3} ariaLabel="Overview of the graph" /> : null}
      </ReactFlow>
    </div>
  );
}
