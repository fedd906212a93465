/** The code: the narrowest point, whose output is the latent representation. */
import type { LayerOp } from '../../compiler/model-spec';
import { defineNodeKind } from '../node-kind';
import { activationOf, activationParam, alphaParam, kernelParam, poolModeParam, poolPaddingParam, poolingAfterConv } from './common';

const conv = { param: 'form', oneOf: ['conv'] } as const;
const variational = { param: 'form', oneOf: ['variational'] } as const;

export const bottleneckKind = defineNodeKind({
  kind: 'bottleneck',
  title: 'Bottleneck',
  description: 'The latent code: a dense vector, a small feature map for convolutional autoencoders, or a sampled vector for variational ones.',
  category: 'code',
  role: 'code',
  ports: { inputs: 1, outputs: 1 },
  params: {
    form: {
      type: 'enum',
      label: 'Form',
      help: 'dense: a vector of `size` values; conv: a feature map of `size` channels (a "same" convolution, then optional pooling); variational: heads μ and log σ², the code sampled as μ + σ·ε while training and μ otherwise (a VAE).',
      default: 'dense',
      options: ['dense', 'conv', 'variational'],
    },
    size: { type: 'int', label: 'Latent size', help: 'Values (dense, variational) or channels (conv) in the code.', default: 32, min: 1, max: 65536 },
    kernel: kernelParam(conv),
    pool: { type: 'int', label: 'Pool', help: 'Pooling factor after the convolution (1 = no pooling).', default: 2, min: 1, max: 8, visibleWhen: conv },
    poolMode: poolModeParam(conv),
    poolPadding: poolPaddingParam(conv),
    // β and its warm-up belong to the model, not to the training settings: β-VAE's β decides what the code means
    // (as the regularizer's weights do), so it travels with the graph into templates, runs and the Keras script.
    beta: { type: 'float', label: 'KL weight β', help: 'Weight of KL(q(z|x) ‖ N(0, I)) in the loss: 1 trains the ELBO; more gives a smoother, more disentangled code and blurrier reconstructions.', default: 1, min: 0, max: 1000, visibleWhen: variational },
    warmup: { type: 'int', label: 'β warm-up epochs', help: 'β rises linearly over this many epochs (β/N at epoch 1, β from epoch N), so the code learns to reconstruct before the prior pulls on it (0 = off).', default: 0, min: 0, max: 10000, visibleWhen: variational },
    // The heads of a VAE are linear (a mean and a log variance range over all reals), so it has no activation.
    activation: activationParam('relu', { param: 'form', oneOf: ['dense', 'conv'] }),
    alpha: alphaParam,
  },
  inputForm: (p) => (p.form === 'conv' ? 'image' : 'vector'),
  build(_input, p) {
    if (p.form === 'variational') {
      // Two linear heads on the layer before (as Keras's VAE example's z_mean and z_log_var), and the sampling layer that takes both.
      return {
        ok: true,
        layers: [
          { type: 'dense', units: p.size, activation: 'linear' },
          { type: 'dense', units: p.size, activation: 'linear' },
          { type: 'sampling', beta: p.beta, warmupEpochs: p.warmup },
        ],
        wiring: [{ takes: [-1], suffix: 'mean' }, { takes: [-1], suffix: 'log_var' }, { takes: [0, 1], suffix: '' }],
      };
    }
    const activation = activationOf(p);
    if (p.form !== 'conv') return { ok: true, layers: [{ type: 'dense', units: p.size, ...activation }] };
    const layers: LayerOp[] = [{ type: 'conv2d', filters: p.size, kernelSize: p.kernel, strides: 1, padding: 'same', ...activation }];
    const pooling = poolingAfterConv(p);
    if (pooling) layers.push(pooling);
    return { ok: true, layers };
  },
});
