/**
 * Shape and parameter-count rule of each layer operation. The same arithmetic
 * TF.js, Keras and ONNX use (Keras conventions: "same" padding gives
 * ceil(in / stride), "valid" gives floor((in - k) / stride) + 1, pooling floors).
 */
import { formatShape, shapeSize } from '../graph/types';
import type { Shape } from '../graph/types';
import type { LayerOp } from './model-spec';

/** Outcome of applying one layer operation to an input shape. */
export type LayerInference =
  | { ok: true; outputShape: number[]; paramCount: number; warning?: string }
  | { ok: false; message: string; hint: string };

const fail = (message: string, hint: string): LayerInference => ({ ok: false, message, hint });

/** Output extent of a convolution along one axis. */
export function convOutSize(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

/** Output extent of a transposed convolution along one axis (the inverse of {@link convOutSize}). */
export function deconvOutSize(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? size * stride : (size - 1) * stride + kernel;
}

function needsImage(op: LayerOp, input: Shape): LayerInference | null {
  if (input.length === 3) return null;
  return fail(`${op.type} needs an image input (height×width×channels) but gets ${formatShape(input)}`, 'Put it after an image-shaped layer, or let the compiler reshape by mirroring an encoder.');
}

/** Output shape and parameter count of `op` applied to `input`, or why it cannot apply. */
export function inferLayer(op: LayerOp, input: Shape): LayerInference {
  switch (op.type) {
    case 'flatten':
      return { ok: true, outputShape: [shapeSize(input)], paramCount: 0 };
    case 'reshape':
      if (shapeSize(op.targetShape) !== shapeSize(input)) {
        return fail(`cannot reshape ${formatShape(input)} (${shapeSize(input)} values) to ${formatShape(op.targetShape)} (${shapeSize(op.targetShape)} values)`, 'Make the previous layer produce as many values as the target shape holds.');
      }
      return { ok: true, outputShape: [...op.targetShape], paramCount: 0 };
    case 'dense': {
      if (input.length !== 1) return fail(`dense needs a flat vector but gets ${formatShape(input)}`, 'The compiler flattens automatically; this layer was placed by hand.');
      return { ok: true, outputShape: [op.units], paramCount: input[0] * op.units + op.units };
    }
    case 'conv2d': {
      const bad = needsImage(op, input);
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
    }
    case 'conv2dTranspose': {
      const bad = needsImage(op, input);
      if (bad) return bad;
      const [h, w, c] = input;
      return {
        ok: true,
        outputShape: [deconvOutSize(h, op.kernelSize, op.strides, op.padding), deconvOutSize(w, op.kernelSize, op.strides, op.padding), op.filters],
        paramCount: op.kernelSize * op.kernelSize * c * op.filters + op.filters,
      };
    }
    case 'maxPooling2d': {
      const bad = needsImage(op, input);
      if (bad) return bad;
      const [h, w, c] = input;
      const oh = Math.floor(h / op.poolSize);
      const ow = Math.floor(w / op.poolSize);
      if (oh < 1 || ow < 1) return fail(`pooling by ${op.poolSize} does not fit a ${h}×${w} input`, 'Use a smaller pool size or fewer downsampling layers before this one.');
      const warning = h % op.poolSize !== 0 || w % op.poolSize !== 0
        ? `pooling a ${h}×${w} input by ${op.poolSize} drops the last ${h % op.poolSize || w % op.poolSize} row(s)/column(s) (→ ${oh}×${ow}); a decoder upsampling by ${op.poolSize} gets ${oh * op.poolSize}×${ow * op.poolSize}, not ${h}×${w}`
        : undefined;
      return { ok: true, outputShape: [oh, ow, c], paramCount: 0, warning };
    }
    case 'upSampling2d': {
      const bad = needsImage(op, input);
      if (bad) return bad;
      const [h, w, c] = input;
      return { ok: true, outputShape: [h * op.size, w * op.size, c], paramCount: 0 };
    }
    case 'activation':
    case 'gaussianNoise':
    case 'maskingNoise':
    case 'saltPepperNoise':
    case 'activityRegularizer':
      return { ok: true, outputShape: [...input], paramCount: 0 };
  }
}
