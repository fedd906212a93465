/**
 * How fast the live compile is: the canvas recompiles on every edit, so a
 * large graph must compile well within one frame (budget: 5 ms for 200 nodes).
 * Prints the median and 95th percentile over repeated runs; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { compile } from '../../src-shared/compiler/compile';
import { longDenseChain } from '../../tests/helpers/graphs';

const BUDGET_MS = 5;

function measure(nodes: number, runs: number) {
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
}

console.log('compile(graph)          median     p95   budget  median/budget');
for (const n of [20, 200, 300, 1000]) {
  const { nodes, median, p95 } = measure(n, 300);
  console.log(`${String(nodes).padStart(5)} nodes        ${median.toFixed(3).padStart(7)} ms ${p95.toFixed(3).padStart(7)} ms  ${BUDGET_MS} ms   ${(median / BUDGET_MS).toFixed(3)}×`);
}
