/**
 * Adds penalties to the loss without changing the forward pass: L1 on the
 * activations through it (sparse autoencoder), KL sparsity towards a target
 * mean activation, and L2 on the kernel of the layer just upstream.
 */
import { defineNodeKind } from '../node-kind';

export const regularizerKind = defineNodeKind({
  kind: 'regularizer',
  title: 'Regularizer',
  description: 'Identity in the forward pass; adds L1 activity, KL sparsity and L2 weight penalties to the loss.',
  category: 'training',
  role: 'layer',
  ports: { inputs: 1, outputs: 1 },
  params: {
    l1: { type: 'float', label: 'L1 activity λ', help: 'λ·Σ|a| of the activations through this node, averaged over the batch (0 = off).', default: 1e-5, min: 0, max: 10 },
    l2: { type: 'float', label: 'L2 weight λ', help: 'λ·Σw² on the kernel of the layer just upstream (0 = off).', default: 0, min: 0, max: 10 },
    klRho: { type: 'float', label: 'KL target ρ', help: 'Target mean activation of each unit for KL sparsity.', default: 0.05, min: 0.001, max: 0.999 },
    klBeta: { type: 'float', label: 'KL weight β', help: 'Weight of Σ KL(ρ‖mean activation) in the loss (0 = off); needs sigmoid activations.', default: 0, min: 0, max: 100 },
  },
  inputForm: () => 'any',
  build(_input, p, { previousTrainable }) {
    if (p.l2 > 0 && !previousTrainable) {
      return { ok: false, param: 'l2', message: 'L2 weight λ has no layer with weights upstream to act on', hint: 'Move the regularizer after an encoder, bottleneck or decoder, or set L2 to 0.' };
    }
    if (p.klBeta > 0) {
      const act = previousTrainable && 'activation' in previousTrainable ? previousTrainable.activation : undefined;
      if (act !== 'sigmoid') {
        return {
          ok: false,
          param: 'klBeta',
          message: `KL sparsity needs activations between 0 and 1, but the layer upstream uses ${act ?? 'no'} activation`,
          hint: 'Set the upstream layer\'s activation to sigmoid, or use L1 activity instead (KL weight β = 0).',
        };
      }
    }
    const warnings = p.l1 === 0 && p.l2 === 0 && p.klBeta === 0
      ? [{ param: 'l1', message: 'every penalty is 0, so this node does nothing', hint: 'Set L1 activity λ, L2 weight λ or KL weight β above 0, or delete the node.' }]
      : undefined;
    const layers = p.l1 > 0 || p.klBeta > 0 ? [{ type: 'activityRegularizer' as const, l1: p.l1, klRho: p.klRho, klBeta: p.klBeta }] : [];
    return { ok: true, layers, upstreamKernelL2: p.l2, warnings };
  },
});
