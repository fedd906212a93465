/**
 * Property-based tests of the compiler: over thousands of random graphs
 * (chains, and DAGs with merges and skip connections) it never throws,
 * always answers with a spec or with errors, and every spec it returns
 * reconstructs the input's shape, joins shapes up along every connection and
 * passes its own schema.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParamSchema } from '../catalog/params';
import { NODE_KINDS } from '../catalog/registry';
import type { Graph, GraphNode, ParamValue } from '../graph/types';
import { compile } from './compile';
import type { CompileResult } from './compile';
import { inferLayer } from '../layers/layer-ops';
import { MODEL_INPUT, ModelSpecSchema } from './model-spec';

const KINDS = [...NODE_KINDS.keys()];

/** Mostly sensible values (defaults, small in-range numbers), sometimes out of range or of the wrong type. */
function paramValue(schema: ParamSchema): fc.Arbitrary<ParamValue> {
  const wild = fc.oneof(fc.constant(0), fc.constant(-1), fc.constant(1e9), fc.constant(Number.NaN), fc.constant('x'), fc.constant(true));
  const sane = (() => {
    switch (schema.type) {
      case 'int':
        return fc.integer({ min: schema.min, max: Math.min(schema.max, schema.min + 40) });
      case 'float':
        return fc.double({ min: schema.min, max: schema.max, noNaN: true });
      case 'enum':
        return fc.constantFrom(...schema.options);
      case 'bool':
        return fc.boolean();
    }
  })();
  return fc.oneof({ arbitrary: fc.constant(schema.default), weight: 4 }, { arbitrary: sane, weight: 4 }, { arbitrary: wild, weight: 1 });
}

function nodeOf(kind: string, id: string): fc.Arbitrary<GraphNode> {
  const def = NODE_KINDS.get(kind);
  const params = def
    ? fc.record(Object.fromEntries(Object.entries(def.params).map(([k, s]) => [k, paramValue(s)])), { requiredKeys: [] })
    : fc.constant({});
  return params.map((p) => ({ id, kind, params: p as Record<string, ParamValue>, position: { x: 0, y: 0 } }));
}

/** Any graph: random kinds (including unknown ones), random edges (including to missing nodes, loops, duplicates). */
const anyGraph: fc.Arbitrary<Graph> = fc
  .array(fc.oneof({ arbitrary: fc.constantFrom(...KINDS), weight: 9 }, { arbitrary: fc.constant('mystery'), weight: 1 }), { minLength: 0, maxLength: 12 })
  .chain((kinds) => {
    const ids = kinds.map((_, i) => `n${i}`);
    const endpoint = fc.oneof({ arbitrary: fc.constantFrom(...ids, 'ghost'), weight: ids.length ? 9 : 0 }, { arbitrary: fc.constant('ghost'), weight: 1 });
    return fc.record({
      nodes: fc.tuple(...kinds.map((k, i) => nodeOf(k, ids[i]))),
      edges: fc.array(fc.record({ source: endpoint, target: endpoint }), { maxLength: 16 }).map((es) => es.map((e, i) => ({ id: `e${i}`, ...e }))),
    });
  });

/**
 * Plausible chains: input → random layers → (usually) a dense decoder back to
 * 784 values → output, connected in order, so the shape pass runs deep and
 * often succeeds.
 */
