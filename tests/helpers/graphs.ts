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

/** A chain that places every hand-placed layer kind (pooling, flatten, dropout, batch norm, upsample, reshape) on MNIST-shaped input. */
export const HAND_PLACED: ChainStep[] = [
  ['in', 'input'],
  ['c1', 'encoder', { layer: 'conv', filters: 4, stride: 2, pool: 1, activation: 'leakyRelu', alpha: 0.1 }],
  ['bn1', 'batchNorm'],
  ['p1', 'pooling', { mode: 'average', size: 2, padding: 'same' }],
  ['p2', 'pooling', { mode: 'max', size: 3, padding: 'valid' }],
  ['fl', 'flatten'],
  ['drop', 'dropout', { rate: 0.25 }],
  ['code', 'bottleneck', { size: 8, activation: 'gelu' }],
  ['d1', 'decoder', { units: 49, activation: 'swish' }],
  ['rs', 'reshape', { height: 7, width: 7, channels: 1 }],
  ['up1', 'upsample', { size: 2, interpolation: 'bilinear' }],
  ['up2', 'upsample', { size: 2 }],
  ['d2', 'decoder', { layer: 'upconv', filters: 1, upsample: 1, activation: 'linear' }],
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

/** A small U-Net: a conv skip from the encoder concatenated with the decoder past a 2×2 bottleneck (steps and edges, for tests that vary them). */
export const SMALL_UNET: ChainStep[] = [
  ['in', 'input'],
  ['e1', 'encoder', { layer: 'conv', filters: 4, pool: 1 }],
  ['code', 'bottleneck', { form: 'conv', size: 2, pool: 2 }],
  ['up', 'decoder', { layer: 'deconv', filters: 4, kernel: 2, stride: 2 }],
  ['cat', 'merge', { mode: 'concat' }],
  ['last', 'decoder', { layer: 'upconv', upsample: 1, filters: 1, activation: 'linear' }],
  ['out', 'output'],
];
/** The edges of SMALL_UNET: e1 feeds both the code and the merge. */
export const SMALL_UNET_EDGES: [string, string][] = [['in', 'e1'], ['e1', 'code'], ['code', 'up'], ['up', 'cat'], ['e1', 'cat'], ['cat', 'last'], ['last', 'out']];

/** A conv encoder whose first feature map skips past the code into a merge with the decoder's (a small U-Net): the merge's two inputs differ, so a swapped order shows; no decoder of its own. */
export const skipMergeGraph = (mode: string): Graph => dagGraph([
  ['in', 'input', { dataset: 'custom', height: 8, width: 8, channels: 1 }],
  ['n', 'noise', { gaussianStd: 0.2 }],
  ['e1', 'encoder', { layer: 'conv', filters: 3, pool: 1, activation: 'tanh' }],
  ['code', 'bottleneck', { form: 'conv', size: 2, pool: 2 }],
  ['up', 'decoder', { layer: 'deconv', filters: 3, kernel: 2, stride: 2, activation: 'elu' }],
  ['m', 'merge', { mode }],
  ['last', 'decoder', { layer: 'upconv', upsample: 1, filters: 1, activation: 'linear' }],
  ['out', 'output'],
], [['in', 'n'], ['n', 'e1'], ['e1', 'code'], ['code', 'up'], ['up', 'm'], ['e1', 'm'], ['m', 'last'], ['last', 'out']]);

/** Two dense branches (different activations, so different inputs to the merge) from a penalised code, merged after it: the decoder exists. */
export const branchMergeGraph = (mode: string): Graph => dagGraph([
  ['in', 'input', { dataset: 'custom', height: 6, width: 1, channels: 1, flat: true }],
  ['code', 'bottleneck', { size: 3, activation: 'tanh' }],
  ['reg', 'regularizer', { l1: 0.01 }],
  ['a', 'decoder', { units: 5, activation: 'sigmoid' }],
  ['b', 'decoder', { units: 5, activation: 'elu' }],
  ['m', 'merge', { mode }],
  ['last', 'decoder', { units: 6, activation: 'linear' }],
  ['out', 'output', { activation: 'linear' }],
], [['in', 'code'], ['code', 'reg'], ['reg', 'a'], ['reg', 'b'], ['a', 'm'], ['b', 'm'], ['m', 'last'], ['last', 'out']]);

/**
 * A dense DAG of exactly `n` nodes (n ≥ 6; merges from 12, both modes from 18)
 * with merges and skips on both sides of the code: after a first 32-unit layer, blocks of three nodes alternate
 * between a residual block (two layers, their output added to the block's
 * input: a skip over two layers) and a branch block (two 16-unit branches
 * from the block's input, concatenated back to 32); every size agrees, so it
 * compiles, and no path goes around the code.
 */
export function denseDagWithSkips(n: number): Graph {
  const steps: ChainStep[] = [['in', 'input'], ['e0', 'encoder', { units: 32 }]];
  const edges: [string, string][] = [['in', 'e0']];
  const blocks = n - 6; // nodes left for blocks after input, e0, code, d0, last, output
  const perSide = Math.floor(blocks / 3 / 2) * 3;
  let prev = 'e0';
  const addBlocks = (side: 'encoder' | 'decoder', count: number) => {
    for (let i = 0; i < count; i += 3) {
      const [a, b, m] = [`${side[0]}${i}a`, `${side[0]}${i}b`, `${side[0]}${i}m`];
      if ((i / 3) % 2 === 0) {
        steps.push([a, side, { units: 32 }], [b, side, { units: 32 }], [m, 'merge', { mode: 'add' }]);
        edges.push([prev, a], [a, b], [prev, m], [b, m]);
      } else {
        steps.push([a, side, { units: 16 }], [b, side, { units: 16 }], [m, 'merge', { mode: 'concat' }]);
        edges.push([prev, a], [prev, b], [a, m], [b, m]);
      }
      prev = m;
    }
  };
  addBlocks('encoder', perSide);
  // A plain layer or two where n - 6 is not a multiple of 6, so the count is exact.
  for (let i = 0; i < blocks - 2 * perSide; i++) {
    steps.push([`pad${i}`, 'encoder', { units: 32 }]);
    edges.push([prev, `pad${i}`]);
    prev = `pad${i}`;
  }
  steps.push(['code', 'bottleneck', { size: 16 }], ['d0', 'decoder', { units: 32 }]);
  edges.push([prev, 'code'], ['code', 'd0']);
  prev = 'd0';
  addBlocks('decoder', perSide);
  steps.push(['last', 'decoder', { units: 784, activation: 'linear' }], ['out', 'output']);
  edges.push([prev, 'last'], ['last', 'out']);
  return dagGraph(steps, edges);
}
