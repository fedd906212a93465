/** Ops that resample an image without weights: pooling down (max, average, global average), upsampling up. */
import { z } from 'zod';
import type { Shape } from '../../graph/types';
import { fail, needsImage, py } from '../layer-op';
import type { LayerInference, LayerOpDef } from '../layer-op';
import { zDim, zInterpolation, zPadding } from '../op-params';
import { convOutSize } from './weighted';

const none = () => 0;

/**
 * Parameters of maxPooling2d: the square pool, also its stride, and its padding
 * ("valid" floors, "same" rounds up). Specs written before padding existed pooled "valid".
 */
export const maxPooling2dParams = z.object({ type: z.literal('maxPooling2d'), poolSize: zDim, padding: zPadding.default('valid') });
/** Parameters of averagePooling2d: as max pooling's (the mean of each window; "same" averages only the cells inside the image, as TF and Keras do). */
export const averagePooling2dParams = z.object({ type: z.literal('averagePooling2d'), poolSize: zDim, padding: zPadding });
/** Parameters of globalAveragePooling2d: none (an image becomes the vector of its channel means). */
export const globalAveragePooling2dParams = z.object({ type: z.literal('globalAveragePooling2d') });
/**
 * Parameters of upSampling2d: the factor on both axes and the interpolation.
 * Bilinear samples at pixel centres (TF2's and Keras 3's resize); specs written before it existed upsampled nearest.
 */
export const upSampling2dParams = z.object({ type: z.literal('upSampling2d'), size: zDim, interpolation: zInterpolation.default('nearest') });

/** Shape rule of a pooling with stride equal to its pool size, as Keras computes it. */
function poolShape(type: 'maxPooling2d' | 'averagePooling2d', op: { poolSize: number; padding: 'same' | 'valid' }, input: Shape): LayerInference {
  const bad = needsImage(type, input);
  if (bad) return bad;
  const [h, w, c] = input;
  const p = op.poolSize;
  const oh = convOutSize(h, p, p, op.padding);
  const ow = convOutSize(w, p, p, op.padding);
  if (oh < 1 || ow < 1) return fail(`pooling by ${p} with padding "valid" does not fit a ${h}×${w} input`, 'Use padding "same", a smaller pool size or fewer downsampling layers before this one.');
  // "same" keeps every row (the last window is partial), so only "valid" loses data worth a warning; the output check catches a size mismatch either way.
  const warning = op.padding === 'valid' && (h % p !== 0 || w % p !== 0)
    ? `pooling a ${h}×${w} input by ${p} drops the last ${h % p || w % p} row(s)/column(s) (→ ${oh}×${ow}); a decoder upsampling by ${p} gets ${oh * p}×${ow * p}, not ${h}×${w}. Pool padding "same" keeps them (→ ${Math.ceil(h / p)}×${Math.ceil(w / p)}).`
    : undefined;
  return { ok: true, outputShape: [oh, ow, c], paramCount: 0, warning };
}

/** Max pooling with stride equal to the pool size; "valid" floors (dropping a last partial row or column), "same" rounds up. */
export const maxPooling2dOp: LayerOpDef<'maxPooling2d'> = {
  role: 'fixed',
  example: { op: { type: 'maxPooling2d', poolSize: 2, padding: 'same' }, input: [5, 6, 2] },
  infer: (op, input) => poolShape(op.type, op, input),
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 1,
  keras: { cls: 'layers.MaxPooling2D', args: (l) => `${l.poolSize}, padding=${py(l.padding)}` },
};

/** Average pooling with stride equal to the pool size. */
export const averagePooling2dOp: LayerOpDef<'averagePooling2d'> = {
  role: 'fixed',
  example: { op: { type: 'averagePooling2d', poolSize: 2, padding: 'same' }, input: [5, 6, 2] },
  infer: (op, input) => poolShape(op.type, op, input),
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 1,
  keras: { cls: 'layers.AveragePooling2D', args: (l) => `${l.poolSize}, padding=${py(l.padding)}` },
};

/** The mean of each channel over the whole image: height×width×c → c. */
export const globalAveragePooling2dOp: LayerOpDef<'globalAveragePooling2d'> = {
  role: 'fixed',
  example: { op: { type: 'globalAveragePooling2d' }, input: [3, 4, 5] },
  infer(op, input) {
    const bad = needsImage(op.type, input);
    if (bad) return bad;
    return { ok: true, outputShape: [input[2]], paramCount: 0 };
  },
  kernelValues: none,
  forwardMacs: none,
  wholeBatchReason: () => null,
  keptPerOutput: () => 1,
  keras: { cls: 'layers.GlobalAveragePooling2D', args: () => '' },
};

/** Upsampling by an integer factor: nearest neighbour, or bilinear at pixel centres. */
export const upSampling2dOp: LayerOpDef<'upSampling2d'> = {
  role: 'fixed',
  example: { op: { type: 'upSampling2d', size: 2, interpolation: 'bilinear' }, input: [2, 3, 2] },
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
  keras: { cls: 'layers.UpSampling2D', args: (l) => `${l.size}, interpolation=${py(l.interpolation)}` },
};
