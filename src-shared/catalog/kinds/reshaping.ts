/**
 * Flatten and reshape placed by hand. The compiler inserts them by itself
 * where a dense layer meets an image or the reverse; these are for people who
 * want the change of shape where they put it.
 */
import { defineNodeKind } from '../node-kind';

export const flattenKind = defineNodeKind({
  kind: 'flatten',
  title: 'Flatten',
  description: 'Turns an image (height×width×channels) into a vector of its values, in row order.',
  category: 'encode',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {},
  inputForm: () => 'any',
  build() {
    return { ok: true, layers: [{ type: 'flatten' }] };
  },
});

export const reshapeKind = defineNodeKind({
  kind: 'reshape',
  title: 'Reshape',
  description: 'Arranges its input\'s values as an image of the given height, width and channels (as many values as it gets).',
  category: 'decode',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {
    height: { type: 'int', label: 'Height', help: 'Rows of the image.', default: 7, min: 1, max: 4096 },
    width: { type: 'int', label: 'Width', help: 'Columns of the image.', default: 7, min: 1, max: 4096 },
    channels: { type: 'int', label: 'Channels', help: 'Values per pixel.', default: 1, min: 1, max: 4096 },
  },
  inputForm: () => 'any',
  build(_input, p) {
    return { ok: true, layers: [{ type: 'reshape', targetShape: [p.height, p.width, p.channels] }] };
  },
});
