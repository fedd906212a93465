/**
 * The structural pass: ids, kinds, parameters, edges, ports, degrees, cycles
 * and the chain from the input to the output. Linear in nodes + edges.
 */
import type { AnyNodeKind } from '../catalog/registry';
import { getNodeKind } from '../catalog/registry';
import { checkParamValue, defaultParams, isParamVisible } from '../catalog/params';
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
  /** The chain from the input as far as it goes (input first); empty without exactly one input. */
  chain: string[];
  /** The edge that enters chain[i] (undefined for the input). */
  chainEdges: (GraphEdge | undefined)[];
  /** True when the chain ends at the output node. */
  reachesOutput: boolean;
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
    const params = { ...defaultParams(def.params), ...node.params };
    let paramsOk = true;
    for (const [name, schema] of Object.entries(def.params)) {
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
      sink.error('bad-port', `${describeNode(src.node)} has no output, but connection "${edge.id}" leaves it`, 'The output node ends the chain; delete the connection.', { edgeId: edge.id, nodeId: edge.source });
      continue;
    }
    if (dst.def.ports.inputs === 0) {
      sink.error('bad-port', `${describeNode(dst.node)} has no input, but connection "${edge.id}" enters it`, 'The input node starts the chain; delete the connection.', { edgeId: edge.id, nodeId: edge.target });
      continue;
    }
    push(outEdges, edge.source, edge);
    push(inEdges, edge.target, edge);
  }
  for (const [id, list] of inEdges) {
    if (list.length > 1) sink.error('fan-in', `${describeNode(nodes.get(id)!.node)} has ${list.length} incoming connections`, 'Each node takes one input; delete all but one of them.', { nodeId: id, edgeId: list[1].id });
  }
  for (const [id, list] of outEdges) {
    if (list.length > 1) sink.error('fan-out', `${describeNode(nodes.get(id)!.node)} has ${list.length} outgoing connections`, 'An autoencoder here is a single chain; delete all but one of them.', { nodeId: id, edgeId: list[1].id });
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

/** Runs every structural check and follows the chain from the one input. */
export function analyseStructure(graph: Graph, sink: DiagnosticSink): Structure {
  const nodes = checkNodes(graph, sink);
  const { outEdges } = checkEdges(graph, nodes, sink);
  checkCycles(nodes, outEdges, sink);

  const byRole = (role: string) => [...nodes.values()].filter((n) => n.def.role === role);
  const inputs = byRole('input');
  const outputs = byRole('output');
  if (inputs.length === 0) sink.error('no-input', 'The graph has no Input node', 'Drag an Input node from the palette and connect it to the first layer.');
  if (inputs.length > 1) for (const n of inputs) sink.error('several-inputs', `${describeNode(n.node)} is one of ${inputs.length} Input nodes`, 'Keep one Input node and delete the others.', { nodeId: n.node.id });
  if (outputs.length === 0) sink.error('no-output', 'The graph has no Output node', 'Drag an Output node from the palette and connect the last decoder to it.');
  if (outputs.length > 1) for (const n of outputs) sink.error('several-outputs', `${describeNode(n.node)} is one of ${outputs.length} Output nodes`, 'Keep one Output node and delete the others.', { nodeId: n.node.id });

  const chain: string[] = [];
  const chainEdges: (GraphEdge | undefined)[] = [];
  let reachesOutput = false;
  if (inputs.length === 1) {
    const visited = new Set<string>();
    let id: string | undefined = inputs[0].node.id;
    let via: GraphEdge | undefined;
    while (id !== undefined && !visited.has(id)) {
      visited.add(id);
      chain.push(id);
      chainEdges.push(via);
      via = outEdges.get(id)?.[0];
      id = via?.target;
    }
    const last = nodes.get(chain[chain.length - 1])!;
    reachesOutput = last.def.role === 'output';
    if (!reachesOutput && outputs.length === 1 && id === undefined) {
      sink.error('path-broken', `The chain from the input stops at ${describeNode(last.node)}`, `Connect the output of ${describeNode(last.node)} to the next layer, or to the Output node.`, { nodeId: last.node.id });
    }
    const onChain = new Set(chain);
    for (const n of nodes.values()) {
      if (!onChain.has(n.node.id)) sink.warn('off-path', `${describeNode(n.node)} is not on the path from the input to the output and is ignored`, 'Connect it into the chain, or delete it.', { nodeId: n.node.id });
    }
  }
  return { nodes, chain, chainEdges, reachesOutput };
}
