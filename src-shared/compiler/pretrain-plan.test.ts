/** Which layers layer-wise pretraining pairs, stage by stage, and the reasons it gives when a graph has no pairs. */
import { describe, expect, it } from 'vitest';
import { SMALL_UNET, SMALL_UNET_EDGES, chainGraph, dagGraph, longDenseChain } from '../../tests/helpers/graphs';
import { templateSpec } from '../../tests/helpers/specs';
import type { Graph } from '../graph/types';
import { compile } from './compile';
import type { ModelSpec } from './model-spec';
import { pretrainPlan, pretrainPlanText } from './pretrain-plan';

function specOf(graph: Graph): ModelSpec {
  const r = compile(graph);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.spec;
}

const names = (spec: ModelSpec, ix: number[]) => ix.map((i) => spec.layers[i].name);

describe('pretrainPlan', () => {
  it('multilayer template: the outer pair first (on the input), then the inner pair on the first layer’s codes', () => {
    const { spec } = templateSpec('multilayer');
    const plan = pretrainPlan(spec);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.stages.map((s) => s.pair)).toEqual([['enc1', 'dec2'], ['code', 'dec1']]);
    expect(names(spec, plan.stages[0].encoder)).toEqual(['enc1_flatten', 'enc1']);
    expect(names(spec, plan.stages[0].decoder)).toEqual(['dec2', 'output_reshape']);
    expect(plan.stages[0]).toMatchObject({ inputFrom: -1, inputShape: [28, 28, 1] });
    expect(names(spec, plan.stages[1].encoder)).toEqual(['code']);
    expect(names(spec, plan.stages[1].decoder)).toEqual(['dec1']);
    expect(plan.stages[1]).toMatchObject({ inputFrom: 1, inputShape: [128] });
    expect(pretrainPlanText(plan)).toBe('enc1 ↔ dec2, then code ↔ dec1');
  });

  it('a deeper dense stack gets one stage per pair, each mirrored from the outside in', () => {
    const spec = specOf(longDenseChain(8));
    const plan = pretrainPlan(spec);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.stages.map((s) => s.pair)).toEqual([['l0', 'last'], ['l1', 'l4'], ['code', 'l3']]);
    expect(plan.stages.map((s) => s.inputShape)).toEqual([[28, 28, 1], [32], [32]]);
    // Every layer belongs to exactly one stage.
    const all = plan.stages.flatMap((s) => [...s.encoder, ...s.decoder]).sort((a, b) => a - b);
    expect(all).toEqual(spec.layers.map((_, i) => i));
  });

  it('a convolutional stack whose shapes pair up: pooling goes with its conv, each decoder stage gives back its encoder stage’s input', () => {
    const spec = specOf(chainGraph([['in', 'input'], ['e1', 'encoder', { layer: 'conv', filters: 8, pool: 2 }], ['code', 'bottleneck', { form: 'conv', size: 4, pool: 2 }], ['d1', 'decoder', { layer: 'deconv', filters: 8, kernel: 2, stride: 2 }], ['d2', 'decoder', { layer: 'deconv', filters: 1, kernel: 2, stride: 2, activation: 'sigmoid' }], ['out', 'output']]));
    const plan = pretrainPlan(spec);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.stages.map((s) => s.pair)).toEqual([['e1_1', 'd2'], ['code_1', 'd1']]);
    expect(names(spec, plan.stages[1].encoder)).toEqual(['code_1', 'code_2']);
    expect(plan.stages[1].inputShape).toEqual([14, 14, 8]);
    expect(spec.layers[plan.stages[1].decoder.at(-1)!].outputShape).toEqual([14, 14, 8]);
  });

  it('refuses unequal stacks, naming both stacks’ layers (the convolutional template has 2 against 3)', () => {
    const plan = pretrainPlan(templateSpec('convolutional').spec);
    expect(plan).toEqual({ ok: false, reason: expect.stringContaining('unequal') });
    expect(pretrainPlanText(plan)).toContain('enc1_1, code_1');
    expect(pretrainPlanText(plan)).toContain('dec1, dec2, dec3');
  });

  it('refuses a skip connection around the code and a merge, saying so', () => {
    const unet = pretrainPlan(specOf(dagGraph(SMALL_UNET, SMALL_UNET_EDGES)));
    expect(unet.ok).toBe(false);
    expect(pretrainPlanText(unet)).toMatch(/around the code/);
  });

  it('refuses a branch (as a variational bottleneck’s two heads are), naming the layer that breaks the stack', () => {
    const { spec } = templateSpec('multilayer');
    // dec1 reads enc1 instead of the code: the graph forks at enc1.
    const forked = { ...spec, layers: spec.layers.map((l) => (l.name === 'dec1' ? { ...l, inputs: ['enc1'] } : l)) };
    const plan = pretrainPlan(forked);
    expect(plan).toEqual({ ok: false, reason: expect.stringContaining('dec1 takes enc1') });
    expect(pretrainPlanText(plan)).toMatch(/branches/);
  });

  it('refuses mirrored layers whose shapes do not give back their encoder layer’s input', () => {
    const spec = specOf(chainGraph([['in', 'input'], ['e1', 'encoder', { units: 100 }], ['code', 'bottleneck', { size: 16 }], ['d1', 'decoder', { units: 50 }], ['d2', 'decoder', { units: 784, activation: 'sigmoid' }], ['out', 'output']]));
    const plan = pretrainPlan(spec);
    expect(plan).toEqual({ ok: false, reason: expect.stringContaining('the shapes do not pair up') });
    expect(pretrainPlanText(plan)).toMatch(/code takes 100 but its mirror d1/);
  });
});
