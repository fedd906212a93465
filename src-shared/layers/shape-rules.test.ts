import { describe, expect, it } from 'vitest';
import { inferLayer } from './layer-ops';
import { convOutSize, deconvOutSize } from './ops/weighted';

describe('layer shape rules (Keras conventions)', () => {
  it('computes convolution output sizes for same and valid padding', () => {
    expect(convOutSize(28, 3, 1, 'same')).toBe(28);
    expect(convOutSize(28, 3, 2, 'same')).toBe(14);
    expect(convOutSize(7, 3, 2, 'same')).toBe(4);
    expect(convOutSize(28, 5, 1, 'valid')).toBe(24);
    expect(convOutSize(28, 3, 2, 'valid')).toBe(13);
  });

  it('makes transposed convolution the size inverse of convolution', () => {
    expect(deconvOutSize(7, 3, 2, 'same')).toBe(14);
    expect(deconvOutSize(24, 5, 1, 'valid')).toBe(28);
    expect(deconvOutSize(13, 3, 2, 'valid')).toBe(27);
  });

  it('counts parameters as Keras model.summary() does', () => {
    expect(inferLayer({ type: 'dense', units: 64, activation: 'relu' }, [784])).toMatchObject({ ok: true, outputShape: [64], paramCount: 50240 });
    expect(inferLayer({ type: 'conv2d', filters: 16, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' }, [28, 28, 1])).toMatchObject({ outputShape: [28, 28, 16], paramCount: 160 });
    expect(inferLayer({ type: 'conv2dTranspose', filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }, [14, 14, 8])).toMatchObject({ outputShape: [28, 28, 16], paramCount: 1168 });
    expect(inferLayer({ type: 'maxPooling2d', poolSize: 2, padding: 'valid' }, [28, 28, 16])).toMatchObject({ outputShape: [14, 14, 16], paramCount: 0 });
  });

  it('refuses a valid-padded kernel larger than its input, naming both sizes', () => {
    const r = inferLayer({ type: 'conv2d', filters: 4, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu' }, [3, 3, 8]);
    expect(r).toMatchObject({ ok: false, message: 'a 5×5 kernel with padding "valid" does not fit a 3×3 input' });
  });

  it('warns when pooling an odd size drops a row the decoder cannot restore', () => {
    const r = inferLayer({ type: 'maxPooling2d', poolSize: 2, padding: 'valid' }, [7, 7, 8]);
    expect(r.ok && r.warning).toMatch(/drops the last 1 row/);
  });

  it('pools "same" by rounding up, as Keras does: the seed article\'s 28 → 14 → 7 → 4, with no warning', () => {
    const pool = (h: number) => inferLayer({ type: 'maxPooling2d', poolSize: 2, padding: 'same' }, [h, h, 8]);
    expect([pool(28), pool(14), pool(7)].map((r) => r.ok && r.outputShape[0])).toEqual([14, 7, 4]);
    expect(pool(7)).toMatchObject({ ok: true, warning: undefined });
    expect(inferLayer({ type: 'maxPooling2d', poolSize: 3, padding: 'same' }, [2, 5, 1])).toMatchObject({ ok: true, outputShape: [1, 2, 1] });
  });

  it('refuses a "valid" pool larger than its input and suggests "same"', () => {
    expect(inferLayer({ type: 'maxPooling2d', poolSize: 4, padding: 'valid' }, [3, 8, 1])).toMatchObject({ ok: false, hint: expect.stringContaining('"same"') });
  });

  it('refuses a reshape that changes the number of values', () => {
    expect(inferLayer({ type: 'reshape', targetShape: [7, 7, 8] }, [64])).toMatchObject({ ok: false });
  });
});
