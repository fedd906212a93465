/**
 * The structural pass: ids, kinds, parameters, edges, ports, degrees, cycles
 * and the order of the nodes between the input and the output. Linear in
 * nodes + edges.
 */
import type { AnyNodeKind } from '../catalog/registry';
import { getNodeKind } from '../catalog/registry';
import { takesManyInputs } from '../catalog/node-kind';
import { checkParamValue, defaultParams, isParamVisible } from '../catalog/params';
import type { ParamSchema } from '../catalog/params';
import type { Graph, GraphEdge, GraphNode, ParamValue } from '../graph/types';
import { describeNode } from './diagnostics';
import type { DiagnosticSink } from './diagnostics';

/** A node whose kind is known, with its parameters resolved against the catalog defaults. */
export interface CheckedNode {
  node: GraphNode;
  def: AnyNodeKind;
  params: Record<string, ParamValue>;
  /** False when a parameter is out of range or of the wrong type: shapes after it are unknown. */
  paramsOk: boolean;
}

/** What the structural pass learnt about the graph. */
export interface Structure {
  /** Known-kind nodes by id. */
  nodes: Map<string, CheckedNode>;
  /**
   * The nodes to compile, in a topological order (the input first): those on
   * an input→output path, or, while no path reaches the output, every node
   * the input reaches (so the canvas still shows their shapes). Empty without
   * exactly one input.
   */
  order: string[];
  /** For every kept node (those of `order`, and any a cycle keeps out of it): its connections from kept nodes, in the graph's edge order (a merge's input order). */
  inputs: Map<string, GraphEdge[]>;
  /** How many connections leave each node of `order` towards nodes of `order`. */
  consumers: Map<string, number>;
  /** True when a path leads from the input to the output. */
  reachesOutput: boolean;
}

/** A kind's parameter defaults and schema entries, worked out once per kind rather than once per node per compile. */
const kindParams = new WeakMap<AnyNodeKind, { defaults: Record<string, ParamValue>; schemas: [string, ParamSchema][] }>();
function paramsOf(def: AnyNodeKind) {
  let known = kindParams.get(def);
  if (!known) kindParams.set(def, (known = { defaults: defaultParams(def.params), schemas: Object.entries(def.params) }));
  return known;
}

function checkNodes(graph: Graph, sink: DiagnosticSink): Map<string, CheckedNode> {
  const nodes = new Map<string, CheckedNode>();
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    if (seen.has(node.id)) {
      sink.error('duplicate-id', `Two nodes share the id "${node.id}"`, 'Give every node its own id (delete and re-add one of them).', { nodeId: node.id });
      continue;
    }
    seen.add(node.id);
    const def = getNodeKind(node.kind);
    if (!def) {
      sink.error('unknown-kind', `Node "${node.id}" has the unknown kind "${node.kind}"`, 'Replace it with a node from the palette; this version may be older than the file.', { nodeId: node.id });
      continue;
    }
    const { defaults, schemas } = paramsOf(def);
    const params = { ...defaults, ...node.params };
    let paramsOk = true;
    for (const [name, schema] of schemas) {
      if (!isParamVisible(schema, params)) continue;
      const problem = checkParamValue(schema, params[name]);
      if (problem) {
        paramsOk = false;
        sink.error('param-invalid', `${describeNode(node)}: ${schema.label} ${problem}`, `Enter a valid ${schema.label.toLowerCase()} in the inspector.`, { nodeId: node.id, param: name });
      }
    }
    nodes.set(node.id, { node, def, params, paramsOk });
  }
  return nodes;
}

function checkEdges(graph: Graph, nodes: Map<string, CheckedNode>, sink: DiagnosticSink) {
  const outEdges = new Map<string, GraphEdge[]>();
  const inEdges = new Map<string, GraphEdge[]>();
  const push = (m: Map<string, GraphEdge[]>, k: string, e: GraphEdge) => (m.get(k) ?? m.set(k, []).get(k)!).push(e);
  const allIds = new Set(graph.nodes.map((n) => n.id));
  for (const edge of graph.edges) {
    const missing = [edge.source, edge.target].filter((id) => !allIds.has(id));
    if (missing.length) {
      sink.error('dangling-edge', `Connection "${edge.id}" points to a missing node ${missing.map((m) => `"${m}"`).join(' and ')}`, 'Delete the connection.', { edgeId: edge.id });
      continue;
    }
    const src = nodes.get(edge.source);
    const dst = nodes.get(edge.target);
    if (!src || !dst) continue; // unknown kind, already reported
    if (edge.source === edge.target) {
      sink.error('cycle', `${describeNode(src.node)} is connected to itself`, 'Delete the connection; data must flow from the input to the output.', { edgeId: edge.id, nodeId: edge.source });
      continue;
    }
    if (src.def.ports.outputs === 0) {
      sink.error('bad-port', `${describeNode(src.node)} has no output, but connection "${edge.id}" leaves it`, 'The output node ends the graph; delete the connection.', { edgeId: edge.id, nodeId: edge.source });
      continue;
    }
    if (dst.def.ports.inputs === 0) {
      sink.error('bad-port', `${describeNode(dst.node)} has no input, but connection "${edge.id}" enters it`, 'The input node starts the graph; delete the connection.', { edgeId: edge.id, nodeId: edge.target });
      continue;
    }
    push(outEdges, edge.source, edge);
    push(inEdges, edge.target, edge);
  }
  for (const [id, list] of inEdges) {
    const { node, def } = nodes.get(id)!;
    if (list.length > 1 && def.ports.inputs === 1) {
      sink.error('fan-in', `${describeNode(node)} takes one input but has ${list.length} incoming connections`, 'Join the branches in a Merge node and connect the merge to it, or delete all but one connection.', { nodeId: id, edgeId: list[1].id });
    }
  }
  return { outEdges, inEdges };
}

