import { describe, expect, it } from 'vitest';
import { inputKind } from './kinds/input';
import { checkParamValue, defaultParams } from './params';
import { NODE_KINDS, createRegistry } from './registry';

describe('node catalog', () => {
  it('holds the kinds the product needs, in palette order', () => {
    expect([...NODE_KINDS.keys()]).toEqual(['input', 'noise', 'encoder', 'pooling', 'flatten', 'bottleneck', 'regularizer', 'dropout', 'batchNorm', 'decoder', 'upsample', 'reshape', 'merge', 'output']);
  });

  it('refuses to register one kind twice', () => {
    expect(() => createRegistry([inputKind, inputKind] as never)).toThrow(/"input" is registered twice/);
  });

  for (const def of NODE_KINDS.values()) {
    it(`${def.kind}: every parameter has a label, help and a default inside its own range`, () => {
      for (const [name, schema] of Object.entries(def.params)) {
        expect(schema.label, name).not.toBe('');
        expect(schema.help.length, name).toBeGreaterThan(10);
        expect(checkParamValue(schema, schema.default), name).toBeNull();
      }
    });

    it(`${def.kind}: visibleWhen refers to an enum parameter of the same kind and its real options`, () => {
      for (const schema of Object.values(def.params)) {
        if (!schema.visibleWhen) continue;
        const controller = def.params[schema.visibleWhen.param];
        expect(controller?.type).toBe('enum');
        if (controller?.type === 'enum') for (const v of schema.visibleWhen.oneOf) expect(controller.options).toContain(v);
      }
    });
  }

  it('checkParamValue names the range when a value is out of it, and refuses NaN and wrong types', () => {
    const units = NODE_KINDS.get('encoder')!.params.units;
    expect(checkParamValue(units, 0)).toBe('0 is out of range (1 to 65536)');
    expect(checkParamValue(units, 1e9)).toBe('1000000000 is out of range (1 to 65536)');
    expect(checkParamValue(units, 2.5)).toMatch(/whole number/);
    expect(checkParamValue(units, Number.NaN)).toMatch(/must be a number/);
    expect(checkParamValue(units, '12')).toMatch(/must be a number/);
    expect(checkParamValue(NODE_KINDS.get('encoder')!.params.layer, 'lstm')).toBe('must be one of dense, conv');
  });

  it('builds an encoder as conv2d followed by max-pooling when pooling is on, and as one dense layer otherwise', () => {
    const enc = NODE_KINDS.get('encoder')!;
    const conv = enc.build([28, 28, 1], { ...defaultParams(enc.params), layer: 'conv', pool: 2 }, { previousTrainable: null });
    expect(conv.ok && conv.layers.map((l) => l.type)).toEqual(['conv2d', 'maxPooling2d']);
    const dense = enc.build([784], defaultParams(enc.params), { previousTrainable: null });
    expect(dense.ok && dense.layers).toEqual([{ type: 'dense', units: 128, activation: 'relu' }]);
  });

  it('passes pool mode and padding, the code\'s kernel, bilinear upsampling and leaky ReLU\'s slope (only while chosen) through to the ops', () => {
    const build = (kind: string, params: Record<string, string | number | boolean>) => {
      const def = NODE_KINDS.get(kind)!;
      const r = def.build([8, 8, 4], { ...defaultParams(def.params), ...params }, { previousTrainable: null });
      if (!r.ok) throw new Error(r.message);
      return r.layers;
    };
    expect(build('encoder', { layer: 'conv', pool: 2, poolPadding: 'same' })[1]).toEqual({ type: 'maxPooling2d', poolSize: 2, padding: 'same' });
    expect(build('bottleneck', { form: 'conv', pool: 2, poolMode: 'average', poolPadding: 'same' })[1]).toEqual({ type: 'averagePooling2d', poolSize: 2, padding: 'same' });
    expect(build('bottleneck', { form: 'conv', kernel: 5, pool: 2 })).toEqual([
      { type: 'conv2d', filters: 32, kernelSize: 5, strides: 1, padding: 'same', activation: 'relu' },
      { type: 'maxPooling2d', poolSize: 2, padding: 'valid' }, // the default: files written before the parameter pool as they did
    ]);
    expect(build('decoder', { layer: 'upconv', interpolation: 'bilinear' })[0]).toEqual({ type: 'upSampling2d', size: 2, interpolation: 'bilinear' });
    expect(build('decoder', { units: 5, activation: 'leakyRelu', alpha: 0.05 })).toEqual([{ type: 'dense', units: 5, activation: 'leakyRelu', alpha: 0.05 }]);
    expect(build('decoder', { units: 5, activation: 'elu', alpha: 0.05 })).toEqual([{ type: 'dense', units: 5, activation: 'elu' }]);
  });
});
