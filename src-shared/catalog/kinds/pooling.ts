/** Downsampling on its own: max or average pooling, or global average pooling (an image becomes its channel means). */
import { defineNodeKind } from '../node-kind';
import { poolPaddingParam, poolingAfterConv } from './common';

const windowed = { param: 'mode', oneOf: ['max', 'average'] } as const;

export const poolingKind = defineNodeKind({
  kind: 'pooling',
  title: 'Pooling',
  description: 'Downsamples an image: the max or the mean of each window, or each channel\'s mean over the whole image (a vector).',
  category: 'encode',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {
    mode: { type: 'enum', label: 'Mode', help: 'max or average of each size×size window; globalAverage: one mean per channel.', default: 'max', options: ['max', 'average', 'globalAverage'] },
    size: { type: 'int', label: 'Size', help: 'Side of the window, also its stride.', default: 2, min: 2, max: 8, visibleWhen: windowed },
    padding: poolPaddingParam(windowed),
  },
  inputForm: () => 'image',
  build(_input, p) {
    if (p.mode === 'globalAverage') return { ok: true, layers: [{ type: 'globalAveragePooling2d' }] };
    return { ok: true, layers: [poolingAfterConv({ pool: p.size, poolMode: p.mode, poolPadding: p.padding })!] }; // size ≥ 2: never null
  },
});