/** Reports every cycle (iterative DFS, so a 10,000-node chain cannot overflow the stack). */
function checkCycles(nodes: Map<string, CheckedNode>, outEdges: Map<string, GraphEdge[]>, sink: DiagnosticSink): void {
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  for (const start of nodes.keys()) {
    if (state.has(start)) continue;
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const edges = outEdges.get(top.id) ?? [];
      if (top.next >= edges.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const edge = edges[top.next++];
      const s = state.get(edge.target);
      if (s === 1) {
        const from = stack.findIndex((f) => f.id === edge.target);
        const names = [...stack.slice(from).map((f) => f.id), edge.target].join(' → ');
        sink.error('cycle', `These nodes form a loop: ${names}`, 'Delete one of the connections in the loop; data must flow from the input to the output.', { nodeId: edge.target, edgeId: edge.id });
      } else if (s === undefined) {
        state.set(edge.target, 1);
        stack.push({ id: edge.target, next: 0 });
      }
    }
  }
}

/** Every node reachable from `start` along `edges` (by node id), stepping to each edge's `end` (no array per step: this runs on every edit). */
function reach(start: string, edges: Map<string, GraphEdge[]>, end: 'source' | 'target'): Set<string> {
  const seen = new Set([start]);
  const todo = [start];
  while (todo.length) {
    for (const e of edges.get(todo.pop()!) ?? []) {
      const n = e[end];
      if (seen.has(n)) continue;
      seen.add(n);
      todo.push(n);
    }
  }
  return seen;
}

/** Runs every structural check and orders the nodes between the one input and the one output. */
export function analyseStructure(graph: Graph, sink: DiagnosticSink): Structure {
  const nodes = checkNodes(graph, sink);
  const { outEdges, inEdges } = checkEdges(graph, nodes, sink);
  checkCycles(nodes, outEdges, sink);

  const byRole = (role: string) => [...nodes.values()].filter((n) => n.def.role === role);
  const inputs = byRole('input');
  const outputs = byRole('output');
  if (inputs.length === 0) sink.error('no-input', 'The graph has no Input node', 'Drag an Input node from the palette and connect it to the first layer.');
  if (inputs.length > 1) for (const n of inputs) sink.error('several-inputs', `${describeNode(n.node)} is one of ${inputs.length} Input nodes`, 'Keep one Input node and delete the others.', { nodeId: n.node.id });
  if (outputs.length === 0) sink.error('no-output', 'The graph has no Output node', 'Drag an Output node from the palette and connect the last decoder to it.');
  if (outputs.length > 1) for (const n of outputs) sink.error('several-outputs', `${describeNode(n.node)} is one of ${outputs.length} Output nodes`, 'Keep one Output node and delete the others.', { nodeId: n.node.id });

  const result: Structure = { nodes, order: [], inputs: new Map(), consumers: new Map(), reachesOutput: false };
  if (inputs.length !== 1) return result;
  const inputId = inputs[0].node.id;
  const forward = reach(inputId, outEdges, 'target');
  const outputId = outputs.length === 1 ? outputs[0].node.id : undefined;
  result.reachesOutput = outputId !== undefined && forward.has(outputId);
  let keep = forward;
  if (result.reachesOutput) {
    const backward = reach(outputId!, inEdges, 'source');
    keep = new Set([...forward].filter((id) => backward.has(id)));
  } else if (outputId !== undefined) {
    for (const id of forward) {
      if (id === outputId || (outEdges.get(id) ?? []).length > 0) continue;
      const last = nodes.get(id)!.node;
      sink.error('path-broken', `The path from the input stops at ${describeNode(last)}`, `Connect the output of ${describeNode(last)} to the next layer, or to the Output node.`, { nodeId: id });
    }
  }
  for (const n of nodes.values()) {
    if (!keep.has(n.node.id)) sink.warn('off-path', `${describeNode(n.node)} is not on any path from the input to the output and is ignored`, 'Connect it between the input and the output, or delete it.', { nodeId: n.node.id });
  }

  // Kahn's algorithm over the kept nodes; nodes on a cycle never become ready (checkCycles has reported them).
  const pending = new Map<string, number>();
  for (const id of keep) {
    const ins = (inEdges.get(id) ?? []).filter((e) => keep.has(e.source));
    result.inputs.set(id, ins);
    pending.set(id, ins.length);
    let consumers = 0;
    for (const e of outEdges.get(id) ?? []) if (keep.has(e.target)) consumers++;
    result.consumers.set(id, consumers);
  }
  const ready = [inputId];
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i];
    result.order.push(id);
    for (const e of outEdges.get(id) ?? []) {
      if (!keep.has(e.target)) continue;
      const left = pending.get(e.target)! - 1;
      pending.set(e.target, left);
      if (left === 0) ready.push(e.target);
    }
  }
  for (const id of result.order) {
    const { node, def } = nodes.get(id)!;
    const count = result.inputs.get(id)!.length;
    if (takesManyInputs(def) && count < 2) {
      sink.error('merge-inputs', `${describeNode(node)} has ${count} input${count === 1 ? '' : 's'} but merges two or more`, 'Connect a second branch into it, or delete it and connect its input straight on.', { nodeId: id });
    }
  }
  return result;
}