const lastDecoder: fc.Arbitrary<GraphNode | null> = fc.oneof(
  { arbitrary: fc.constant({ id: 'last', kind: 'decoder', params: { layer: 'dense', units: 784, activation: 'linear' }, position: { x: 0, y: 0 } }), weight: 3 },
  { arbitrary: fc.constant(null), weight: 1 },
);
const chainGraphs: fc.Arbitrary<Graph> = fc
  .record({
    input: fc.oneof({ arbitrary: fc.constant<GraphNode>({ id: 'in', kind: 'input', params: {}, position: { x: 0, y: 0 } }), weight: 3 }, { arbitrary: nodeOf('input', 'in'), weight: 1 }),
    middle: fc.oneof(
      // Usually shaped like an autoencoder: encoders, one bottleneck, decoders (noise and regularizers anywhere).
      fc.tuple(fc.array(fc.constantFrom('noise', 'encoder', 'regularizer'), { maxLength: 4 }), fc.array(fc.constantFrom('decoder', 'regularizer', 'noise'), { maxLength: 4 }))
        .map(([pre, post]) => [...pre, 'bottleneck', ...post]),
      fc.array(fc.constantFrom('encoder', 'bottleneck', 'decoder', 'noise', 'regularizer'), { minLength: 1, maxLength: 8 }),
    )
      .chain((kinds) => fc.tuple(...kinds.map((k, i) => nodeOf(k, `n${i}`)))),
    last: lastDecoder,
    output: nodeOf('output', 'out'),
  })
  .map(({ input, middle, last, output }) => {
    const nodes = [input, ...middle, ...(last ? [last] : []), output];
    return { nodes, edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id })) };
  });

/** Parameters that often fit together (few sizes), so random DAGs compile often enough to test the specs. */
const dagParams: Record<string, fc.Arbitrary<Record<string, ParamValue>>> = {
  encoder: fc.oneof(
    { arbitrary: fc.record({ layer: fc.constant('dense'), units: fc.constantFrom(16, 32) }), weight: 2 },
    { arbitrary: fc.record({ layer: fc.constant('conv'), filters: fc.constantFrom(2, 4), pool: fc.constantFrom(1, 2) }), weight: 1 },
  ),
  bottleneck: fc.oneof(
    fc.record({ form: fc.constant('dense'), size: fc.constantFrom(16, 32) }),
    fc.record({ form: fc.constant('conv'), size: fc.constantFrom(2, 4), pool: fc.constantFrom(1, 2) }),
  ),
  decoder: fc.oneof(
    fc.record({ layer: fc.constant('dense'), units: fc.constantFrom(16, 32, 784) }),
    fc.record({ layer: fc.constantFrom('deconv', 'upconv'), filters: fc.constantFrom(1, 2, 4), kernel: fc.constantFrom(2, 3), stride: fc.constantFrom(1, 2), upsample: fc.constantFrom(1, 2) }),
  ),
  merge: fc.record({ mode: fc.constantFrom('add', 'concat', 'multiply') }),
  noise: fc.constant({}),
  regularizer: fc.constant({}),
};

/**
 * Random DAGs: input → encoders → one bottleneck → decoders → (usually) a
 * dense decoder back to 784 values → output along a spine, merges anywhere on
 * it, each merge also fed from a random earlier node (a skip, some across the
 * bottleneck), and now and then a stray forward edge into any node. Always
 * forward, so acyclic (the any-graph property covers cycles).
 */
const spineKinds = fc.tuple(
  fc.array(fc.constantFrom('encoder', 'encoder', 'merge', 'noise', 'regularizer'), { maxLength: 4 }),
  fc.array(fc.constantFrom('decoder', 'decoder', 'merge', 'regularizer'), { maxLength: 4 }),
).map(([pre, post]) => [...pre, 'bottleneck', ...post]);
const dagGraphs: fc.Arbitrary<Graph> = spineKinds
  .chain((kinds) => fc.record({
    middle: fc.tuple(...kinds.map((k, i) => dagParams[k].map((params): GraphNode => ({ id: `n${i}`, kind: k, params, position: { x: 0, y: 0 } })))),
    last: lastDecoder,
    sources: fc.array(fc.nat(), { minLength: kinds.length, maxLength: kinds.length }),
    stray: fc.oneof({ arbitrary: fc.constant([]), weight: 6 }, { arbitrary: fc.tuple(fc.tuple(fc.nat(), fc.nat())), weight: 1 }),
  }))
  .map(({ middle, last, sources, stray }) => {
    const nodes: GraphNode[] = [{ id: 'in', kind: 'input', params: {}, position: { x: 0, y: 0 } }, ...middle, ...(last ? [last] : []), { id: 'out', kind: 'output', params: {}, position: { x: 0, y: 0 } }];
    const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
    nodes.forEach((n, i) => {
      if (n.kind === 'merge') edges.push({ id: `s${i}`, source: nodes[sources[i - 1] % i].id, target: n.id });
    });
    for (const [a, b] of stray) {
      const target = 1 + (b % (nodes.length - 1));
      edges.push({ id: `x${edges.length}`, source: nodes[a % target].id, target: nodes[target].id });
    }
    return { nodes, edges };
  });

