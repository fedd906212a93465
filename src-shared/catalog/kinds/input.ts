/** The data entering the autoencoder, and the shape every reconstruction must match. */
import { BUILTIN_DATASETS, CUSTOM_DATASET_ID, findBuiltinDataset } from '../../datasets/builtin';
import { defineNodeKind } from '../node-kind';

export const inputKind = defineNodeKind({
  kind: 'input',
  title: 'Input',
  description: 'The samples fed in; the output must reconstruct this shape.',
  category: 'data',
  role: 'input',
  ports: { inputs: 0, outputs: 1 },
  params: {
    dataset: {
      type: 'enum',
      label: 'Dataset',
      help: 'A built-in dataset, or "custom" for one imported in the training panel.',
      default: 'mnist',
      options: [...BUILTIN_DATASETS.map((d) => d.id), CUSTOM_DATASET_ID],
    },
    height: { type: 'int', label: 'Height', help: 'Rows per sample (1 for tabular data).', default: 28, min: 1, max: 4096 },
    width: { type: 'int', label: 'Width', help: 'Columns per sample (the feature count for tabular data).', default: 28, min: 1, max: 4096 },
    channels: { type: 'int', label: 'Channels', help: '1 for grayscale, 3 for RGB.', default: 1, min: 1, max: 4 },
    flat: { type: 'bool', label: 'Flat vector', help: 'Treat each sample as a vector (tabular data) instead of an image.', default: false },
  },
  inputForm: () => 'any',
  sourceShape: (p) => (p.flat ? [p.height * p.width * p.channels] : [p.height, p.width, p.channels]),
  build(_input, p) {
    const builtin = findBuiltinDataset(p.dataset);
    if (builtin) {
      const [h, w, c] = builtin.shape;
      if (p.height !== h || p.width !== w || p.channels !== c) {
        return {
          ok: false,
          param: 'height',
          message: `${builtin.title} samples are ${h}×${w}×${c}, but the input says ${p.height}×${p.width}×${p.channels}`,
          hint: `Set height ${h}, width ${w}, channels ${c}, or choose another dataset.`,
        };
      }
    }
    return { ok: true, layers: [] };
  },
});
