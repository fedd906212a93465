import { describe, expect, it } from 'vitest';
import { TEMPLATE_FILES, loadTemplate } from '../../tests/helpers/templates';
import { HAND_PLACED, VANILLA, chainGraph, longDenseChain } from '../../tests/helpers/graphs';
import type { ChainStep } from '../../tests/helpers/graphs';
import { projectGraph } from '../project/project-file';
import { compile } from './compile';
import type { CompileResult } from './compile';
import { ModelSpecSchema } from './model-spec';

const errors = (r: CompileResult) => r.diagnostics.filter((d) => d.severity === 'error');
const replace = (steps: ChainStep[], id: string, step: ChainStep): ChainStep[] => steps.map((s) => (s[0] === id ? step : s));

describe('compile: the templates', () => {
  it.each(TEMPLATE_FILES)('%s compiles with no diagnostics (but the U-Net\'s skips around the code) into a spec that passes its own schema', (file) => {
    const result = compile(projectGraph(loadTemplate(file)));
    expect(result.diagnostics.filter((d) => !(file === 'unet-denoising.aestudio' && d.code === 'bypasses-code'))).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(ModelSpecSchema.parse(result.spec)).toEqual(result.spec);
    expect(result.spec.layers.at(-1)!.outputShape).toEqual(result.spec.inputShape);
  });

  it('maps the convolutional template to exactly the layers and parameter counts of the PyTorch reference', () => {
    const r = compile(projectGraph(loadTemplate('convolutional.aestudio')));
    if (!r.ok) throw new Error('did not compile');
    expect(r.spec.layers.map((l) => [l.type, l.outputShape.join('x'), l.paramCount])).toEqual([
      ['conv2d', '28x28x16', 160], ['maxPooling2d', '14x14x16', 0], ['conv2d', '14x14x8', 1160], ['maxPooling2d', '7x7x8', 0],
      ['conv2dTranspose', '14x14x8', 584], ['conv2dTranspose', '28x28x16', 1168], ['conv2d', '28x28x1', 145],
    ]);
    expect(r.spec.codeShape).toEqual([7, 7, 8]);
    expect(r.spec.layers[r.spec.codeLayerIndex].name).toBe('code_2');
    expect(r.spec.layers.at(-1)).toMatchObject({ activation: 'sigmoid' }); // output activation fused into the last conv
  });

  it('maps the seed article\'s convolutional template to exactly its Keras layers: "same" pooling to a 4×4×8 code, a "valid" conv back to 14', () => {
    const r = compile(projectGraph(loadTemplate('seedconv.aestudio')));
    if (!r.ok) throw new Error('did not compile');
    // The article's model.summary(): 28 → 14 → 7 → 4 by "same" pooling; 16 → 14 by the "valid" 3×3 conv.
    expect(r.spec.layers.map((l) => [l.type, l.outputShape.join('x'), l.paramCount, 'padding' in l ? l.padding : '', 'activation' in l ? l.activation : ''])).toEqual([
      ['conv2d', '28x28x16', 160, 'same', 'relu'], ['maxPooling2d', '14x14x16', 0, 'same', ''],
      ['conv2d', '14x14x8', 1160, 'same', 'relu'], ['maxPooling2d', '7x7x8', 0, 'same', ''],
      ['conv2d', '7x7x8', 584, 'same', 'relu'], ['maxPooling2d', '4x4x8', 0, 'same', ''],
      ['conv2d', '4x4x8', 584, 'same', 'relu'], ['upSampling2d', '8x8x8', 0, '', ''],
      ['conv2d', '8x8x8', 584, 'same', 'relu'], ['upSampling2d', '16x16x8', 0, '', ''],
      ['conv2d', '14x14x16', 1168, 'valid', 'relu'], ['upSampling2d', '28x28x16', 0, '', ''],
      ['conv2d', '28x28x1', 145, 'same', 'sigmoid'],
    ]);
    expect(r.spec.codeShape).toEqual([4, 4, 8]);
    expect(r.spec.totalParams).toBe(4385);
    expect(r.spec.loss).toBe('mse');
    expect(loadTemplate('seedconv.aestudio').training).toMatchObject({ optimizer: 'adam' });
  });

  it('maps each hand-placed layer kind to its op, with Keras\' shapes', () => {
    const r = compile(chainGraph(HAND_PLACED));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    // Only the "valid" 3×3 pooling of 7×7 is worth a word: it drops a row (the reshape restores the size).
    expect(r.diagnostics.map((d) => [d.severity, d.nodeId, d.message])).toEqual([['warning', 'p2', expect.stringContaining('drops the last 1 row')]]);
    expect(r.spec.layers.map((l) => [l.type, l.outputShape.join('x'), l.paramCount])).toEqual([
      ['conv2d', '14x14x4', 40], ['batchNormalization', '14x14x4', 8], ['averagePooling2d', '7x7x4', 0], ['maxPooling2d', '2x2x4', 0],
      ['flatten', '16', 0], ['dropout', '16', 0], ['dense', '8', 136], ['dense', '49', 441], ['reshape', '7x7x1', 0],
      ['upSampling2d', '14x14x1', 0], ['upSampling2d', '28x28x1', 0], ['conv2d', '28x28x1', 10],
    ]);
    expect(r.spec.layers.filter((l) => l.auto)).toEqual([]); // the placed flatten and reshape stand where they were put; none is added
    expect(r.spec.layers[0]).toMatchObject({ activation: 'leakyRelu', alpha: 0.1 });
    expect(r.spec.layers[9]).toMatchObject({ interpolation: 'bilinear' });
  });

  it('pools globally to a vector of channel means', () => {
    const r = compile(chainGraph([['in', 'input'], ['c', 'encoder', { layer: 'conv', filters: 6, pool: 1 }], ['g', 'pooling', { mode: 'globalAverage' }], ['code', 'bottleneck', { size: 4 }], ['d', 'decoder', { units: 784, activation: 'linear' }], ['out', 'output']]));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    expect(r.spec.layers.find((l) => l.type === 'globalAveragePooling2d')!.outputShape).toEqual([6]);
  });

  it('flattens before the first dense layer and reshapes back to the image at the output', () => {
    const r = compile(chainGraph(VANILLA));
    if (!r.ok) throw new Error('did not compile');
    expect(r.spec.layers.map((l) => `${l.type}${l.auto ? '*' : ''}`)).toEqual(['flatten*', 'dense', 'dense', 'reshape*']);
    expect(r.spec.totalParams).toBe(784 * 64 + 64 + 64 * 784 + 784);
    expect(r.spec.compressionRatio).toBeCloseTo(12.25);
    expect(r.analysis.edges).toEqual({ e1: [28, 28, 1], e2: [64], e3: [784] });
  });

  it('reshapes a dense code back to the feature map of the encoder it mirrors', () => {
    const r = compile(chainGraph([
      ['in', 'input'],
      ['c1', 'encoder', { layer: 'conv', filters: 8, pool: 2 }],
      ['c2', 'encoder', { layer: 'conv', filters: 4, pool: 2 }],
      ['code', 'bottleneck', { size: 10 }],
      ['d1', 'decoder', { units: 196 }],
      ['d2', 'decoder', { layer: 'deconv', filters: 8 }],
      ['d3', 'decoder', { layer: 'deconv', filters: 1, activation: 'linear' }],
      ['out', 'output'],
    ]));
    expect(r.diagnostics).toEqual([]);
    if (!r.ok) return;
    const reshape = r.spec.layers.find((l) => l.type === 'reshape');
    expect(reshape).toMatchObject({ nodeId: 'd2', targetShape: [7, 7, 4] });
  });

  it('attaches a regularizer L2 penalty to the kernel of the layer upstream and keeps the forward pass unchanged', () => {
    const r = compile(chainGraph([...VANILLA.slice(0, 2), ['reg', 'regularizer', { l1: 0.001, l2: 0.01 }], ...VANILLA.slice(2)]));
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.spec.layers.find((l) => l.name === 'code')).toMatchObject({ kernelL2: 0.01 });
    expect(r.spec.layers.find((l) => l.nodeId === 'reg')).toMatchObject({ type: 'activityRegularizer', l1: 0.001, inputShape: [64], outputShape: [64] });
  });

  it('compiles a 200-node chain without diagnostics', () => {
    const r = compile(longDenseChain(200));
    expect(r.diagnostics).toEqual([]);
    expect(r.ok && r.spec.nodes.length).toBe(200);
  });
});

