/**
 * The variational bottleneck in the shared core: β's warm-up schedule, the
 * sampling op's shape rule, and what the bottleneck compiles to.
 */
import { describe, expect, it } from 'vitest';
import { templateSpec } from '../../../tests/helpers/specs';
import { inferLayer } from '../layer-ops';
import { betaAtEpoch, samplingLayerOf } from './variational';

describe('the variational bottleneck', () => {
  it('warms β up linearly over N epochs, β/N more each epoch, and holds β after', () => {
    expect([1, 2, 3, 4, 5, 6].map((e) => betaAtEpoch({ beta: 2, warmupEpochs: 4 }, e))).toEqual([0.5, 1, 1.5, 2, 2, 2]);
    expect([1, 2, 50].map((e) => betaAtEpoch({ beta: 0.7, warmupEpochs: 0 }, e))).toEqual([0.7, 0.7, 0.7]); // no warm-up
    expect(betaAtEpoch({ beta: 1, warmupEpochs: 1 }, 1)).toBe(1);
  });

  it('samples a code of the size of its two inputs, μ and log σ²; refuses one input, unequal sizes or an image', () => {
    const op = { type: 'sampling', beta: 1, warmupEpochs: 0 } as const;
    expect(inferLayer(op, [4], [[4], [4]])).toEqual({ ok: true, outputShape: [4], paramCount: 0 });
    expect(inferLayer(op, [4], [[4]])).toMatchObject({ ok: false, hint: expect.stringContaining('variational bottleneck') });
    expect(inferLayer(op, [4], [[4], [3]])).toMatchObject({ ok: false, message: expect.stringContaining('4 and 3') });
    expect(inferLayer(op, [4, 4, 2], [[4, 4, 2], [4, 4, 2]])).toMatchObject({ ok: false });
  });

  it.each([['vae-dense', 401_920 + 2 * 1_026], ['vae-conv', 69_076]])('%s: the code is the sampling layer taking two linear heads on one layer (encoder parameters as Keras counts them)', (name, encoderParams) => {
    const { spec } = templateSpec(name);
    const code = spec.layers[spec.codeLayerIndex];
    expect(code).toMatchObject({ type: 'sampling', name: 'code', beta: 1, warmupEpochs: 0, inputs: ['code_mean', 'code_log_var'], outputShape: [2] });
    expect(samplingLayerOf(spec.layers)).toBe(code);
    const [mean, logVar] = code.inputs.map((n) => spec.layers.find((l) => l.name === n)!);
    for (const head of [mean, logVar]) expect(head).toMatchObject({ type: 'dense', units: 2, activation: 'linear' });
    expect(mean.inputs).toEqual(logVar.inputs); // a branch: both heads read the layer before the code
    expect(spec.codeShape).toEqual([2]);
    expect(spec.loss).toBe('bce');
    expect(spec.layers.slice(0, spec.codeLayerIndex + 1).reduce((a, l) => a + l.paramCount, 0)).toBe(encoderParams);
  });
});
