/** The compiler on graphs: branches, merges, skip connections, and the diagnostics only graphs can earn. */
import { describe, expect, it } from 'vitest';
import { SMALL_UNET, SMALL_UNET_EDGES, dagGraph } from '../../tests/helpers/graphs';
import type { ChainStep } from '../../tests/helpers/graphs';
import { compile } from './compile';
import type { CompileResult } from './compile';
import { MODEL_INPUT, ModelSpecSchema } from './model-spec';
import { codeParts } from './spec-graph';

const errors = (r: CompileResult) => r.diagnostics.filter((d) => d.severity === 'error');
const spec = (r: CompileResult) => {
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.spec;
};

/** Two decoder branches from the code, merged, then a last dense layer: the code still separates encoder from decoder. */
const twoBranches = (mode: string, units2 = 64): ChainStep[] => [
  ['in', 'input'],
  ['code', 'bottleneck', { size: 32 }],
  ['a', 'decoder', { units: 64 }],
  ['b', 'decoder', { units: units2 }],
  ['m', 'merge', { mode }],
  ['last', 'decoder', { units: 784, activation: 'linear' }],
  ['out', 'output'],
];
const branchEdges: [string, string][] = [['in', 'code'], ['code', 'a'], ['code', 'b'], ['a', 'm'], ['b', 'm'], ['m', 'last'], ['last', 'out']];

const unet = SMALL_UNET;
const unetEdges = SMALL_UNET_EDGES;

