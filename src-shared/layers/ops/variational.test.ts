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

  it('samples a code of half its input: μ ‖ log σ² in, z out; refuses an odd or image input', () => {
    const op = { type: 'sampling', beta: 1, warmupEpochs: 0 } as const;
    expect(inferLayer(op, [8])).toEqual({ ok: true, outputShape: [4], paramCount: 0 });
    expect(inferLayer(op, [5])).toMatchObject({ ok: false, message: expect.stringContaining('even number') });
    expect(inferLayer(op, [4, 4, 2])).toMatchObject({ ok: false, hint: expect.stringContaining('variational bottleneck') });
  });

  it.each([['vae-dense', 401_920 + 2_052], ['vae-conv', 69_076]])('%s: the code is the sampling layer after linear heads of twice the latent size (encoder parameters as Keras counts them)', (name, encoderParams) => {
    const { spec } = templateSpec(name);
    const code = spec.layers[spec.codeLayerIndex];
    expect(code).toMatchObject({ type: 'sampling', beta: 1, warmupEpochs: 0, outputShape: [2] });
    expect(samplingLayerOf(spec.layers)).toBe(code);
    const heads = spec.layers.find((l) => l.name === code.inputs[0]);
    expect(heads).toMatchObject({ type: 'dense', units: 4, activation: 'linear' });
    expect(spec.codeShape).toEqual([2]);
    expect(spec.loss).toBe('bce');
    expect(spec.layers.slice(0, spec.codeLayerIndex + 1).reduce((a, l) => a + l.paramCount, 0)).toBe(encoderParams);
  });
});
