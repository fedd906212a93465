/**
 * The variational autoencoder's sampling layer. It takes two inputs, the
 * heads on the layer before the code: the mean μ and the log variance log σ²
 * of q(z|x). While training it draws the code by reparameterisation,
 * z = μ + exp(½·log σ²)·ε with ε ~ N(0, I), so the gradient reaches both
 * heads; at inference and in every export the code is μ (its first input).
 * Its KL term β·KL(q(z|x) ‖ N(0, I)) joins the loss; the reconstruction term
 * of a spec with this layer is summed over the values of a sample (as Keras's
 * VAE example), so that with β = 1 the loss is the negative ELBO.
 */
import { z } from 'zod';
import { formatShape } from '../../graph/types';
import { fail } from '../layer-op';
import type { LayerOpDef, OpOf } from '../layer-op';

/**
 * Parameters of sampling: β, the weight of the KL term (1 = the ELBO; more
 * pushes the code toward the prior), and the epochs over which β rises
 * linearly from 0 (0 = β from the first epoch).
 */
export const samplingParams = z.object({ type: z.literal('sampling'), beta: z.number().nonnegative(), warmupEpochs: z.number().int().nonnegative() });

/**
 * The KL weight of epoch `epoch` (1-based): β·min(1, epoch / warm-up), so it
 * rises by β/N each epoch and reaches β at epoch N (no epoch trains with β = 0,
 * which would leave the code's variance untrained); β throughout without a warm-up.
 */
export function betaAtEpoch(op: Pick<OpOf<'sampling'>, 'beta' | 'warmupEpochs'>, epoch: number): number {
  if (op.warmupEpochs <= 0) return op.beta;
  return op.beta * Math.min(1, epoch / op.warmupEpochs);
}

/** The sampling layer of a model's layers (a VAE has one, made by the variational bottleneck), or null. */
export function samplingLayerOf<L extends { type: string }>(layers: readonly L[]): Extract<L, { type: 'sampling' }> | null {
  return (layers.find((l) => l.type === 'sampling') as Extract<L, { type: 'sampling' }> | undefined) ?? null;
}

/** Samples the code from the heads μ and log σ² while training; μ otherwise. */
export const samplingOp: LayerOpDef<'sampling'> = {
  role: 'sampling',
  takesMany: true,
  example: { op: { type: 'sampling', beta: 1, warmupEpochs: 0 }, input: [3] }, // μ = log σ² = the input
  infer(_op, input, inputs) {
    const [mu, logVar] = inputs;
    if (inputs.length !== 2 || mu.length !== 1 || logVar.length !== 1 || mu[0] !== logVar[0]) {
      return fail(`sampling takes two vectors of one size, μ and log σ², but gets ${inputs.map(formatShape).join(' and ') || formatShape(input)}`, 'Use a variational bottleneck: it makes the two heads the sampling layer takes.');
    }
    return { ok: true, outputShape: [...mu], paramCount: 0 };
  },
  kernelValues: () => 0,
  forwardMacs: () => 0,
  // The helper threads are not told the epoch, so a warm-up's changing β stays on the one thread that knows it.
  wholeBatchReason: (l) => (l.warmupEpochs > 0 ? 'the KL weight β changes per epoch during its warm-up' : null),
  keptPerOutput: () => 3, // ε, σ and the code
  keras: { cls: 'Sampling', args: (l) => `beta=${l.beta}` },
  kerasPrelude: `class Sampling(layers.Layer):
    """z = mean + exp(log_var / 2) * eps while training, the mean otherwise; adds beta * KL(q(z|x) || N(0, I)) to the loss.

    It takes the two heads: [mean, log_var].
    """

    def __init__(self, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.beta = beta
        self.seed = keras.random.SeedGenerator(1337)

    def call(self, inputs, training=False):
        mean, log_var = inputs
        if not training:
            return mean
        kl = -0.5 * ops.sum(1 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1)
        self.add_loss(self.beta * ops.mean(kl))
        return mean + ops.exp(0.5 * log_var) * keras.random.normal(ops.shape(mean), seed=self.seed)

    def get_config(self):
        return {**super().get_config(), 'beta': self.beta}`,
};
