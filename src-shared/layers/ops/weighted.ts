/**
 * Ops with a kernel and a bias. Shape rules follow Keras: "same" padding gives
 * ceil(in / stride), "valid" gives floor((in - k) / stride) + 1.
 */
import { z } from 'zod';
import { formatShape } from '../../graph/types';
import { fail, needsImage, py, pyActivation, withActivation } from '../layer-op';
import type { LayerOpDef } from '../layer-op';
import { zActivation, zAlpha, zDim, zPadding } from '../op-params';

/** Parameters of dense: its width and activation. */
export const denseParams = z.object({ type: z.literal('dense'), units: zDim, activation: zActivation, alpha: zAlpha });
/** Parameters of conv2d: filters, a square kernel, stride, padding, activation. */
export const conv2dParams = z.object({ type: z.literal('conv2d'), filters: zDim, kernelSize: zDim, strides: zDim, padding: zPadding, activation: zActivation, alpha: zAlpha });
/** Parameters of conv2dTranspose: as conv2d's, the stride upsampling. */
export const conv2dTransposeParams = z.object({ type: z.literal('conv2dTranspose'), filters: zDim, kernelSize: zDim, strides: zDim, padding: zPadding, activation: zActivation, alpha: zAlpha });

/** Output extent of a convolution along one axis. */
export function convOutSize(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

/** Output extent of a transposed convolution along one axis (the inverse of {@link convOutSize}). */
export function deconvOutSize(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? size * stride : (size - 1) * stride + kernel;
}

/** Fully connected: each output unit weighs every input value. */
export const denseOp: LayerOpDef<'dense'> = {
  role: 'weighted',
  example: { op: { type: 'dense', units: 3, activation: 'relu' }, input: [5] },
  infer(op, input) {
    if (input.length !== 1) return fail(`dense needs a flat vector but gets ${formatShape(input)}`, 'The compiler flattens automatically; this layer was placed by hand.');
    return { ok: true, outputShape: [op.units], paramCount: input[0] * op.units + op.units };
  },
  kernelValues: (l) => l.paramCount - l.units,
  forwardMacs: (l) => l.paramCount - l.outputShape[l.outputShape.length - 1],
  wholeBatchReason: () => null,
  keptPerOutput: withActivation, // the output before and after its activation
  keras: { cls: 'layers.Dense', args: (l, reg) => `${l.units}, activation=${pyActivation(l)}${reg}` },
};

/** 2-D convolution over an image. */
export const conv2dOp: LayerOpDef<'conv2d'> = {
  role: 'weighted',
  example: { op: { type: 'conv2d', filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }, input: [5, 4, 2] },
  infer(op, input) {
    const bad = needsImage(op.type, input);
    if (bad) return bad;
    const [h, w, c] = input;
    const oh = convOutSize(h, op.kernelSize, op.strides, op.padding);
    const ow = convOutSize(w, op.kernelSize, op.strides, op.padding);
    if (oh < 1 || ow < 1) {
      return fail(`a ${op.kernelSize}×${op.kernelSize} kernel with padding "valid" does not fit a ${h}×${w} input`, 'Use padding "same", a smaller kernel, or fewer downsampling layers before this one.');
    }
    const warning = op.strides > 1 && op.padding === 'same' && (h % op.strides !== 0 || w % op.strides !== 0)
      ? `stride ${op.strides} on a ${h}×${w} input rounds up to ${oh}×${ow}; a decoder upsampling by ${op.strides} gets ${oh * op.strides}×${ow * op.strides}, not ${h}×${w}`
      : undefined;
    return { ok: true, outputShape: [oh, ow, op.filters], paramCount: op.kernelSize * op.kernelSize * c * op.filters + op.filters, warning };
  },
  kernelValues: (l) => l.paramCount - l.filters,
  // Every kernel weight meets each output pixel once.
  forwardMacs: (l) => (l.paramCount - l.filters) * l.outputShape[0] * l.outputShape[1],
  wholeBatchReason: () => null,
  keptPerOutput: withActivation,
  keras: { cls: 'layers.Conv2D', args: (l, reg) => `${l.filters}, ${l.kernelSize}, strides=${l.strides}, padding=${py(l.padding)}, activation=${pyActivation(l)}${reg}` },
};

/** Transposed 2-D convolution: the gradient of a convolution, upsampling by its stride. */
export const conv2dTransposeOp: LayerOpDef<'conv2dTranspose'> = {
  role: 'weighted',
  example: { op: { type: 'conv2dTranspose', filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }, input: [3, 2, 3] },
  infer(op, input) {
    const bad = needsImage(op.type, input);
    if (bad) return bad;
    const [h, w, c] = input;
    return {
      ok: true,
      outputShape: [deconvOutSize(h, op.kernelSize, op.strides, op.padding), deconvOutSize(w, op.kernelSize, op.strides, op.padding), op.filters],
      paramCount: op.kernelSize * op.kernelSize * c * op.filters + op.filters,
    };
  },
  kernelValues: (l) => l.paramCount - l.filters,
  // Every kernel weight meets each input pixel once.
  forwardMacs: (l) => (l.paramCount - l.filters) * l.inputShape[0] * l.inputShape[1],
  wholeBatchReason: () => null,
  keptPerOutput: withActivation,
  keras: { cls: 'layers.Conv2DTranspose', args: (l, reg) => `${l.filters}, ${l.kernelSize}, strides=${l.strides}, padding=${py(l.padding)}, activation=${pyActivation(l)}${reg}` },
};
