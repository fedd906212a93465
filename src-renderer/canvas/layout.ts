/** Left-to-right auto-layout of the graph with dagre (the layered layout React Flow's own examples use). */
import dagre from '@dagrejs/dagre';
import type { Edge } from '@xyflow/react';
import type { StudioNode } from '../state/graph-ops';

const DEFAULT_SIZE = { width: 190, height: 90 };

/** New positions for every node: layers left to right, connected chains on one row. */
export function layoutLeftToRight(nodes: readonly StudioNode[], edges: readonly Edge[]): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  // React Flow draws each edge as one curve between its handles, not along dagre's route: a skip connection is a
  // straight line from its source to the merge. dagre's default balanced alignment centres the branch it skips on
  // that line (the U-Net's skips ran along the top of the code and decoder nodes); 'UL' aligns the longest path's
  // ends instead and lowers the branch by the node separation, so the skip passes clear of it, as in a U-Net drawing.
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20, align: 'UL' });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.measured?.width ?? DEFAULT_SIZE.width, height: n.measured?.height ?? DEFAULT_SIZE.height });
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out: Record<string, { x: number; y: number }> = {};
  for (const n of nodes) {
    const p = g.node(n.id);
    // dagre gives centres; React Flow positions are top-left corners.
    out[n.id] = { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) };
  }
  return out;
}
