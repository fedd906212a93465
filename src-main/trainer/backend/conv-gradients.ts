/**
 * The convolution input gradient written as a convolution, for the wasm
 * backend: its XNNPACK convolution is fast, while its input-gradient kernel
 * is a plain loop. Since the direct kernel (conv-direct.ts) took over every
 * input gradient whose channels come in fours, this runs for the rest (a
 * transposed convolution to 1 or 3 channels). A function of tensors on the
 * wasm backend (layouts are built on its heap); registered in
 * kernel-fixes.ts. (The weight gradient is conv-filter-grad.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import { computeTensor } from './heap-tensor';
import { dilateAndPad } from './layout-passes';

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
    const flipped = tf.reverse(filter, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
    // Stride 1 with the forward pass's 'same' padding (odd kernel): the flipped convolution pads alike, so XNNPACK pads, no copy.
    if (sh === 1 && sw === 1 && 2 * info.padInfo.top === kh - 1 && 2 * info.padInfo.left === kw - 1 && ho === h && wo === w) return tf.conv2d(dy, flipped, 1, 'same');
    const same = sh === 1 && sw === 1 && top === 0 && left === 0 && outH === ho && outW === wo;
    const cropped = same ? dy : computeTensor([b, outH, outW, co], [dy], (dst, src) => dilateAndPad(src, dy.shape, [sh, sw], { top, left }, [outH, outW], dst));
    return tf.conv2d(cropped as tf.Tensor4D, flipped, 1, 'valid');
  });
}
