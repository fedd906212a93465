/** Ops that change a tensor's shape, not its values: TF.js shares the buffer, so backprop keeps nothing. */
import { z } from 'zod';
import { formatShape, shapeSize } from '../../graph/types';
import { fail, pyTuple } from '../layer-op';
import type { LayerOpDef } from '../layer-op';
import { zShape } from '../op-params';

const none = () => 0;

/** Parameters of flatten: none. */
export const flattenParams = z.object({ type: z.literal('flatten') });
/** Parameters of reshape: the shape to take. */
export const reshapeParams = z.object({ type: z.literal('reshape'), targetShape: zShape });

/** Image → vector, in NHWC order (as TF.js and Keras flatten). */
export const flattenOp: LayerOpDef<'flatten'> = {
  role: 'fixed',
  example: { op: { type: 'flatten' }, input: [3, 2, 2] },
  infer: (_op, input) => ({ ok: true, outputShape: [shapeSize(input)], paramCount: 0 }),
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: none, // a view of its input
  keras: { cls: 'layers.Flatten', args: () => '' },
};

/** Vector → image (or any shape of as many values). */
export const reshapeOp: LayerOpDef<'reshape'> = {
  role: 'fixed',
  example: { op: { type: 'reshape', targetShape: [2, 2, 3] }, input: [12] },
  infer(op, input) {
    if (shapeSize(op.targetShape) !== shapeSize(input)) {
      return fail(`cannot reshape ${formatShape(input)} (${shapeSize(input)} values) to ${formatShape(op.targetShape)} (${shapeSize(op.targetShape)} values)`, 'Make the previous layer produce as many values as the target shape holds.');
    }
    return { ok: true, outputShape: [...op.targetShape], paramCount: 0 };
  },
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: none,
  keras: { cls: 'layers.Reshape', args: (l) => pyTuple(l.targetShape) },
};
