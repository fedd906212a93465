/** The reconstruction: its final activation and the loss against the clean input. */
import { defineNodeKind } from '../node-kind';
import { asActivation } from './common';

export const outputKind = defineNodeKind({
  kind: 'output',
  title: 'Output',
  description: 'The reconstruction: must have the input\'s shape; sets the final activation and the loss.',
  category: 'output',
  role: 'output',
  ports: { inputs: 1, outputs: 0 },
  params: {
    activation: { type: 'enum', label: 'Activation', help: 'sigmoid for data in [0, 1] (images); linear for standardised data.', default: 'sigmoid', options: ['sigmoid', 'linear'] },
    loss: { type: 'enum', label: 'Loss', help: 'MSE (mean squared error) or BCE (binary cross-entropy, needs sigmoid).', default: 'mse', options: ['mse', 'bce'] },
  },
  inputForm: () => 'any',
  build(_input, p) {
    if (p.loss === 'bce' && p.activation !== 'sigmoid') {
      return { ok: false, param: 'loss', message: 'BCE needs outputs between 0 and 1, but the activation is linear', hint: 'Set the activation to sigmoid, or use MSE.' };
    }
    return { ok: true, layers: p.activation === 'linear' ? [] : [{ type: 'activation', activation: asActivation(p.activation) }] };
  },
});
