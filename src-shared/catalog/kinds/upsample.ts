/** Upsampling on its own (the decoder's upconv pairs it with a convolution). */
import { defineNodeKind } from '../node-kind';
import { asInterpolation, interpolationParam } from './common';

export const upsampleKind = defineNodeKind({
  kind: 'upsample',
  title: 'Upsample',
  description: 'Enlarges an image by a whole factor: nearest copies each value, bilinear blends neighbours.',
  category: 'decode',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {
    size: { type: 'int', label: 'Factor', help: 'Height and width are multiplied by it.', default: 2, min: 2, max: 8 },
    interpolation: interpolationParam(),
  },
  inputForm: () => 'image',
  build(_input, p) {
    return { ok: true, layers: [{ type: 'upSampling2d', size: p.size, interpolation: asInterpolation(p.interpolation) }] };
  },
});
