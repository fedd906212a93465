/**
 * Convolution gradients written as convolutions, for the wasm backend: its
 * XNNPACK convolution is fast, while it has no weight-gradient kernel and its
 * input-gradient kernel is a plain loop. Functions of tensors on the wasm
 * backend (layouts are built on its heap); registered in kernel-fixes.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs';
import { computeTensor } from './heap-tensor';
import { channelsFirstPadded, dilateAndPad } from './layout-passes';

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
    const [b, , , cin] = x.shape;
    const xT = computeTensor([cin, h + top + bottom, w + left + right, b], [x], (dst, src) => channelsFirstPadded(src, x.shape, { top, bottom, left, right }, dst)) as tf.Tensor4D;
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
    // Zero-dilate dy by the stride and pad it by kernel − 1 − forward padding, in one pass.
    // Bottom/right make the result exactly h × w; a negative pad means the forward pass ignored trailing rows: crop.
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const outH = h + kh - 1;
    const outW = w + kw - 1;
    const same = sh === 1 && sw === 1 && top === 0 && left === 0 && outH === ho && outW === wo;
    const cropped = same ? dy : computeTensor([b, outH, outW, co], [dy], (dst, src) => dilateAndPad(src, dy.shape, [sh, sw], { top, left }, [outH, outW], dst));
    const flipped = tf.reverse(filter, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(cropped as tf.Tensor4D, flipped, 1, 'valid');
  });
}
