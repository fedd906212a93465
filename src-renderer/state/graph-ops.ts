/**
 * Pure operations on the editor's graph (React Flow nodes and edges): what
 * copy, paste, insert-into-edge and connect do, without React or the store,
 * so they are tested on their own.
 */
import type { Edge, Node } from '@xyflow/react';
import { defaultParams } from '../../src-shared/catalog/params';
import { getNodeKind } from '../../src-shared/catalog/registry';
import type { Graph, ParamValue } from '../../src-shared/graph/types';

/** What a canvas node carries. */
export type StudioNodeData = {
  kind: string;
  params: Record<string, ParamValue>;
  label?: string;
  /** The person typed the label in this session: it no longer follows the parameters (not saved to files). */
  labelTyped?: boolean;
};

/** A canvas node. */
export type StudioNode = Node<StudioNodeData, 'layer'>;

/** The nodes and edges of a clipboard. */
export interface Clip {
  nodes: StudioNode[];
  edges: Edge[];
}

/** A fresh id for a node of `kind` that no node in `taken` has. */
export function freshId(kind: string, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) {
    const id = `${kind}${i}`;
    if (!taken.has(id)) return id;
  }
}

/** A new node of `kind` at `position`, with the catalog's default parameters. */
export function createNode(kind: string, position: { x: number; y: number }, taken: ReadonlySet<string>): StudioNode {
  const def = getNodeKind(kind);
  if (!def) throw new Error(`Unknown node kind "${kind}"`);
  return { id: freshId(kind, taken), type: 'layer', position, data: { kind, params: defaultParams(def.params) } };
}

/** The editor graph as the compiler and project files see it. */
export function toGraph(nodes: readonly StudioNode[], edges: readonly Edge[]): Graph {
  return {
    nodes: nodes.map((n) => ({ id: n.id, kind: n.data.kind, params: n.data.params, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, ...(n.data.label ? { label: n.data.label } : {}) })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
  };
}

/** Canvas nodes and edges from a stored graph. */
export function fromGraph(graph: Graph): { nodes: StudioNode[]; edges: Edge[] } {
  return {
    nodes: graph.nodes.map((n) => ({ id: n.id, type: 'layer', position: { ...n.position }, data: { kind: n.kind, params: { ...n.params }, ...(n.label ? { label: n.label } : {}) } })),
    edges: graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, type: 'shape' })),
  };
}

/** The selected nodes and the edges between them (edges to unselected nodes are left behind). */
export function copySelection(nodes: readonly StudioNode[], edges: readonly Edge[]): Clip | null {
  const picked = nodes.filter((n) => n.selected);
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((n) => n.id));
  return { nodes: structuredClone(picked), edges: structuredClone(edges.filter((e) => ids.has(e.source) && ids.has(e.target))) };
}

/** The clip's nodes and inner edges with fresh ids, moved by `offset`, selected. */
export function pasteClip(clip: Clip, nodes: readonly StudioNode[], edges: readonly Edge[], offset: { x: number; y: number }): Clip {
  const taken = new Set(nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const pasted = clip.nodes.map((n) => {
    const id = freshId(n.data.kind, taken);
    taken.add(id);
    rename.set(n.id, id);
    return { ...structuredClone(n), id, selected: true, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const edgeIds = new Set(edges.map((e) => e.id));
  const pastedEdges = clip.edges.map((e) => {
    const id = freshId('e', edgeIds);
    edgeIds.add(id);
    return { ...structuredClone(e), id, source: rename.get(e.source)!, target: rename.get(e.target)!, selected: false };
  });
  return { nodes: pasted, edges: pastedEdges };
}

/** Space between a pasted group and the group it copies. */
const PASTE_GAP = 40;
const UNMEASURED_HEIGHT = 80;

/**
 * How far a paste lands from the nodes it copies: straight below the copied
 * group, a gap clear of its lowest node, so no pasted node covers an original
 * (a fixed 40 px step left the copy on top of the original, hiding it).
 */
export function pasteOffset(clip: Clip): { x: number; y: number } {
  if (clip.nodes.length === 0) return { x: 0, y: 0 };
  const top = Math.min(...clip.nodes.map((n) => n.position.y));
  const bottom = Math.max(...clip.nodes.map((n) => n.position.y + (n.measured?.height ?? UNMEASURED_HEIGHT)));
  return { x: 0, y: bottom - top + PASTE_GAP };
}

/**
 * Connects `source` → `target`. An output may feed any number of nodes. A
 * node that takes one input gets a new one in place of the old (as Blender's
 * node editor does); a merge (`many`) gets one more, after those it has (its
 * inputs' order is the edges' order), unless that very connection exists.
 */
export function connect(edges: readonly Edge[], source: string, target: string, many = false): Edge[] {
  if (source === target) return [...edges];
  if (many && edges.some((e) => e.source === source && e.target === target)) return [...edges];
  const ids = new Set(edges.map((e) => e.id));
  const kept = many ? edges : edges.filter((e) => e.target !== target);
  return [...kept, { id: freshId('e', ids), source, target, type: 'shape' }];
}

/** Splits `edge` to pass through `node`: source → node → target, where the edge was (so a merge keeps its inputs' order). */
export function insertIntoEdge(edges: readonly Edge[], edge: Edge, nodeId: string): Edge[] {
  const ids = new Set(edges.map((e) => e.id));
  const a = freshId('e', ids);
  ids.add(a);
  const b = freshId('e', ids);
  return edges.flatMap((e) => (e.id === edge.id ? [{ id: a, source: edge.source, target: nodeId, type: 'shape' }, { id: b, source: nodeId, target: edge.target, type: 'shape' }] : [e]));
}

/** The id of a merge node's target handle for its input `k` (0-based); the one after the last is the free handle. */
export const mergeHandleId = (k: number): string => `in${k}`;

/** Edges with each connection into a merge on its own handle, in the merge's input order; others unchanged (same objects). */
export function withMergeHandles(edges: readonly Edge[], isMerge: (nodeId: string) => boolean): Edge[] {
  const seen = new Map<string, number>();
  return edges.map((e) => {
    if (!isMerge(e.target)) return e;
    const k = seen.get(e.target) ?? 0;
    seen.set(e.target, k + 1);
    return e.targetHandle === mergeHandleId(k) ? e : { ...e, targetHandle: mergeHandleId(k) };
  });
}

/** Distance from point p to the segment a–b. */
export function distanceToSegment(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}