describe('compile: graphs', () => {
  it.each(['add', 'multiply'])('%s merges two branches of one shape; each layer names its inputs', (mode) => {
    const s = spec(compile(dagGraph(twoBranches(mode), branchEdges)));
    expect(ModelSpecSchema.parse(s)).toEqual(s);
    const byName = new Map(s.layers.map((l) => [l.name, l]));
    const merged = byName.get('m')!;
    expect(merged).toMatchObject({ type: mode, inputs: ['a', 'b'], outputShape: [64], paramCount: 0 });
    expect(byName.get('a')!.inputs).toEqual(['code']);
    expect(byName.get('in_flatten') ?? s.layers[0]).toMatchObject({ inputs: [MODEL_INPUT] });
    // Topological: every layer after the layers it takes.
    const at = new Map(s.layers.map((l, i) => [l.name, i]));
    s.layers.forEach((l, i) => l.inputs!.forEach((n) => n !== MODEL_INPUT && expect(at.get(n)!).toBeLessThan(i)));
    expect(s.decoderAbsent).toBeUndefined();
  });

  it('concat joins the feature axis and every edge into the merge carries its own shape', () => {
    const r = compile(dagGraph(twoBranches('concat', 16), branchEdges));
    expect(spec(r).layers.find((l) => l.name === 'm')).toMatchObject({ type: 'concatenate', outputShape: [80] });
    expect(r.analysis.edges['a>m']).toEqual([64]);
    expect(r.analysis.edges['b>m']).toEqual([16]);
  });

  it('add of 64 and 16 features is refused on the edge of the odd input, naming both shapes and the axis', () => {
    const r = compile(dagGraph(twoBranches('add', 16), branchEdges));
    expect(errors(r)).toEqual([expect.objectContaining({ code: 'merge-shapes', nodeId: 'm', edgeId: 'b>m', message: expect.stringMatching(/input 2 is 16 but input 1 is 64.*feature \(axis 1\)/) })]);
  });

  it('concat of images whose heights differ names the height axis', () => {
    const steps = unet.map((s): ChainStep => (s[0] === 'code' ? ['code', 'bottleneck', { form: 'conv', size: 2, pool: 4 }] : s));
    const r = compile(dagGraph(steps, unetEdges));
    expect(errors(r)).toEqual([expect.objectContaining({ code: 'merge-shapes', edgeId: 'e1>cat', message: expect.stringMatching(/input 2 is 28×28×4 but input 1 is 14×14×4.*height \(axis 1\)/) })]);
  });

  it('a merge with one input, and two inputs into a one-input node, are refused with what to do', () => {
    const one = compile(dagGraph(twoBranches('add'), branchEdges.filter(([s, t]) => !(s === 'b' && t === 'm'))));
    expect(errors(one)).toEqual([expect.objectContaining({ code: 'merge-inputs', nodeId: 'm', hint: expect.stringMatching(/second branch/) })]);
    const steps = twoBranches('add').filter((s) => s[0] !== 'm');
    const fanIn = compile(dagGraph(steps, [...branchEdges.filter(([s, t]) => t !== 'm' && s !== 'm'), ['a', 'last'], ['b', 'last']]));
    expect(errors(fanIn)).toEqual([expect.objectContaining({ code: 'fan-in', nodeId: 'last', edgeId: 'b>last', hint: expect.stringMatching(/Merge/) })]);
  });

  it('a cycle through a merge is reported on the connection that closes it', () => {
    const r = compile(dagGraph(twoBranches('add'), [...branchEdges, ['m', 'b']]));
    expect(errors(r).map((d) => d.code)).toContain('cycle');
    expect(errors(r).find((d) => d.code === 'cycle')).toMatchObject({ edgeId: expect.any(String), message: expect.stringMatching(/loop/) });
  });

  it('a branch that leads nowhere is off every input→output path: a warning, and no layer', () => {
    const r = compile(dagGraph([...twoBranches('add'), ['stray', 'decoder', { units: 8 }]], [...branchEdges, ['code', 'stray']]));
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'off-path', nodeId: 'stray' })]);
    expect(spec(r).layers.map((l) => l.nodeId)).not.toContain('stray');
  });

  it('a skip connection around the bottleneck: the spec has no decoder, and the bypassing edge is warned about', () => {
    const r = compile(dagGraph(unet, unetEdges));
    const s = spec(r);
    expect(s.layers.find((l) => l.name === 'cat')).toMatchObject({ inputs: ['up', 'e1'], outputShape: [28, 28, 8] });
    expect(s.decoderAbsent).toMatch(/go around the code/);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'bypasses-code', edgeId: 'e1>cat', message: expect.stringMatching(/copy its input/) })]);
    const parts = codeParts(s.layers, s.codeLayerIndex);
    expect(parts.encoder.map((i) => s.layers[i].name)).toEqual(['e1', 'code_1', 'code_2']);
    expect(parts.bypass).toEqual([{ layer: s.layers.findIndex((l) => l.name === 'cat'), input: 'e1' }]);
  });

  it('a skip straight from the input names the input as the bypass', () => {
    const steps = unet.filter((x) => x[0] !== 'e1');
    const r = compile(dagGraph(steps.map((x): ChainStep => (x[0] === 'up' ? ['up', 'decoder', { layer: 'deconv', filters: 1, kernel: 2, stride: 2 }] : x)),
      [['in', 'code'], ['code', 'up'], ['up', 'cat'], ['in', 'cat'], ['cat', 'last'], ['last', 'out']]));
    expect(spec(r).decoderAbsent).toBeDefined();
    expect(r.diagnostics.map((d) => `${d.code}:${d.edgeId}`)).toEqual(['bypasses-code:in>cat']);
  });

  it('a residual block inside the encoder keeps the decoder', () => {
    const r = compile(dagGraph([
      ['in', 'input'], ['e1', 'encoder', { units: 64 }], ['e2', 'encoder', { units: 64 }], ['res', 'merge', { mode: 'add' }],
      ['code', 'bottleneck', { size: 16 }], ['dec', 'decoder', { units: 784, activation: 'linear' }], ['out', 'output'],
    ], [['in', 'e1'], ['e1', 'e2'], ['e1', 'res'], ['e2', 'res'], ['res', 'code'], ['code', 'dec'], ['dec', 'out']]));
    const s = spec(r);
    expect(r.diagnostics).toEqual([]);
    expect(s.decoderAbsent).toBeUndefined();
    expect(s.layers.find((l) => l.name === 'res')!.inputs).toEqual(['e1', 'e2']);
    expect(codeParts(s.layers, s.codeLayerIndex).decoder.map((i) => s.layers[i].name)).toEqual(['dec', 'out_reshape']);
  });
});
