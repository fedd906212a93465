/**
 * Ops that join two or more tensors into one (the `merge` node kind): the
 * only ops that take several inputs. `add` and `multiply` need equal shapes;
 * `concatenate` joins along the last axis (channels of an image, features of
 * a vector), so every other axis must agree.
 */
import { z } from 'zod';
import { formatShape } from '../../graph/types';
import type { Shape } from '../../graph/types';
import type { LayerInference, LayerOpDef } from '../layer-op';

const none = () => 0;

/** Parameters of add: none (element-wise sum of equal shapes). */
export const addParams = z.object({ type: z.literal('add') });
/** Parameters of concatenate: none (joins along the last axis). */
export const concatenateParams = z.object({ type: z.literal('concatenate') });
/** Parameters of multiply: none (element-wise product of equal shapes). */
export const multiplyParams = z.object({ type: z.literal('multiply') });

/** Where the inputs of a merge disagree: the index of the input that differs from the first, and why. */
export interface MergeMismatch {
  index: number;
  message: string;
  hint: string;
}

const axisName = (shape: Shape, axis: number): string =>
  (shape.length === 3 ? ['height', 'width', 'channel'][axis] : 'feature') + ` (axis ${axis + 1})`;

/**
 * The output shape of merging `inputs` by `mode`, or the first input that
 * disagrees with the first one (both shapes and the axis, for the diagnostic).
 */
export function mergeShapes(mode: 'add' | 'concatenate' | 'multiply', inputs: readonly Shape[]): { ok: true; shape: number[] } | ({ ok: false } & MergeMismatch) {
  const [first] = inputs;
  if (inputs.length < 2) return { ok: false, index: 0, message: `a merge needs two or more inputs but has ${inputs.length}`, hint: 'Connect a second branch into it, or delete it.' };
  let channels = first[first.length - 1];
  for (let i = 1; i < inputs.length; i++) {
    const s = inputs[i];
    if (s.length !== first.length) {
      return { ok: false, index: i, message: `input ${i + 1} is ${formatShape(s)} but input 1 is ${formatShape(first)}: one is ${s.length === 1 ? 'a vector' : 'an image'}, the other ${first.length === 1 ? 'a vector' : 'an image'}`, hint: 'Merge branches of the same kind: flatten the image branch with a dense layer, or reshape the vector branch.' };
    }
    const last = s.length - 1;
    const axis = mode === 'concatenate' ? s.findIndex((v, a) => a < last && v !== first[a]) : s.findIndex((v, a) => v !== first[a]);
    if (axis >= 0) {
      const rule = mode === 'concatenate' ? 'concat needs every axis but the last to agree' : `${mode} needs equal shapes`;
      return { ok: false, index: i, message: `input ${i + 1} is ${formatShape(s)} but input 1 is ${formatShape(first)}: they differ on the ${axisName(s, axis)}, and ${rule}`, hint: mode === 'concatenate' ? 'Pool, upsample or pad one branch so their sizes agree.' : 'Give both branches the same filters or units, and the same size; or concatenate instead.' };
    }
    channels += s[last];
  }
  if (mode !== 'concatenate') return { ok: true, shape: [...first] };
  return { ok: true, shape: [...first.slice(0, -1), channels] };
}

const mergeInfer = (mode: 'add' | 'concatenate' | 'multiply') => (_op: unknown, input: Shape, inputs: readonly Shape[] = [input]): LayerInference => {
  const r = mergeShapes(mode, inputs);
  return r.ok ? { ok: true, outputShape: r.shape, paramCount: 0 } : { ok: false, message: r.message, hint: r.hint, inputIndex: r.index };
};

/** Element-wise sum of equal shapes (residual connections). */
export const addOp: LayerOpDef<'add'> = {
  role: 'fixed',
  takesMany: true,
  example: { op: { type: 'add' }, input: [2, 2, 3] },
  infer: mergeInfer('add'),
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: none, // its gradient is the incoming one, passed to each input
  keras: { cls: 'layers.Add', args: () => '' },
};

/** Joins along the last axis (U-Net skip connections). */
export const concatenateOp: LayerOpDef<'concatenate'> = {
  role: 'fixed',
  takesMany: true,
  example: { op: { type: 'concatenate' }, input: [2, 2, 3] },
  infer: mergeInfer('concatenate'),
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 1, // a new tensor; its gradient is sliced back apart
  keras: { cls: 'layers.Concatenate', args: () => '' },
};

/** Element-wise product of equal shapes (gating). */
export const multiplyOp: LayerOpDef<'multiply'> = {
  role: 'fixed',
  takesMany: true,
  example: { op: { type: 'multiply' }, input: [6] },
  infer: mergeInfer('multiply'),
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 1, // the product; each input's gradient needs the other inputs, which their producers keep
  keras: { cls: 'layers.Multiply', args: () => '' },
};
