/** ModelSpec → TF.js: each catalog kind builds the expected layers and shapes, noise only while training. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { layerRole } from '../../../src-shared/layers/layer-ops';
import { projectGraph } from '../../../src-shared/project/project-file';
import { VANILLA, chainGraph } from '../../../tests/helpers/graphs';
import type { ChainStep } from '../../../tests/helpers/graphs';
import { TEMPLATE_FILES, loadTemplate } from '../../../tests/helpers/templates';
import { buildModel } from './build-model';
import { NoiseLayer } from './noise-layers';

function specOf(steps: ChainStep[]): ModelSpec {
  const r = compile(chainGraph(steps));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.spec;
}

const layerSummary = (m: tf.LayersModel) => m.layers.slice(1).map((l) => `${l.getClassName()}:${(l.outputShape as number[]).slice(1).join('x')}`);

describe('buildModel', () => {
  it.each(TEMPLATE_FILES)('%s: the inference model has exactly the spec\'s layers, shapes and parameter count', (file) => {
    const spec = (() => {
      const r = compile(projectGraph(loadTemplate(file)));
      if (!r.ok) throw new Error('template does not compile');
      return r.spec;
    })();
    const m = buildModel(spec, 1);
    // Noise and regularizer points are identity at inference: no layer there. A VAE's sampling layer is one (it gives μ).
    const expected = spec.layers.filter((l) => ['weighted', 'fixed', 'sampling'].includes(layerRole(l))).map((l) => l.outputShape.join('x'));
    expect(m.inference.layers.slice(1).map((l) => (l.outputShape as number[]).slice(1).join('x'))).toEqual(expected);
    expect(m.inference.countParams()).toBe(spec.totalParams);
    expect(m.encoder.outputs[0].shape.slice(1)).toEqual(spec.codeShape);
    // A template whose skips go around the code (the U-Net) has no decoder alone.
    expect(m.decoder === null).toBe(spec.decoderAbsent !== undefined);
    if (m.decoder) {
      expect(m.decoder.inputs[0].shape.slice(1)).toEqual(spec.codeShape);
      expect(m.decoder.outputs[0].shape.slice(1)).toEqual(spec.inputShape);
    }
    m.train.dispose();
  });

  it('maps every layer type to its TF.js class', () => {
    const spec = specOf([
      ['in', 'input'],
      ['n', 'noise', { gaussianStd: 0.1, maskRate: 0.1, saltPepperRate: 0.1 }],
      ['c', 'encoder', { layer: 'conv', filters: 4, pool: 2 }],
      ['code', 'bottleneck', { size: 8 }],
      ['r', 'regularizer', { l1: 0.01, l2: 0.01 }],
      ['d1', 'decoder', { units: 784 }],
      ['d2', 'decoder', { layer: 'upconv', filters: 1, upsample: 2, activation: 'linear' }],
      ['out', 'output'],
    ]);
    const m = buildModel(spec, 1);
    expect(layerSummary(m.train)).toEqual([
      'AestudioNoise:28x28x1', 'AestudioNoise:28x28x1', 'AestudioNoise:28x28x1', 'Conv2D:28x28x4', 'MaxPooling2D:14x14x4', 'Flatten:784', 'Dense:8', 'Dense:784', 'Reshape:14x14x4', 'UpSampling2D:28x28x4', 'Conv2D:28x28x1',
    ]);
    expect(layerSummary(m.inference)).toEqual(['Conv2D:28x28x4', 'MaxPooling2D:14x14x4', 'Flatten:784', 'Dense:8', 'Dense:784', 'Reshape:14x14x4', 'UpSampling2D:28x28x4', 'Conv2D:28x28x1']);
    expect(m.train.outputs.map((o) => o.shape.slice(1))).toEqual([[28, 28, 1], [8]]); // reconstruction + the regularizer tap
    expect(m.taps).toEqual([{ name: 'r', l1: 0.01, klRho: 0.05, klBeta: 0 }]);
    expect(m.kernelPenalties.map((k) => [k.name, k.lambda, k.kernel.shape])).toEqual([['code', 0.01, [784, 8]]]);
    m.train.dispose();
  });

  it('uses conv2dTranspose for deconv decoders with the spec\'s stride and padding', () => {
    const r = compile(projectGraph(loadTemplate('convolutional.aestudio')));
    if (!r.ok) throw new Error();
    const m = buildModel(r.spec, 1);
    const deconv = m.inference.layers.filter((l) => l.getClassName() === 'Conv2DTranspose').map((l) => l.getConfig());
    expect(deconv.map((c) => [c.filters, c.kernelSize, c.strides, c.padding, c.activation])).toEqual([[8, [3, 3], [2, 2], 'same', 'relu'], [16, [3, 3], [2, 2], 'same', 'relu']]);
    m.train.dispose();
  });

  it('is reproducible: the same seed gives the same initial weights, another seed different ones', () => {
    const spec = specOf(VANILLA);
    const weights = (seed: number) => {
      const m = buildModel(spec, seed);
      const w = m.inference.getWeights()[0].dataSync().slice(0, 20);
      m.train.dispose();
      return Array.from(w);
    };
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });
});

describe('noise layers', () => {
  const x = () => tf.fill([2, 28, 28, 1], 0.5);

  it.each([['gaussian', 0.3], ['masking', 0.5], ['saltPepper', 0.5]] as const)('%s is the identity at inference and corrupts while training', (kind, amount) => {
    const layer = new NoiseLayer({ name: `n_${kind}`, kind, amount, seed: 1 });
    const input = x();
    expect(layer.call(input, { training: false })).toBe(input);
    expect(layer.call(input, {})).toBe(input);
    const noised = layer.call(input, { training: true });
    const changed = tf.notEqual(noised, input).sum().dataSync()[0] / input.size;
    expect(changed).toBeGreaterThan(kind === 'gaussian' ? 0.99 : 0.4);
    if (kind !== 'gaussian') {
      const vals = new Set(Array.from(noised.dataSync()));
      expect([...vals].every((v) => (kind === 'masking' ? [0, 0.5] : [0, 0.5, 1]).includes(v))).toBe(true);
    }
    tf.dispose([input, noised]);
  });

  it('a denoising model reconstructs deterministically at inference (no noise), unlike its training graph', () => {
    const r = compile(projectGraph(loadTemplate('denoising.aestudio')));
    if (!r.ok) throw new Error();
    const m = buildModel(r.spec, 1);
    const input = x();
    const a = (m.inference.predict(input) as tf.Tensor).dataSync();
    const b = (m.inference.predict(input) as tf.Tensor).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    const noised = m.noise!.apply(input, { training: true }) as tf.Tensor;
    expect(tf.sub(noised, input).abs().max().dataSync()[0]).toBeGreaterThan(0.1);
    expect(m.inference.layers.some((l) => l instanceof NoiseLayer)).toBe(false);
    m.train.dispose();
  });
});
