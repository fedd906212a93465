/** A layer that maps the input towards the code: dense, or convolution with optional pooling. */
import type { LayerOp } from '../../compiler/model-spec';
import { defineNodeKind } from '../node-kind';
import { activationOf, activationParam, alphaParam, asPadding, filtersParam, kernelParam, paddingParam, poolModeParam, poolPaddingParam, poolingAfterConv, unitsParam } from './common';

const conv = { param: 'layer', oneOf: ['conv'] } as const;

export const encoderKind = defineNodeKind({
  kind: 'encoder',
  title: 'Encoder',
  description: 'Compresses: a dense layer, or a convolution with optional max or average pooling.',
  category: 'encode',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {
    layer: { type: 'enum', label: 'Layer', help: 'Dense for vectors; conv for images (keeps the spatial layout).', default: 'dense', options: ['dense', 'conv'] },
    units: unitsParam(128, 'Width of the dense layer.', { param: 'layer', oneOf: ['dense'] }),
    filters: filtersParam(16, conv),
    kernel: kernelParam(conv),
    stride: { type: 'int', label: 'Stride', help: 'Step of the kernel; 2 halves the size.', default: 1, min: 1, max: 8, visibleWhen: conv },
    padding: paddingParam(conv),
    pool: { type: 'int', label: 'Pool', help: 'Pooling factor after the convolution (1 = no pooling).', default: 2, min: 1, max: 8, visibleWhen: conv },
    poolMode: poolModeParam(conv),
    poolPadding: poolPaddingParam(conv),
    activation: activationParam('relu'),
    alpha: alphaParam,
  },
  inputForm: (p) => (p.layer === 'conv' ? 'image' : 'vector'),
  build(_input, p) {
    const activation = activationOf(p);
    if (p.layer !== 'conv') return { ok: true, layers: [{ type: 'dense', units: p.units, ...activation }] };
    const layers: LayerOp[] = [{ type: 'conv2d', filters: p.filters, kernelSize: p.kernel, strides: p.stride, padding: asPadding(p.padding), ...activation }];
    const pooling = poolingAfterConv(p);
    if (pooling) layers.push(pooling);
    return { ok: true, layers };
  },
});
