/** Ops that resample an image without weights: pooling down, upsampling up. */
import { z } from 'zod';
import { fail, needsImage } from '../layer-op';
import type { LayerOpDef } from '../layer-op';
import { zDim } from '../op-params';

const none = () => 0;

/** Parameters of maxPooling2d: the square pool, also its stride. */
export const maxPooling2dParams = z.object({ type: z.literal('maxPooling2d'), poolSize: zDim });
/** Parameters of upSampling2d: the factor on both axes. */
export const upSampling2dParams = z.object({ type: z.literal('upSampling2d'), size: zDim });

/** Max pooling with stride equal to the pool size; "valid" (floors, dropping a last partial row or column). */
export const maxPooling2dOp: LayerOpDef<'maxPooling2d'> = {
  role: 'fixed',
  example: { op: { type: 'maxPooling2d', poolSize: 2 }, input: [4, 6, 2] },
  infer(op, input) {
    const bad = needsImage(op.type, input);
    if (bad) return bad;
    const [h, w, c] = input;
    const oh = Math.floor(h / op.poolSize);
    const ow = Math.floor(w / op.poolSize);
    if (oh < 1 || ow < 1) return fail(`pooling by ${op.poolSize} does not fit a ${h}×${w} input`, 'Use a smaller pool size or fewer downsampling layers before this one.');
    const warning = h % op.poolSize !== 0 || w % op.poolSize !== 0
      ? `pooling a ${h}×${w} input by ${op.poolSize} drops the last ${h % op.poolSize || w % op.poolSize} row(s)/column(s) (→ ${oh}×${ow}); a decoder upsampling by ${op.poolSize} gets ${oh * op.poolSize}×${ow * op.poolSize}, not ${h}×${w}`
      : undefined;
    return { ok: true, outputShape: [oh, ow, c], paramCount: 0, warning };
  },
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 1,
  keras: { cls: 'layers.MaxPooling2D', args: (l) => `${l.poolSize}` },
};

/** Nearest-neighbour upsampling by an integer factor. */
export const upSampling2dOp: LayerOpDef<'upSampling2d'> = {
  role: 'fixed',
  example: { op: { type: 'upSampling2d', size: 2 }, input: [2, 3, 2] },
  infer(op, input) {
    const bad = needsImage(op.type, input);
    if (bad) return bad;
    const [h, w, c] = input;
    return { ok: true, outputShape: [h * op.size, w * op.size, c], paramCount: 0 };
  },
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 1,
  keras: { cls: 'layers.UpSampling2D', args: (l) => `${l.size}, interpolation='nearest'` },
};
