/**
 * The editable graph: what the canvas edits, what a project file stores and
 * what the compiler reads. Plain JSON so it crosses every boundary unchanged.
 */

/** A value of one node parameter; the catalog says which type each parameter has. */
export type ParamValue = number | string | boolean;

/** One node on the canvas. */
export interface GraphNode {
  /** Unique within the graph; diagnostics and edges refer to it. */
  id: string;
  /** A kind registered in the catalog, e.g. "encoder". */
  kind: string;
  /** Parameter values by name; missing ones take the catalog default. */
  params: Record<string, ParamValue>;
  /** Canvas position in flow coordinates. */
  position: { x: number; y: number };
  /** Optional user-facing name; the id is shown when absent. */
  label?: string;
}

/** A connection carrying one tensor from `source`'s output to `target`'s input. */
export interface GraphEdge {
  /** Unique within the graph. */
  id: string;
  /** Id of the node whose output feeds the edge. */
  source: string;
  /** Id of the node that consumes the edge. */
  target: string;
}

/** The whole editable graph. */
export interface Graph {
  /** Every node, in no particular order. */
  nodes: GraphNode[];
  /** Every edge, in no particular order. */
  edges: GraphEdge[];
}

/** A tensor shape without the batch dimension: [features] or [height, width, channels]. */
export type Shape = readonly number[];

/** Number of values in one sample of the given shape. */
export function shapeSize(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Human-readable shape, e.g. "28×28×1" or "784". */
export function formatShape(shape: Shape): string {
  return shape.join('×');
}

/** True when both shapes have the same rank and extents. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
