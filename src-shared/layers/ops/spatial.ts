/** Ops that resample an image without weights: pooling down, upsampling up. */
import { z } from 'zod';
import type { Shape } from '../../graph/types';
import { fail, needsImage, py } from '../layer-op';
import type { LayerInference, LayerOpDef } from '../layer-op';
import { zDim, zPadding } from '../op-params';
import { convOutSize } from './weighted';

const none = () => 0;

/**
 * Parameters of maxPooling2d: the square pool, also its stride, and its padding
 * ("valid" floors, "same" rounds up). Specs written before padding existed pooled "valid".
 */
export const maxPooling2dParams = z.object({ type: z.literal('maxPooling2d'), poolSize: zDim, padding: zPadding.default('valid') });
/** Parameters of upSampling2d: the factor on both axes. */
export const upSampling2dParams = z.object({ type: z.literal('upSampling2d'), size: zDim });

/** Shape rule of a pooling with stride equal to its pool size, as Keras computes it. */
function poolShape(type: 'maxPooling2d', op: { poolSize: number; padding: 'same' | 'valid' }, input: Shape): LayerInference {
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
