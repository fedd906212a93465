/** Small builders for graphs in tests and benchmarks. */
import type { Graph, GraphNode, ParamValue } from '../../src-shared/graph/types';

/** One node of a chain: [id, kind, params]. */
export type ChainStep = [id: string, kind: string, params?: Record<string, ParamValue>];

/** A graph whose nodes are connected one after another in the given order. */
export function chainGraph(steps: ChainStep[]): Graph {
  const nodes: GraphNode[] = steps.map(([id, kind, params = {}], i) => ({ id, kind, params, position: { x: i * 200, y: 0 } }));
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i + 1}`, source: nodes[i].id, target: n.id }));
  return { nodes, edges };
}

/** The vanilla autoencoder (784-64-784) as steps, to modify in tests. */
export const VANILLA: ChainStep[] = [
  ['in', 'input'],
  ['code', 'bottleneck', { size: 64 }],
  ['dec', 'decoder', { units: 784, activation: 'linear' }],
  ['out', 'output'],
];

/**
 * A dense chain of `n` nodes: input, (n - 3) dense layers around a
 * bottleneck, output. Every size is valid, so it compiles.
 */
export function longDenseChain(n: number): Graph {
  const middle = n - 3;
  const steps: ChainStep[] = [['in', 'input']];
  for (let i = 0; i < middle; i++) {
    if (i === Math.floor(middle / 2)) steps.push([`code`, 'bottleneck', { size: 16 }]);
    else steps.push([`l${i}`, i < middle / 2 ? 'encoder' : 'decoder', { units: 32 }]);
  }
  steps.push(['last', 'decoder', { units: 784, activation: 'linear' }], ['out', 'output']);
  return chainGraph(steps);
}

/** A graph of `steps` joined by `edges` ([source, target] ids, in order: a merge takes its inputs in this order); edge ids are "source>target". */
export function dagGraph(steps: ChainStep[], edges: [source: string, target: string][]): Graph {
  const nodes: GraphNode[] = steps.map(([id, kind, params = {}], i) => ({ id, kind, params, position: { x: i * 200, y: 0 } }));
  return { nodes, edges: edges.map(([source, target]) => ({ id: `${source}>${target}`, source, target })) };
}
