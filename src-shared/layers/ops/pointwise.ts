/**
 * Ops that keep their input's shape and have no weights: an activation, the
 * training-only noise layers and the activity-regularizer point.
 */
import { z } from 'zod';
import type { Shape } from '../../graph/types';
import { pyActivation } from '../layer-op';
import type { LayerInference, LayerOpDef } from '../layer-op';
import { zActivation, zAlpha } from '../op-params';

const same = (_op: unknown, input: Shape): LayerInference => ({ ok: true, outputShape: [...input], paramCount: 0 });
const none = () => 0;

/** Parameters of activation: the function (and leakyRelu's slope). */
export const activationParams = z.object({ type: z.literal('activation'), activation: zActivation, alpha: zAlpha });
/** Adds N(0, stddev²) noise while training; identity at inference. */
export const gaussianNoiseParams = z.object({ type: z.literal('gaussianNoise'), stddev: z.number().nonnegative() });
/** Zeroes each value with probability `rate` while training (no rescaling); identity at inference. */
export const maskingNoiseParams = z.object({ type: z.literal('maskingNoise'), rate: z.number().min(0).max(1) });
/** Sets each value to 0 or 1 (half each) with probability `rate` while training; identity at inference. */
export const saltPepperNoiseParams = z.object({ type: z.literal('saltPepperNoise'), rate: z.number().min(0).max(1) });
/** Zeroes each value with probability `rate` and scales the rest by 1/(1 − rate) while training; identity at inference. */
export const dropoutParams = z.object({ type: z.literal('dropout'), rate: z.number().min(0).lt(1) });
/** Identity in the forward pass; adds l1·mean|a| and β·KL(ρ‖mean a) of its input activations to the loss. */
export const activityRegularizerParams = z.object({ type: z.literal('activityRegularizer'), l1: z.number().nonnegative(), klRho: z.number().gt(0).lt(1), klBeta: z.number().nonnegative() });

/** An activation function on its own (an output activation after a layer that has none to fuse it into). */
export const activationOp: LayerOpDef<'activation'> = {
  role: 'fixed',
  example: { op: { type: 'activation', activation: 'elu' }, input: [2, 2, 3] },
  infer: same,
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 1,
  keras: { cls: 'layers.Activation', args: (l) => pyActivation(l) },
};

/** Adds N(0, stddev²) while training. */
export const gaussianNoiseOp: LayerOpDef<'gaussianNoise'> = {
  role: 'noise',
  example: { op: { type: 'gaussianNoise', stddev: 0.3 }, input: [6] },
  infer: same,
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 2, // the noise and the sum
  keras: { cls: 'layers.GaussianNoise', args: (l) => `${l.stddev}` },
};

/** Zeroes values at random while training (the prelude of the Keras script defines the class). */
export const maskingNoiseOp: LayerOpDef<'maskingNoise'> = {
  role: 'noise',
  example: { op: { type: 'maskingNoise', rate: 0.25 }, input: [2, 2, 1] },
  infer: same,
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 2, // the mask and the product
  keras: { cls: 'MaskingNoise', args: (l) => `${l.rate}` },
  kerasPrelude: `class MaskingNoise(layers.Layer):
    """Zeroes each value with probability \`rate\` while training; identity otherwise."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x, training=False):
        if not training:
            return x
        keep = ops.cast(keras.random.uniform(ops.shape(x)) >= self.rate, x.dtype)
        return x * keep`,
};

/** Dropout: training only, like the noise ops (inference and every export leave it out). */
export const dropoutOp: LayerOpDef<'dropout'> = {
  role: 'noise',
  example: { op: { type: 'dropout', rate: 0.5 }, input: [2, 2, 3] },
  infer: same,
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 2, // the mask and the product
  keras: { cls: 'layers.Dropout', args: (l) => `${l.rate}` },
};

/** Sets values to 0 or 1 at random while training (the prelude of the Keras script defines the class). */
export const saltPepperNoiseOp: LayerOpDef<'saltPepperNoise'> = {
  role: 'noise',
  example: { op: { type: 'saltPepperNoise', rate: 0.2 }, input: [6] },
  infer: same,
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 2,
  keras: { cls: 'SaltPepperNoise', args: (l) => `${l.rate}` },
  kerasPrelude: `class SaltPepperNoise(layers.Layer):
    """Sets each value to 0 or 1 (half each) with probability \`rate\` while training; identity otherwise."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x, training=False):
        if not training:
            return x
        u = keras.random.uniform(ops.shape(x))
        salt = ops.cast(u >= self.rate / 2, x.dtype)
        return ops.where(u < self.rate, salt, x)`,
};

/** Identity forward; its L1 and KL sparsity terms join the loss (in Keras: the previous layer's activity_regularizer). */
export const activityRegularizerOp: LayerOpDef<'activityRegularizer'> = {
  role: 'penalty',
  example: { op: { type: 'activityRegularizer', l1: 0.01, klRho: 0.05, klBeta: 0.5 }, input: [4] },
  infer: same,
  kernelValues: none,
  forwardMacs: none,
  // The KL term compares each unit's mean activation over the batch with ρ.
  wholeBatchReason: (l) => (l.klBeta > 0 ? 'the KL sparsity penalty needs the whole batch at once' : null),
  keptPerOutput: () => 1, // identity; its penalty's temporaries are transient
  keras: {
    argumentOfPrevious: (l) => (l.klBeta > 0
      ? `activity_regularizer=KLSparsity(rho=${l.klRho}, beta=${l.klBeta}, l1=${l.l1})`
      : l.l1 > 0 ? `activity_regularizer=keras.regularizers.L1(${l.l1})` : null),
  },
  kerasPrelude: `class KLSparsity(keras.regularizers.Regularizer):
    """beta * sum_j KL(rho || mean activation of unit j), plus an optional L1 term."""

    def __init__(self, rho, beta, l1=0.0):
        self.rho, self.beta, self.l1 = rho, beta, l1

    def __call__(self, a):
        rho_hat = ops.clip(ops.mean(ops.reshape(a, (ops.shape(a)[0], -1)), axis=0), 1e-7, 1 - 1e-7)
        kl = self.rho * ops.log(self.rho / rho_hat) + (1 - self.rho) * ops.log((1 - self.rho) / (1 - rho_hat))
        return self.beta * ops.sum(kl) + self.l1 * ops.sum(ops.abs(a)) / ops.cast(ops.shape(a)[0], a.dtype)`,
};