describe('compile: diagnostics name the node or edge and say how to fix it', () => {
  it('a cycle: names the nodes of the loop', () => {
    const g = chainGraph(VANILLA);
    g.edges.push({ id: 'back', source: 'dec', target: 'code' });
    const cycle = errors(compile(g)).find((d) => d.code === 'cycle');
    expect(cycle).toMatchObject({ edgeId: 'back', message: 'These nodes form a loop: code → dec → code' });
    expect(cycle!.hint).toMatch(/Delete one of the connections/);
  });

  it('no input, and several inputs', () => {
    expect(errors(compile(chainGraph(VANILLA.slice(1)))).map((d) => d.code)).toContain('no-input');
    const g = chainGraph(VANILLA);
    g.nodes.push({ id: 'in2', kind: 'input', params: {}, position: { x: 0, y: 100 } });
    expect(errors(compile(g)).filter((d) => d.code === 'several-inputs').map((d) => d.nodeId).sort()).toEqual(['in', 'in2']);
  });

  it('no output: the chain is reported broken at its last node', () => {
    const r = compile(chainGraph(VANILLA.slice(0, 3)));
    expect(errors(r).map((d) => d.code)).toContain('no-output');
  });

  it('a node off the path is a warning that names it; the rest still compiles', () => {
    const g = chainGraph(VANILLA);
    g.nodes.push({ id: 'stray', kind: 'encoder', params: {}, position: { x: 0, y: 300 } });
    const r = compile(g);
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toMatchObject([{ severity: 'warning', code: 'off-path', nodeId: 'stray' }]);
  });

  it('a break in the chain: names the node where it stops', () => {
    const g = chainGraph(VANILLA);
    g.edges = g.edges.filter((e) => e.target !== 'out');
    expect(errors(compile(g))).toMatchObject([{ code: 'path-broken', nodeId: 'dec' }]);
  });

  it('no bottleneck', () => {
    const r = compile(chainGraph(replace(VANILLA, 'code', ['code', 'encoder', { units: 64 }])));
    expect(errors(r)).toMatchObject([{ code: 'no-bottleneck' }]);
  });

  it('a parameter out of range names the node, the parameter and the range', () => {
    const r = compile(chainGraph(replace(VANILLA, 'code', ['code', 'bottleneck', { size: 0 }])));
    expect(errors(r)).toMatchObject([{ code: 'param-invalid', nodeId: 'code', param: 'size', message: 'Bottleneck "code": Latent size 0 is out of range (1 to 65536)' }]);
  });

  it('parameters hidden by the layer type are not checked (a dense encoder ignores a bad kernel)', () => {
    const r = compile(chainGraph([...VANILLA.slice(0, 1), ['enc', 'encoder', { layer: 'dense', kernel: -3 }], ...VANILLA.slice(1)]));
    expect(r.ok).toBe(true);
  });

  it('output shape ≠ input shape: says both shapes and the units to set', () => {
    const r = compile(chainGraph(replace(VANILLA, 'dec', ['dec', 'decoder', { units: 512 }])));
    const d = errors(r)[0];
    expect(d).toMatchObject({ code: 'output-mismatch', nodeId: 'out', edgeId: 'e3', fixNodeId: 'dec' }); // the hint's node, which a click on the problem selects
    expect(d.message).toBe('The reconstruction is 512 (512 values) but the input is 28×28×1 (784 values)');
    expect(d.hint).toBe('Set the units of Decoder "dec" to 784.');
  });

  it('incompatible conv sizes: says which layer and why', () => {
    const r = compile(chainGraph([
      ['in', 'input'],
      ['c1', 'encoder', { layer: 'conv', pool: 4 }],
      ['c2', 'encoder', { layer: 'conv', pool: 4 }],
      ['c3', 'encoder', { layer: 'conv', kernel: 5, padding: 'valid', pool: 1 }],
      ['code', 'bottleneck'],
      ['d', 'decoder', { units: 784 }],
      ['out', 'output'],
    ]));
    expect(errors(r)).toMatchObject([{ code: 'layer-shape', nodeId: 'c3', message: 'Encoder "c3": a 5×5 kernel with padding "valid" does not fit a 1×1 input' }]);
  });

  it('pooling an odd size warns on the pooling layer, and the mismatch it causes is an error at the output', () => {
    const r = compile(chainGraph([
      ['in', 'input'],
      ['c1', 'encoder', { layer: 'conv', pool: 2 }],
      ['c2', 'encoder', { layer: 'conv', pool: 2 }],
      ['code', 'bottleneck', { form: 'conv', size: 4, pool: 2 }],
      ['d1', 'decoder', { layer: 'deconv', filters: 8 }],
      ['d2', 'decoder', { layer: 'deconv', filters: 8 }],
      ['d3', 'decoder', { layer: 'deconv', filters: 1 }],
      ['out', 'output'],
    ]));
    expect(r.diagnostics.find((d) => d.code === 'size-risk')).toMatchObject({ severity: 'warning', nodeId: 'code' });
    expect(errors(r)).toMatchObject([{ code: 'output-mismatch', message: 'The reconstruction is 24×24×1 (576 values) but the input is 28×28×1 (784 values)' }]);
  });

  it('a conv decoder after a dense code with no encoder shape to mirror says which units would work', () => {
    const r = compile(chainGraph([['in', 'input'], ['c1', 'encoder', { layer: 'conv', pool: 2 }], ['code', 'bottleneck', { size: 10 }], ['d', 'decoder', { layer: 'deconv' }], ['out', 'output']]));
    expect(errors(r)).toMatchObject([{ code: 'no-reshape-target', nodeId: 'd', hint: 'Put a dense Decoder before it with 3136 units (the encoder\'s 14×14×16 feature map).' }]);
  });

  it('BCE with a linear output, and KL sparsity without sigmoid, are refused with what to change', () => {
    expect(errors(compile(chainGraph(replace(VANILLA, 'out', ['out', 'output', { loss: 'bce', activation: 'linear' }]))))).toMatchObject([{ nodeId: 'out', param: 'loss' }]);
    const kl = compile(chainGraph([...VANILLA.slice(0, 2), ['reg', 'regularizer', { klBeta: 1 }], ...VANILLA.slice(2)]));
    expect(errors(kl)).toMatchObject([{ nodeId: 'reg', param: 'klBeta', hint: expect.stringMatching(/sigmoid/) }]);
  });

  it('fan-in into a one-input node, self-loops, edges to missing nodes and unknown kinds each get their own diagnostic', () => {
    const g = chainGraph(VANILLA);
    g.edges.push({ id: 'x1', source: 'in', target: 'dec' }, { id: 'x2', source: 'dec', target: 'dec' }, { id: 'x3', source: 'ghost', target: 'out' });
    g.nodes.push({ id: 'alien', kind: 'lstm', params: {}, position: { x: 0, y: 0 } });
    const codes = errors(compile(g)).map((d) => `${d.code}:${d.nodeId ?? d.edgeId}`);
    expect(codes).toEqual(expect.arrayContaining(['fan-in:dec', 'cycle:dec', 'dangling-edge:x3', 'unknown-kind:alien']));
    expect(codes.filter((c) => c.startsWith('fan-in'))).toEqual(['fan-in:dec']); // a second edge leaving "in" is a branch, not an error
  });

  it('the input node must match its built-in dataset', () => {
    const r = compile(chainGraph(replace(VANILLA, 'in', ['in', 'input', { height: 32 }])));
    expect(errors(r)[0]).toMatchObject({ nodeId: 'in', message: 'Input "in": MNIST digits samples are 28×28×1, but the input says 32×28×1' });
  });

  it('still reports shapes for the part of a broken graph it could infer', () => {
    const r = compile(chainGraph(replace(VANILLA, 'dec', ['dec', 'decoder', { units: 100 }])));
    expect(r.ok).toBe(false);
    expect(r.analysis.nodes.code).toEqual({ outputShape: [64], paramCount: 50240 });
    expect(r.analysis.nodes.dec).toEqual({ outputShape: [100], paramCount: 6500 });
  });
});
