/** The code: the narrowest point, whose output is the latent representation. */
import type { LayerOp } from '../../compiler/model-spec';
import { defineNodeKind } from '../node-kind';
import { activationOf, activationParam, alphaParam, kernelParam, poolModeParam, poolPaddingParam, poolingAfterConv } from './common';

const conv = { param: 'form', oneOf: ['conv'] } as const;

export const bottleneckKind = defineNodeKind({
  kind: 'bottleneck',
  title: 'Bottleneck',
  description: 'The latent code: a dense vector, or a small feature map for convolutional autoencoders.',
  category: 'code',
  role: 'code',
  ports: { inputs: 1, outputs: 1 },
  params: {
    form: { type: 'enum', label: 'Form', help: 'dense: a vector of `size` values; conv: a feature map of `size` channels (a "same" convolution, then optional pooling).', default: 'dense', options: ['dense', 'conv'] },
    size: { type: 'int', label: 'Latent size', help: 'Values (dense) or channels (conv) in the code.', default: 32, min: 1, max: 65536 },
    kernel: kernelParam(conv),
    pool: { type: 'int', label: 'Pool', help: 'Pooling factor after the convolution (1 = no pooling).', default: 2, min: 1, max: 8, visibleWhen: conv },
    poolMode: poolModeParam(conv),
    poolPadding: poolPaddingParam(conv),
    activation: activationParam('relu'),
    alpha: alphaParam,
  },
  inputForm: (p) => (p.form === 'conv' ? 'image' : 'vector'),
  build(_input, p) {
    const activation = activationOf(p);
    if (p.form !== 'conv') return { ok: true, layers: [{ type: 'dense', units: p.size, ...activation }] };
    const layers: LayerOp[] = [{ type: 'conv2d', filters: p.size, kernelSize: p.kernel, strides: 1, padding: 'same', ...activation }];
    const pooling = poolingAfterConv(p);
    if (pooling) layers.push(pooling);
    return { ok: true, layers };
  },
});
