/**
 * Auto-layout with dagre (the layered layout React Flow's own examples use):
 * layers left to right, and, where one row of layers would have to be shrunk
 * to fit the canvas, the layers wrapped into rows (a long chain reads left to
 * right, then on the next row) so the graph shows whole at a readable zoom.
 */
import dagre from '@dagrejs/dagre';
import type { Edge } from '@xyflow/react';
import type { StudioNode } from '../state/graph-ops';

const DEFAULT_SIZE = { width: 170, height: 80 };
/** The zoom at which node text (11 px at least) is read at 11 px or more. */
export const READABLE_ZOOM = 1;
/** Space the fit leaves around the graph, per side, in screen pixels. */
export const FIT_PADDING_PX = 20;
const ROW_GAP = 36;
const MARGIN = 20;

type Positions = Record<string, { x: number; y: number }>;
const size = (n: StudioNode) => ({ width: n.measured?.width ?? DEFAULT_SIZE.width, height: n.measured?.height ?? DEFAULT_SIZE.height });

/** New positions for every node: layers left to right, connected chains on one row. */
export function layoutLeftToRight(nodes: readonly StudioNode[], edges: readonly Edge[]): Positions {
  const g = new dagre.graphlib.Graph();
  // React Flow draws each edge as one curve between its handles, not along dagre's route: a skip connection is a
  // straight line from its source to the merge. dagre's default balanced alignment centres the branch it skips on
  // that line (the U-Net's skips ran along the top of the code and decoder nodes); 'UL' aligns the longest path's
  // ends instead and lowers the branch by the node separation, so the skip passes clear of it, as in a U-Net drawing.
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 36, marginx: MARGIN, marginy: MARGIN, align: 'UL' });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, size(n));
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out: Positions = {};
  for (const n of nodes) {
    const p = g.node(n.id);
    // dagre gives centres; React Flow positions are top-left corners.
    out[n.id] = { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) };
  }
  return out;
}

/** The bounding box of nodes at these positions. */
export function bounds(nodes: readonly StudioNode[], positions: Positions): { width: number; height: number } {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of nodes) {
    const p = positions[n.id] ?? n.position;
    const s = size(n);
    [x0, y0, x1, y1] = [Math.min(x0, p.x), Math.min(y0, p.y), Math.max(x1, p.x + s.width), Math.max(y1, p.y + s.height)];
  }
  return nodes.length ? { width: x1 - x0, height: y1 - y0 } : { width: 0, height: 0 };
}

/** The zoom at which a graph of this size just fits a box, as React Flow's fitView with FIT_PADDING_PX computes it. */
export function fitZoom(graph: { width: number; height: number }, box: { width: number; height: number }): number {
  if (graph.width === 0 || graph.height === 0) return Infinity;
  return Math.min((box.width - 2 * FIT_PADDING_PX) / graph.width, (box.height - 2 * FIT_PADDING_PX) / graph.height);
}

/** dagre's layers: the distinct left edges of the layout, in order (every node of a layer shares its centre, so its column). */
function layersOf(nodes: readonly StudioNode[], flat: Positions): { ranks: number[]; rankOf: Map<string, number> } {
  const centres = [...new Set(nodes.map((n) => Math.round(flat[n.id].x + size(n).width / 2)))].sort((a, b) => a - b);
  const rankOf = new Map(nodes.map((n) => [n.id, centres.indexOf(Math.round(flat[n.id].x + size(n).width / 2))]));
  const ranks = centres.map((_, r) => Math.min(...nodes.filter((n) => rankOf.get(n.id) === r).map((n) => flat[n.id].x)));
  return { ranks, rankOf };
}

/** The left-to-right layout with its layers wrapped `perRow` to a row, each row as tall as its own nodes need. */
function wrapped(nodes: readonly StudioNode[], flat: Positions, perRow: number): Positions {
  const { ranks, rankOf } = layersOf(nodes, flat);
  const rowOf = (n: StudioNode) => Math.floor(rankOf.get(n.id)! / perRow);
  const rows = Math.ceil(ranks.length / perRow);
  const top = Array.from({ length: rows }, () => Infinity);
  const bottom = Array.from({ length: rows }, () => -Infinity);
  for (const n of nodes) {
    const r = rowOf(n);
    top[r] = Math.min(top[r], flat[n.id].y);
    bottom[r] = Math.max(bottom[r], flat[n.id].y + size(n).height);
  }
  const offset: number[] = [];
  for (let r = 0, y = MARGIN; r < rows; r++) {
    offset.push(y - top[r]);
    y += bottom[r] - top[r] + ROW_GAP;
  }
  const out: Positions = {};
  for (const n of nodes) {
    const r = rowOf(n);
    out[n.id] = { x: flat[n.id].x - ranks[r * perRow] + MARGIN, y: flat[n.id].y + offset[r] };
  }
  return out;
}

/**
 * A layout for a canvas of this size: one row of layers if it fits at a
 * readable zoom, else the fewest rows that do, else (a graph too big for the
 * window at any wrap) the wrap that shows it largest.
 */
export function layoutToFit(nodes: readonly StudioNode[], edges: readonly Edge[], box: { width: number; height: number }): Positions {
  const flat = layoutLeftToRight(nodes, edges);
  const layers = layersOf(nodes, flat).ranks.length;
  let best = { positions: flat, zoom: fitZoom(bounds(nodes, flat), box) };
  if (best.zoom >= READABLE_ZOOM) return flat;
  for (let perRow = layers - 1; perRow >= 1; perRow--) {
    const positions = wrapped(nodes, flat, perRow);
    const zoom = fitZoom(bounds(nodes, positions), box);
    if (zoom >= READABLE_ZOOM) return positions;
    if (zoom > best.zoom) best = { positions, zoom };
  }
  return best.positions;
}
