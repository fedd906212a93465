/**
 * The Keras script of every template is valid Python (parsed by Python's own
 * ast module) that names the same layers, in the same order, with the same
 * shapes and arguments as the spec. Keras itself is not needed to check that.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_FILES } from '../../tests/helpers/templates';
import { templateSpec } from '../../tests/helpers/specs';
import { compile } from '../compiler/compile';
import { HAND_PLACED, SMALL_UNET, SMALL_UNET_EDGES, chainGraph, dagGraph } from '../../tests/helpers/graphs';
import { kerasScript } from './keras-script';

/** The layer constructor calls of a script, as Python's ast sees them: [class, name, positional args, keyword args]. */
function layerCalls(source: string): { cls: string; name: string; args: string[]; kwargs: Record<string, string> }[] {
  const file = join(mkdtempSync(join(tmpdir(), 'aes-keras-')), 'model.py');
  writeFileSync(file, source);
  const probe = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
out = []
for node in ast.walk(tree):
    if isinstance(node, ast.Call):
        kw = {k.arg: ast.unparse(k.value) for k in node.keywords if k.arg}
        if 'name' in kw and 'built[' not in ast.unparse(node):
            out.append({'cls': ast.unparse(node.func), 'name': ast.literal_eval(kw.pop('name')), 'args': [ast.unparse(a) for a in node.args], 'kwargs': kw})
out.sort(key=lambda c: c.get('lineno', 0))
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', probe, file], { encoding: 'utf8' }));
}

describe('Keras script export', () => {
  it.each(TEMPLATE_FILES.map((f) => f.replace('.aestudio', '')))('%s: valid Python naming the same layers with the same shapes', (name) => {
    const { spec, project } = templateSpec(name);
    const calls = layerCalls(kerasScript(spec, project.name));
    const byName = new Map(calls.map((c) => [c.name, c]));
    expect(byName.get('input')?.kwargs.shape).toBe(`(${spec.inputShape.join(', ')})`);
    if (!spec.decoderAbsent) expect(byName.get('code_input')?.kwargs.shape).toBe(`(${spec.codeShape.join(', ')}${spec.codeShape.length === 1 ? ',' : ''})`);
    else expect(byName.has('code_input')).toBe(false); // no decoder alone where skips go around the code
    const expected = spec.layers.filter((l) => l.type !== 'activityRegularizer');
    for (const l of expected) {
      const call = byName.get(l.name);
      expect(call, l.name).toBeDefined();
      if (l.type === 'dense') expect([call!.cls, call!.args[0], call!.kwargs.activation]).toEqual(['layers.Dense', String(l.units), `'${l.activation}'`]);
      if (l.type === 'conv2d' || l.type === 'conv2dTranspose') {
        expect([call!.cls, call!.args, call!.kwargs.strides, call!.kwargs.padding]).toEqual([l.type === 'conv2d' ? 'layers.Conv2D' : 'layers.Conv2DTranspose', [String(l.filters), String(l.kernelSize)], String(l.strides), `'${l.padding}'`]);
      }
      if (l.type === 'reshape') expect(call!.args[0]).toBe(`(${l.targetShape.join(', ')})`);
    }
    expect(calls.filter((c) => c.cls.startsWith('layers.') || ['MaskingNoise', 'SaltPepperNoise', 'Sampling'].includes(c.cls)).map((c) => c.name).filter((n) => n !== 'input' && n !== 'code_input')).toHaveLength(expected.length);
  });

  it('writes every hand-placed layer kind as its Keras layer, with its arguments, in valid Python', () => {
    const r = compile(chainGraph(HAND_PLACED));
    if (!r.ok) throw new Error('did not compile');
    const calls = layerCalls(kerasScript(r.spec, 'kinds'));
    const of = (type: string) => { const l = r.spec.layers.find((x) => x.type === type)!; const c = calls.find((x) => x.name === l.name)!; return [c.cls, ...c.args, ...Object.entries(c.kwargs).map(([k, v]) => `${k}=${v}`)]; };
    expect(of('batchNormalization')).toEqual(['layers.BatchNormalization', 'momentum=0.99', 'epsilon=0.001']);
    expect(of('averagePooling2d')).toEqual(['layers.AveragePooling2D', '2', "padding='same'"]);
    expect(of('maxPooling2d')).toEqual(['layers.MaxPooling2D', '3', "padding='valid'"]);
    expect(of('dropout')).toEqual(['layers.Dropout', '0.25']);
    expect(of('upSampling2d')).toEqual(['layers.UpSampling2D', '2', "interpolation='bilinear'"]);
    expect(of('conv2d')).toContain('activation=lambda x: keras.activations.leaky_relu(x, negative_slope=0.1)');
  });

  it('carries the sparse template\'s L1 penalty as the code layer\'s activity regularizer', () => {
    const { spec, project } = templateSpec('sparse');
    const code = layerCalls(kerasScript(spec, project.name)).find((c) => c.name === 'code')!;
    expect(code.kwargs.activity_regularizer).toBe('keras.regularizers.L1(1e-05)');
  });

  it('keeps the denoising template\'s noise as a training-only Keras layer', () => {
    const { spec, project } = templateSpec('denoising');
    const noise = layerCalls(kerasScript(spec, project.name)).find((c) => c.name === 'noise')!;
    expect([noise.cls, noise.args]).toEqual(['layers.GaussianNoise', ['0.3']]);
  });

  it('wires a graph by name: each layer with the tensors it takes, merges as Keras merge layers, no decoder around a skip', () => {
    const r = compile(dagGraph(SMALL_UNET, SMALL_UNET_EDGES));
    if (!r.ok) throw new Error('did not compile');
    const script = kerasScript(r.spec, 'unet');
    expect(layerCalls(script).find((c) => c.name === 'cat')?.cls).toBe('layers.Concatenate');
    const file = join(mkdtempSync(join(tmpdir(), 'aes-keras-')), 'model.py');
    writeFileSync(file, script);
    // The `graph` literal and the decoder assignment, as Python reads them.
    const probe = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
out = {}
for node in ast.walk(tree):
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
        name = node.targets[0].id
        if name == 'graph':
            out['graph'] = ast.literal_eval(node.value)
        if name == 'decoder':
            out['decoder'] = ast.unparse(node.value)
print(json.dumps(out))
`;
    const parsed = JSON.parse(execFileSync('python3', ['-c', probe, file], { encoding: 'utf8' })) as { graph: [string, string[]][]; decoder: string };
    expect(parsed.graph).toEqual(r.spec.layers.map((l) => [l.name, l.inputs]));
    expect(parsed.graph.find(([n]) => n === 'cat')![1]).toEqual(['up', 'e1']);
    expect(parsed.decoder).toBe('None');
  });
});
