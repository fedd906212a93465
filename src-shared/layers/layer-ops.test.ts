/**
 * The layer-op table against the op union: every op has a valid example, a
 * shape rule, consistent weight arithmetic and a Keras line (the trainer's
 * own test checks TF.js and ONNX for the same examples).
 */
import { describe, expect, it } from 'vitest';
import { LayerOpSchema } from '../compiler/model-spec';
import { kerasLayerLine, kerasScript } from '../export/keras-script';
import { exampleSpec, specOfOps } from '../../tests/helpers/layer-examples';
import { ACTIVATIONS } from '../catalog/params';
import type { Activation } from '../catalog/params';
import { pyActivation } from './layer-op';
import { LAYER_OPS, LAYER_OP_TYPES, inferLayer, kernelValues, layerOp, takesMany } from './layer-ops';

describe('the layer-op table', () => {
  it('has exactly the ops of the ModelSpec schema, each example of its own op', () => {
    const schemaTypes = LayerOpSchema.options.map((o) => o.shape.type.value);
    expect([...LAYER_OP_TYPES].sort()).toEqual([...schemaTypes].sort());
    for (const t of LAYER_OP_TYPES) {
      const { op } = LAYER_OPS[t].example;
      expect(op.type).toBe(t);
      expect(LayerOpSchema.safeParse(op).success, `${t}'s example has parameters the schema refuses`).toBe(true);
    }
  });

  it.each(LAYER_OP_TYPES)('%s: its shape rule applies to its example', (t) => {
    const { op, input } = LAYER_OPS[t].example;
    const r = inferLayer(op, input, takesMany(t) ? [input, input] : [input]); // a merge's example merges its input with itself
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
  });

  it.each(LAYER_OP_TYPES)('%s: kernel plus bias is its parameter count, and only weighted ops do arithmetic', (t) => {
    const [layer] = exampleSpec(t).layers;
    const def = layerOp(t);
    if (def.role === 'weighted') {
      expect(layer.paramCount).toBeGreaterThan(0);
      expect(layer.paramCount - kernelValues(layer)).toBe(layer.outputShape.at(-1)); // one bias per unit or filter
      expect(def.forwardMacs(layer)).toBeGreaterThan(0);
    } else if (def.role === 'normalization') {
      expect(layer.paramCount).toBe(2 * layer.outputShape.at(-1)!); // a trained scale and shift per channel
      expect(kernelValues(layer)).toBe(0);
      expect(def.wholeBatchReason(layer)).not.toBeNull();
    } else {
      expect([layer.paramCount, kernelValues(layer), def.forwardMacs(layer)]).toEqual([0, 0, 0]);
    }
    expect(def.keptPerOutput(layer)).toBeGreaterThanOrEqual(0);
  });

  it.each(LAYER_OP_TYPES)('%s: has a Keras line, or is carried by the layer before it', (t) => {
    const def = layerOp(t);
    if ('cls' in def.keras) {
      const spec = exampleSpec(t);
      const line = kerasLayerLine(spec, 0);
      expect(line).toBe(`${def.keras.cls}(${[def.keras.args(spec.layers[0], ''), `name='${spec.layers[0].name}'`].filter(Boolean).join(', ')})`);
      const script = kerasScript(spec, 't');
      expect(script).toContain(`built['${spec.layers[0].name}'] = ${line}`);
      // A class that is not Keras' own is defined by the op's prelude, before the model is built.
      if (!def.keras.cls.startsWith('layers.')) expect(def.kerasPrelude).toContain(`class ${def.keras.cls}(`);
      if (def.kerasPrelude) expect(script.indexOf(def.kerasPrelude)).toBeLessThan(script.indexOf('def build():'));
    } else {
      // Only a penalty may lack a line: the weighted layer before it takes it as its activity_regularizer.
      expect(def.role).toBe('penalty');
      const spec = specOfOps([5], [LAYER_OPS.dense.example.op, def.example.op]);
      expect(kerasLayerLine(spec, 1)).toBeNull();
      expect(kerasLayerLine(spec, 0)).toContain('activity_regularizer=');
      if (def.kerasPrelude) expect(kerasScript(spec, 't')).toContain(def.kerasPrelude);
    }
  });

  it('reads ops of specs written before pool padding and upsampling interpolation existed as they ran: valid, nearest', () => {
    expect(LayerOpSchema.parse({ type: 'maxPooling2d', poolSize: 2 })).toEqual({ type: 'maxPooling2d', poolSize: 2, padding: 'valid' });
    expect(LayerOpSchema.parse({ type: 'upSampling2d', size: 2 })).toEqual({ type: 'upSampling2d', size: 2, interpolation: 'nearest' });
    expect(LayerOpSchema.safeParse({ type: 'averagePooling2d', poolSize: 2 }).success).toBe(false); // new: no older file to read
  });

  it('names every activation as Keras 3 does, and gives leaky ReLU its own slope', () => {
    const line = (activation: Activation, alpha?: number) => kerasLayerLine(specOfOps([5], [{ type: 'dense', units: 2, activation, alpha }]), 0);
    expect(ACTIVATIONS.map((a) => pyActivation({ activation: a }))).toEqual(["'linear'", "'relu'", 'lambda x: keras.activations.leaky_relu(x, negative_slope=0.3)', "'elu'", "'selu'", "'gelu'", "'tanh'", "'sigmoid'", "'softplus'", "'swish'"]);
    expect(line('leakyRelu', 0.1)).toBe("layers.Dense(2, activation=lambda x: keras.activations.leaky_relu(x, negative_slope=0.1), name='dense_1')");
    expect(line('gelu')).toBe("layers.Dense(2, activation='gelu', name='dense_1')");
  });

  it('the Keras script skips every noise op, and only those, in the decoder it builds', () => {
    const noise = LAYER_OP_TYPES.filter((t) => LAYER_OPS[t].role === 'noise').map((t) => { const k = LAYER_OPS[t].keras; return 'cls' in k ? k.cls : t; });
    const line = kerasScript(exampleSpec('dense'), 't').split('\n').find((l) => l.trim().startsWith('noise = ('));
    expect(line?.trim()).toBe(`noise = (${noise.join(', ')})`);
  });
});
