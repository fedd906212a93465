/**
 * How fast the live compile is: the canvas recompiles on every edit, so a
 * large graph must compile well within one frame (budget: 5 ms for 300
 * nodes), both as a chain and as a DAG with merges and skip connections.
 */
import { performance } from 'node:perf_hooks';
import { compile } from '../../src-shared/compiler/compile';
import type { Graph } from '../../src-shared/graph/types';
import { denseDagWithSkips, longDenseChain } from '../../tests/helpers/graphs';

/** The graphs timed: dense chains of 200 and 300 nodes, and a 300-node DAG with add and concat merges. */
const CASES: { graph: string; build: () => Graph }[] = [
  { graph: 'dense chain', build: () => longDenseChain(200) },
  { graph: 'dense chain', build: () => longDenseChain(300) },
  { graph: 'DAG with merges and skips', build: () => denseDagWithSkips(300) },
];

/** Median and 95th percentile compile times of each graph. */
export function measureCompile(runs = 300): { graph: string; nodes: number; median: number; p95: number }[] {
  return CASES.map(({ graph: name, build }) => {
    const graph = build();
    for (let i = 0; i < 50; i++) compile(graph); // warm up the JIT
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = compile(graph);
      times.push(performance.now() - t0);
      if (!r.ok) throw new Error(`benchmark ${name} of ${graph.nodes.length} nodes does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    }
    times.sort((a, b) => a - b);
    return { graph: name, nodes: graph.nodes.length, median: times[Math.floor(runs / 2)], p95: times[Math.floor(runs * 0.95)] };
  });
}
