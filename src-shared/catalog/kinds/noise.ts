/** Corrupts the input while training only, so the network learns to denoise (the target stays clean). */
import type { LayerOp } from '../../compiler/model-spec';
import { defineNodeKind } from '../node-kind';

export const noiseKind = defineNodeKind({
  kind: 'noise',
  title: 'Noise',
  description: 'Corrupts its input while training only (identity at inference and in exports); the loss still compares with the clean input.',
  category: 'training',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {
    gaussianStd: { type: 'float', label: 'Gaussian σ', help: 'Standard deviation of added Gaussian noise (0 = off).', default: 0.3, min: 0, max: 10 },
    maskRate: { type: 'float', label: 'Masking p', help: 'Probability of setting each value to 0 (0 = off).', default: 0, min: 0, max: 0.99 },
    saltPepperRate: { type: 'float', label: 'Salt & pepper p', help: 'Probability of setting each value to 0 or 1 (0 = off).', default: 0, min: 0, max: 0.99 },
  },
  inputForm: () => 'any',
  build(_input, p) {
    const layers: LayerOp[] = [];
    if (p.gaussianStd > 0) layers.push({ type: 'gaussianNoise', stddev: p.gaussianStd });
    if (p.maskRate > 0) layers.push({ type: 'maskingNoise', rate: p.maskRate });
    if (p.saltPepperRate > 0) layers.push({ type: 'saltPepperNoise', rate: p.saltPepperRate });
    if (layers.length === 0) {
      return { ok: true, layers, warnings: [{ param: 'gaussianStd', message: 'every noise level is 0, so this node does nothing', hint: 'Set Gaussian σ, masking p or salt & pepper p above 0, or delete the node.' }] };
    }
    return { ok: true, layers };
  },
});
