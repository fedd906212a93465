/** Dropout: zeroes values at random while training only (identity at inference and in exports). */
import { defineNodeKind } from '../node-kind';

export const dropoutKind = defineNodeKind({
  kind: 'dropout',
  title: 'Dropout',
  description: 'While training, zeroes each value with probability p and scales the rest by 1/(1 − p); identity at inference and in exports.',
  category: 'training',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {
    rate: { type: 'float', label: 'Rate p', help: 'Probability of dropping each value.', default: 0.2, min: 0, max: 0.95 },
  },
  inputForm: () => 'any',
  build(_input, p) {
    if (p.rate === 0) return { ok: true, layers: [], warnings: [{ param: 'rate', message: 'the rate is 0, so this node does nothing', hint: 'Set the rate above 0, or delete the node.' }] };
    return { ok: true, layers: [{ type: 'dropout', rate: p.rate }] };
  },
});
