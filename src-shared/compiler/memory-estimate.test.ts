import { describe, expect, it } from 'vitest';
import { chainGraph } from '../../tests/helpers/graphs';
import { templateSpec } from '../../tests/helpers/specs';
import { compile } from './compile';
import { MAX_TENSOR_VALUES, estimateMemory, modelMemory } from './memory-estimate';
import { formatBytes } from '../util/format-bytes';

const ADAM_128 = { batchSize: 128, optimizer: 'adam', momentum: 0.9 } as const;

describe('memory estimate', () => {
  // The vanilla template: flatten 784 → dense 64 relu → dense 784 sigmoid → reshape 28×28×1; 101,200 parameters.
  const { spec } = templateSpec('vanilla');

  it('counts the vanilla 784-64-784 at batch 128 with Adam as computed by hand', () => {
    const memory = modelMemory(spec.inputShape, spec.layers);
    // Per sample: input 784; flatten and reshape are views (0); each dense keeps its output before and
    // after its activation (64·2 + 784·2); backprop holds two gradients of the widest tensor (2·784).
    expect(memory.activationValuesPerSample).toBe(784 + 128 + 1568 + 1568);
    const e = estimateMemory(memory, ADAM_128);
    expect(e.weightBytes).toBe(101_200 * 4);
    expect(e.gradientBytes).toBe(101_200 * 4);
    expect(e.optimizerBytes).toBe(2 * 101_200 * 4);
    expect(e.activationBytes).toBe(4048 * 4 * 128);
    expect(e.totalBytes).toBe(404_800 * 4 + 2_072_576);
    // The decoder: 50,960 weights × 16 bytes + 1568 values × 4 bytes × 128 samples.
    expect(e.largest).toEqual({ name: 'dec', nodeId: 'dec', bytes: 50_960 * 16 + 1568 * 4 * 128 });
    expect(formatBytes(e.totalBytes)).toBe('3.7 MB');
  });

  it('counts a graph\'s layers once each, its concatenations as new tensors and its noise by its kept values', () => {
    const unet = templateSpec('unet-denoising').spec;
    const memory = modelMemory(unet.inputShape, unet.layers);
    expect(memory.layers.map((l) => l.name)).toEqual(unet.layers.map((l) => l.name));
    // Input 784; noise keeps 2 per value; each conv/deconv 2 per output value (relu, or the output's sigmoid fused into the last);
    // pools keep 1; each concat keeps its joined output; backprop two gradients of the widest tensor (28·28·16).
    const kept = 2 * 784 + 2 * 28 * 28 * 8 + 2 * 28 * 28 * 16 + 14 * 14 * 16 + 2 * 14 * 14 * 8 + 7 * 7 * 8 + 2 * 14 * 14 * 16 + 14 * 14 * 32 + 2 * 28 * 28 * 8 + 28 * 28 * 16 + 2 * 784;
    expect(memory.activationValuesPerSample).toBe(784 + kept + 2 * 28 * 28 * 16);
  });

  it('gives each optimizer the slots TF.js allocates (SGD without momentum: none)', () => {
    const memory = modelMemory(spec.inputShape, spec.layers);
    expect(estimateMemory(memory, { ...ADAM_128, optimizer: 'rmsprop' }).optimizerBytes).toBe(2 * 404_800);
    expect(estimateMemory(memory, { ...ADAM_128, optimizer: 'sgd' }).optimizerBytes).toBe(404_800);
    expect(estimateMemory(memory, { ...ADAM_128, optimizer: 'sgd', momentum: 0 }).optimizerBytes).toBe(0);
  });

  it('scales the activations, and only them, with the batch size', () => {
    const memory = modelMemory(spec.inputShape, spec.layers);
    const at1 = estimateMemory(memory, { ...ADAM_128, batchSize: 1 });
    const at256 = estimateMemory(memory, { ...ADAM_128, batchSize: 256 });
    expect(at256.activationBytes).toBe(256 * at1.activationBytes);
    expect(at256.totalBytes - at256.activationBytes).toBe(at1.totalBytes - at1.activationBytes);
  });

  it('is carried by the compile result, so the canvas shows it beside the parameter count', () => {
    const r = compile(chainGraph([['in', 'input'], ['code', 'bottleneck', { size: 64 }], ['dec', 'decoder', { units: 784 }], ['out', 'output']]));
    expect(r.ok).toBe(true);
    expect(r.analysis.memory.layers.map((l) => l.nodeId)).toContain('code');
    expect(r.analysis.memory.activationValuesPerSample).toBeGreaterThan(784);
  });

  it('refuses on its node a 65,536-unit dense pair whose weight tensor TF.js cannot allocate (4.3e9 parameters), before any spec exists', () => {
    const r = compile(chainGraph([['in', 'input'], ['enc', 'encoder', { units: 65536 }], ['code', 'bottleneck', { size: 65536 }], ['dec', 'decoder', { units: 784 }], ['out', 'output']]));
    expect(r.ok).toBe(false);
    const refusal = r.diagnostics.filter((d) => d.code === 'tensor-too-large');
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toMatchObject({ severity: 'error', nodeId: 'code' });
    expect(refusal[0].message).toContain('4,294,967,296 values');
    expect(refusal[0].hint).toMatch(/fewer units/);
    expect(r.analysis.totalParams).toBeGreaterThan(4.3e9); // the canvas still shows what was asked for
    expect(65536 * 65536).toBeGreaterThan(MAX_TENSOR_VALUES);
  });

  it('refuses on its node an upsampling whose output for one sample TF.js cannot allocate', () => {
    const r = compile(chainGraph([['in', 'input', { dataset: 'custom', height: 4096, width: 4096, channels: 4 }], ['code', 'bottleneck', { form: 'conv', size: 4, pool: 1 }], ['up', 'decoder', { layer: 'upconv', filters: 4, upsample: 8 }], ['out', 'output']]));
    expect(r.diagnostics.filter((d) => d.code === 'tensor-too-large').map((d) => [d.nodeId, d.message])).toEqual([['up', expect.stringContaining('its output for one sample would be one tensor of')]]);
  });

  it('accepts the largest dense layer the limit allows', () => {
    // 32,768 × 65,536 = 2^31 values, one past the limit; 32,767 (151 × 217) inputs fit.
    const fits = compile(chainGraph([['in', 'input', { dataset: 'custom', flat: true, height: 151, width: 217, channels: 1 }], ['code', 'bottleneck', { size: 65536 }], ['dec', 'decoder', { units: 32767 }], ['out', 'output']]));
    expect(fits.diagnostics.filter((d) => d.code === 'tensor-too-large')).toEqual([]);
    const over = compile(chainGraph([['in', 'input', { dataset: 'custom', flat: true, height: 128, width: 256, channels: 1 }], ['code', 'bottleneck', { size: 65536 }], ['dec', 'decoder', { units: 32768 }], ['out', 'output']]));
    expect(over.diagnostics.filter((d) => d.code === 'tensor-too-large').map((d) => d.nodeId)).toEqual(['code', 'dec']);
  });
});
