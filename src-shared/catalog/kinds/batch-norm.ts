/** Batch normalisation: normalises each channel (or feature) by batch statistics while training, by moving ones after. */
import { defineNodeKind } from '../node-kind';

export const batchNormKind = defineNodeKind({
  kind: 'batchNorm',
  title: 'Batch norm',
  description: 'Normalises each channel with the batch\'s mean and variance while training, and their moving averages at inference and in exports; then a learned scale and shift.',
  category: 'training',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {
    momentum: { type: 'float', label: 'Momentum', help: 'How much of the moving statistics each batch keeps (Keras: 0.99).', default: 0.99, min: 0, max: 0.999 },
    epsilon: { type: 'float', label: 'Epsilon', help: 'Added to the variance before its square root.', default: 0.001, min: 1e-6, max: 1 },
  },
  inputForm: () => 'any',
  build(_input, p) {
    return { ok: true, layers: [{ type: 'batchNormalization', momentum: p.momentum, epsilon: p.epsilon }] };
  },
});
