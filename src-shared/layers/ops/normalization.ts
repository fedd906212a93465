/**
 * Batch normalisation: while training, each channel (the last axis) is
 * normalised with the batch's mean and variance and the moving statistics
 * follow them; at inference and in every export the moving statistics are
 * used. γ and β are trained; the moving mean and variance are not, so the
 * parameter count (trainable, as Keras' summary counts them) is 2 per channel.
 */
import { z } from 'zod';
import type { LayerOpDef } from '../layer-op';

/** Parameters of batchNormalization: the moving statistics' momentum and the variance's epsilon, with Keras' meanings. */
export const batchNormalizationParams = z.object({ type: z.literal('batchNormalization'), momentum: z.number().min(0).lt(1), epsilon: z.number().positive() });

/** Normalises each channel; γ·x̂ + β. */
export const batchNormalizationOp: LayerOpDef<'batchNormalization'> = {
  role: 'normalization',
  example: { op: { type: 'batchNormalization', momentum: 0.9, epsilon: 0.001 }, input: [3, 2, 4] },
  infer: (_op, input) => ({ ok: true, outputShape: [...input], paramCount: 2 * input[input.length - 1] }),
  kernelValues: () => 0,
  // A scale and a shift per value.
  forwardMacs: (l) => 2 * l.outputShape.reduce((a, b) => a * b, 1),
  wholeBatchReason: () => 'batch normalisation normalises with the mean and variance of the whole batch',
  keptPerOutput: () => 2, // the normalised values and the output
  keras: { cls: 'layers.BatchNormalization', args: (l) => `momentum=${l.momentum}, epsilon=${l.epsilon}` },
};
