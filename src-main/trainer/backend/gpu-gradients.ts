/**
 * Gradients as compositions of ordinary tensor operations, for backends whose
 * kernels run where plain JavaScript cannot read their data (webgpu: no
 * synchronous read-back in Node): the composites stay on the device.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The interpolation matrix of bilinear resizing along one axis, [outSize, inSize]:
 * row i holds the weights output i takes from each input, with the forward
 * pass's index rule (TF's: corner-aligned, or at pixel centres with
 * halfPixelCenters), the same rule pooling-gradients.ts follows.
 */
export function bilinearMatrix(outSize: number, inSize: number, alignCorners: boolean, halfPixelCenters: boolean): Float32Array {
  const r = alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  const m = new Float32Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const src = halfPixelCenters ? r * (i + 0.5) - 0.5 : r * i;
    const lo = Math.max(0, Math.floor(src));
    const hi = Math.min(inSize - 1, Math.ceil(src));
    const frac = src - lo;
    m[i * inSize + lo] += 1 - frac;
    m[i * inSize + hi] += frac;
  }
  return m;
}

/**
 * dx of bilinear resizing: the forward pass is y = A_h · x · A_wᵀ per sample
 * and channel, so dx = A_hᵀ · dy · A_w: two matrix products over the device's data.
 */
export function resizeBilinearGradComposite(dy: tf.Tensor4D, xShape: readonly number[], alignCorners: boolean, halfPixelCenters: boolean): tf.Tensor4D {
  const [b, ih, iw, c] = xShape;
  const [, oh, ow] = dy.shape;
  return tf.tidy(() => {
    const aw = tf.tensor2d(bilinearMatrix(ow, iw, alignCorners, halfPixelCenters), [ow, iw]);
    const ah = tf.tensor2d(bilinearMatrix(oh, ih, alignCorners, halfPixelCenters), [oh, ih]);
    const alongWidth = tf.matMul(dy.transpose([0, 1, 3, 2]).reshape([b * oh * c, ow]), aw); // [b·oh·c, iw]
    const alongHeight = tf.matMul(alongWidth.reshape([b, oh, c, iw]).transpose([0, 2, 3, 1]).reshape([b * c * iw, oh]), ah); // [b·c·iw, ih]
    return alongHeight.reshape([b, c, iw, ih]).transpose([0, 3, 2, 1]) as tf.Tensor4D;
  });
}

/**
 * For each pooling window, the whole window's size over the number of its
 * cells inside the input, [outHeight, outWidth, 1]: a kernel that divides
 * every window's gradient by the whole window (TF.js's average-pooling
 * gradient) gives the right one when dy is first multiplied by this.
 */
export function avgPoolWindowScale(info: tf.backend_util.Conv2DInfo): tf.Tensor3D {
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const scale = new Float32Array(outHeight * outWidth);
  for (let oy = 0; oy < outHeight; oy++) {
    const rows = Math.min(inHeight, oy * strideHeight - top + filterHeight) - Math.max(0, oy * strideHeight - top);
    for (let ox = 0; ox < outWidth; ox++) {
      const cols = Math.min(inWidth, ox * strideWidth - left + filterWidth) - Math.max(0, ox * strideWidth - left);
      scale[oy * outWidth + ox] = (filterHeight * filterWidth) / Math.max(1, rows * cols);
    }
  }
  return tf.tensor3d(scale, [outHeight, outWidth, 1]);
}
