/** The benchmark's DAG builder makes what the compile bench says it times. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src-shared/compiler/compile';
import { denseDagWithSkips } from './graphs';

describe('denseDagWithSkips', () => {
  it.each([12, 19, 300])('has exactly %i nodes and compiles to a spec with add and concat merges on both sides of the code', (n) => {
    const graph = denseDagWithSkips(n);
    expect(graph.nodes).toHaveLength(n);
    const r = compile(graph);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const types = r.spec.layers.map((l) => l.type);
    expect(types).toContain('add');
    if (n >= 18) expect(types).toContain('concatenate');
    expect(r.spec.layers.at(-1)!.outputShape).toEqual(r.spec.inputShape);
    expect(r.spec.decoderAbsent).toBeUndefined();
  });
});
