/**
 * How fast the live compile is: the canvas recompiles on every edit, so a
 * large graph must compile well within one frame (budget: 5 ms for 200 nodes).
 */
import { performance } from 'node:perf_hooks';
import { compile } from '../../src-shared/compiler/compile';
import { longDenseChain } from '../../tests/helpers/graphs';

/** Median and 95th percentile compile times of a dense chain of each size. */
export function measureCompile(sizes: number[], runs = 300): { nodes: number; median: number; p95: number }[] {
  return sizes.map((nodes) => {
    const graph = longDenseChain(nodes);
    for (let i = 0; i < 50; i++) compile(graph); // warm up the JIT
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = compile(graph);
      times.push(performance.now() - t0);
      if (!r.ok) throw new Error(`benchmark graph of ${nodes} nodes does not compile`);
    }
    times.sort((a, b) => a - b);
    return { nodes, median: times[Math.floor(runs / 2)], p95: times[Math.floor(runs * 0.95)] };
  });
}
