/**
 * Convolution gradients written as convolutions, for the wasm backend: its
 * XNNPACK convolution is fast, while it has no weight-gradient kernel and its
 * input-gradient kernel is a plain loop. Pure functions of tensors; the
 * kernel registration is in kernel-fixes.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs';

/**
 * dW = conv(x, dy) with the roles swapped: the batch becomes the channel
 * axis, dy becomes the filter, and the forward stride becomes the dilation.
 * x: [B, H, W, Cin] → [Cin, H, W, B]; dy: [B, Ho, Wo, Cout] → [Ho, Wo, B, Cout];
 * conv2d(xT, dyT, stride 1, dilation = stride) → [Cin, kh', kw', Cout], cropped
 * to the kernel size and transposed to [kh, kw, Cin, Cout].
 */
export function conv2dBackpropFilterComposite(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor4D {
  const { strides, pad, dimRoundingMode, filterShape } = attrs;
  if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, not ${attrs.dataFormat}`);
  const [kh, kw] = filterShape;
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const { top, left } = info.padInfo;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const [, ho, wo] = dy.shape;
    // Rows the dilated dy filter needs so the output covers the whole kernel: (kh - 1) + (ho - 1)·s + 1.
    const bottom = Math.max(0, kh + (ho - 1) * sh - (h + top));
    const right = Math.max(0, kw + (wo - 1) * sw - (w + left));
    const xT = tf.transpose(x, [3, 1, 2, 0]).pad([[0, 0], [top, bottom], [left, right], [0, 0]]) as tf.Tensor4D;
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [sh, sw]);
    const cropped = full.slice([0, 0, 0, 0], [x.shape[3], kh, kw, dy.shape[3]]);
    return tf.transpose(cropped, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * dx of a convolution as a convolution: dy dilated with stride − 1 zeros
 * between values, padded by kernel − 1 − forward padding, convolved with the
 * kernel flipped in space and with its channels swapped.
 */
export function conv2dBackpropInputComposite(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: tf.Conv2DBackpropInputAttrs): tf.Tensor4D {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropInput on wasm supports NHWC only, not ${attrs.dataFormat}`);
  const inputShape = attrs.inputShape;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const [kh, kw] = [info.filterHeight, info.filterWidth];
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [, h, w] = inputShape;
  return tf.tidy(() => {
    const [b, ho, wo, co] = dy.shape;
    let d: tf.Tensor4D = dy as tf.Tensor4D;
    if (sh > 1 || sw > 1) {
      // Zero-dilate: [b, ho, 1, wo, 1, co] padded to [b, ho, sh, wo, sw, co], then cut the trailing zeros.
      d = dy.reshape([b, ho, 1, wo, 1, co]).pad([[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]).reshape([b, ho * sh, wo * sw, co]).slice([0, 0, 0, 0], [b, (ho - 1) * sh + 1, (wo - 1) * sw + 1, co]) as tf.Tensor4D;
    }
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    // Bottom/right so the result is exactly h × w; negative means the forward pass ignored trailing rows: crop instead.
    const bottom = h - d.shape[1] - top + kh - 1;
    const right = w - d.shape[2] - left + kw - 1;
    const padded = d.pad([[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]]) as tf.Tensor4D;
    const cropped = padded.slice([0, Math.max(0, -top), Math.max(0, -left), 0], [b, padded.shape[1] - Math.max(0, -top) - Math.max(0, -bottom), padded.shape[2] - Math.max(0, -left) - Math.max(0, -right), co]);
    const flipped = tf.reverse(filter, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(cropped, flipped, 1, 'valid');
  });
}
