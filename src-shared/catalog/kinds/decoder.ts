/** A layer that maps the code back towards the input: dense, transposed convolution, or upsample + convolution. */
import type { LayerOp } from '../../compiler/model-spec';
import { defineNodeKind } from '../node-kind';
import { activationOf, activationParam, alphaParam, asInterpolation, asPadding, filtersParam, interpolationParam, kernelParam, paddingParam, unitsParam } from './common';

const spatial = { param: 'layer', oneOf: ['deconv', 'upconv'] } as const;

export const decoderKind = defineNodeKind({
  kind: 'decoder',
  title: 'Decoder',
  description: 'Expands: a dense layer, a transposed convolution, or upsampling followed by a convolution.',
  category: 'decode',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {
    layer: {
      type: 'enum',
      label: 'Layer',
      help: 'dense for vectors; deconv (transposed convolution) or upconv (upsample, then convolve) for images.',
      default: 'dense',
      options: ['dense', 'deconv', 'upconv'],
    },
    units: unitsParam(128, 'Width of the dense layer; the last decoder needs as many units as the input has values.', { param: 'layer', oneOf: ['dense'] }),
    filters: filtersParam(16, spatial),
    kernel: kernelParam(spatial),
    stride: { type: 'int', label: 'Stride', help: 'Upscaling factor of the transposed convolution.', default: 2, min: 1, max: 8, visibleWhen: { param: 'layer', oneOf: ['deconv'] } },
    upsample: { type: 'int', label: 'Upsample', help: 'Upsampling factor before the convolution (1 = none).', default: 2, min: 1, max: 8, visibleWhen: { param: 'layer', oneOf: ['upconv'] } },
    interpolation: interpolationParam({ param: 'layer', oneOf: ['upconv'] }, 'Upsampling'),
    padding: paddingParam(spatial),
    activation: activationParam('relu'),
    alpha: alphaParam,
  },
  inputForm: (p) => (p.layer === 'dense' ? 'vector' : 'image'),
  build(_input, p) {
    const activation = activationOf(p);
    const padding = asPadding(p.padding);
    if (p.layer === 'deconv') {
      return { ok: true, layers: [{ type: 'conv2dTranspose', filters: p.filters, kernelSize: p.kernel, strides: p.stride, padding, ...activation }] };
    }
    if (p.layer === 'upconv') {
      const layers: LayerOp[] = [];
      if (p.upsample > 1) layers.push({ type: 'upSampling2d', size: p.upsample, interpolation: asInterpolation(p.interpolation) });
      layers.push({ type: 'conv2d', filters: p.filters, kernelSize: p.kernel, strides: 1, padding, ...activation });
      return { ok: true, layers };
    }
    return { ok: true, layers: [{ type: 'dense', units: p.units, ...activation }] };
  },
});
