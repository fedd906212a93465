/** The data-parallel plan: arithmetic per template, and which runs split. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import { chainGraph } from '../../../tests/helpers/graphs';
import { templateSpec } from '../../../tests/helpers/specs';
import { forwardMacsPerSample, planSplit, stepFlop } from './split-plan';

describe('split plan', () => {
  it('counts multiply-adds per sample: dense in × out, convolutions per output pixel, transposed ones per input pixel', () => {
    expect(forwardMacsPerSample(templateSpec('vanilla').spec)).toBe(784 * 64 + 64 * 784);
    expect(forwardMacsPerSample(templateSpec('multilayer').spec)).toBe(784 * 128 + 128 * 32 + 32 * 128 + 128 * 784);
    // conv 1→16 at 28², conv 16→8 at 14², transposed 8→8 from 7², transposed 8→16 from 14², conv 16→1 at 28² (3×3 kernels).
    expect(forwardMacsPerSample(templateSpec('convolutional').spec)).toBe(9 * (1 * 16 * 784 + 16 * 8 * 196 + 8 * 8 * 49 + 8 * 16 * 196 + 16 * 1 * 784));
    expect(stepFlop(templateSpec('vanilla').spec, 128)).toBe(6 * 100_352 * 128);
    // A graph: the layers after each concat convolve the joined channels (32 = 16 decoded + 16 skipped, then 8 + 8).
    // conv 1→8 and 8→16 at 28², conv 16→8 at 14², transposed 8→16 from 7², 32→8 from 14² (2×2), conv 16→1 at 28².
    expect(forwardMacsPerSample(templateSpec('unet-denoising').spec)).toBe(9 * (1 * 8 * 784 + 8 * 16 * 784 + 16 * 8 * 196 + 16 * 1 * 784) + 4 * (8 * 16 * 49 + 32 * 8 * 196));
  });

  it('splits the convolutional template on two threads, keeps the dense ones on one, and never splits on one core', () => {
    expect(planSplit(templateSpec('convolutional').spec, 128, 'wasm', 2).threads).toBe(2);
    // 0.54 GFLOP a step: two threads' worth even on eight cores; a batch of 512 is worth four.
    expect(planSplit(templateSpec('convolutional').spec, 128, 'wasm', 8).threads).toBe(2);
    expect(planSplit(templateSpec('convolutional').spec, 512, 'wasm', 8).threads).toBe(4);
    expect(planSplit(templateSpec('vanilla').spec, 128, 'wasm', 2)).toMatchObject({ threads: 1, reason: expect.stringMatching(/too little arithmetic/) });
    expect(planSplit(templateSpec('multilayer').spec, 128, 'wasm', 2).threads).toBe(1);
    expect(planSplit(templateSpec('convolutional').spec, 128, 'wasm', 1).threads).toBe(1);
    expect(planSplit(templateSpec('convolutional').spec, 128, 'cpu', 2).threads).toBe(2);
  });

  it('leaves tfjs-node and the KL penalty on one thread, and honours an explicit thread count up to the batch size', () => {
    expect(planSplit(templateSpec('convolutional').spec, 128, 'node', 8)).toMatchObject({ threads: 1, reason: expect.stringMatching(/tfjs-node/) });
    const kl = compile(chainGraph([
      ['in', 'input'],
      ['code', 'bottleneck', { size: 16, activation: 'sigmoid' }],
      ['reg', 'regularizer', { klBeta: 1 }],
      ['dec', 'decoder', { units: 784, activation: 'sigmoid' }],
      ['out', 'output'],
    ]));
    if (!kl.ok) throw new Error(kl.diagnostics.map((d) => d.message).join('; '));
    expect(planSplit(kl.spec, 128, 'wasm', 4, 4)).toMatchObject({ threads: 1, reason: expect.stringMatching(/KL/) });
    expect(planSplit(templateSpec('vanilla').spec, 128, 'wasm', 2, 3)).toMatchObject({ threads: 3, reason: 'as asked' });
    expect(planSplit(templateSpec('vanilla').spec, 2, 'wasm', 2, 3).threads).toBe(2);
  });
});