function checkInvariants(graph: Graph, result: CompileResult): void {
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const edgeIds = new Set(graph.edges.map((e) => e.id));
  for (const d of result.diagnostics) {
    if (d.nodeId !== undefined) expect(nodeIds.has(d.nodeId)).toBe(true);
    if (d.edgeId !== undefined) expect(edgeIds.has(d.edgeId)).toBe(true);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.hint.length).toBeGreaterThan(0);
  }
  if (result.ok) {
    expect(result.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    const spec = ModelSpecSchema.parse(JSON.parse(JSON.stringify(result.spec)));
    expect(spec.layers.at(-1)?.outputShape ?? spec.inputShape).toEqual(spec.inputShape);
    // Shapes join up along every connection, and every layer comes after the layers it takes.
    const made = new Map<string, number[]>([[MODEL_INPUT, spec.inputShape]]);
    spec.layers.forEach((l) => {
      const ins = l.inputs.map((n) => made.get(n));
      expect(ins.every((s) => s !== undefined), `${l.name} takes a tensor not made before it`).toBe(true);
      expect(l.inputShape).toEqual(ins[0]);
      const again = inferLayer(l, ins[0]!, ins as number[][]);
      expect(again.ok && again.outputShape).toEqual(l.outputShape);
      made.set(l.name, l.outputShape);
    });
    expect(spec.layers[spec.codeLayerIndex].outputShape).toEqual(spec.codeShape);
  } else {
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  }
}

describe('compile: properties over random graphs', () => {
  it('never throws on any graph, and answers with a valid spec or with at least one error', () => {
    fc.assert(fc.property(anyGraph, (g) => checkInvariants(g, compile(g))), { numRuns: 3000 });
  });

  it('on random chains: every spec reconstructs the input shape, and layer shapes join up', () => {
    let specs = 0;
    fc.assert(
      fc.property(chainGraphs, (g) => {
        const r = compile(g);
        checkInvariants(g, r);
        if (r.ok) specs++;
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the interesting case: otherwise this property proves nothing.
    expect(specs).toBeGreaterThan(100);
  });

  it('on random DAGs with merges and skips: a spec or diagnostics, never a throw; every spec reconstructs the input shape', () => {
    let specs = 0;
    let merged = 0;
    let bypassing = 0;
    fc.assert(
      fc.property(dagGraphs, (g) => {
        const r = compile(g);
        checkInvariants(g, r);
        if (!r.ok) return;
        specs++;
        if (r.spec.layers.some((l) => l.inputs.length > 1)) merged++;
        if (r.spec.decoderAbsent) {
          bypassing++;
          expect(r.diagnostics.some((d) => d.code === 'bypasses-code' && d.edgeId !== undefined)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    // The generator must reach merges and skips around the code, or this property proves little about graphs.
    expect([specs > 100, merged > 20, bypassing > 5]).toEqual([true, true, true]);
  });

  it('is deterministic: the same graph gives the same result', () => {
    fc.assert(fc.property(chainGraphs, (g) => {
      expect(compile(structuredClone(g))).toEqual(compile(g));
    }), { numRuns: 300 });
  });
});
