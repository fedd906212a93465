/**
 * Gradients of max-pooling and nearest-neighbour upsampling as single passes
 * over plain arrays, replacing kernels that TF.js 4.22 gets wrong (see
 * kernel-fixes.ts). Pure functions; checked against brute-force references.
 */
import type * as tf from '@tensorflow/tfjs';

/**
 * dx of nearest-neighbour resizing: every dy value is added to the input
 * pixel the forward pass copied it from, with the same index rule as the cpu
 * backend (floor of the scaled index, or round with alignCorners). One pass
 * over dy: O(output size).
 */
export function resizeNearestNeighborGradValues(dy: Float32Array, dyShape: readonly number[], xShape: readonly number[], alignCorners: boolean): Float32Array {
  const [batch, xh, xw, depth] = xShape;
  const [, yh, yw] = dyShape;
  const scale = (x: number, y: number) => (alignCorners && y > 1 ? (x - 1) / (y - 1) : x / y);
  const hs = scale(xh, yh);
  const ws = scale(xw, yw);
  const src = (i: number, s: number, n: number) => Math.min(n - 1, alignCorners ? Math.round(i * s) : Math.floor(i * s));
  const rows = Int32Array.from({ length: yh }, (_, y) => src(y, hs, xh));
  const cols = Int32Array.from({ length: yw }, (_, x) => src(x, ws, xw));
  const dx = new Float32Array(batch * xh * xw * depth);
  let i = 0;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < yh; y++) {
      const rowBase = (b * xh + rows[y]) * xw;
      for (let x = 0; x < yw; x++) {
        const o = (rowBase + cols[x]) * depth;
        for (let d = 0; d < depth; d++) dx[o + d] += dy[i++];
      }
    }
  }
  return dx;
}

/**
 * dx of max-pooling (NHWC): each dy value goes to the first maximum of its
 * window in x, as the cpu backend and TensorFlow do. One pass over the windows.
 */
export function maxPoolGradValues(dy: Float32Array, x: Float32Array, info: tf.backend_util.Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const dx = new Float32Array(batchSize * inHeight * inWidth * inChannels);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        for (let c = 0; c < inChannels; c++, o++) {
          let best = -Infinity;
          let at = -1;
          for (let fy = 0; fy < filterHeight; fy++) {
            const y = y0 + fy;
            if (y < 0 || y >= inHeight) continue;
            for (let fx = 0; fx < filterWidth; fx++) {
              const xx = x0 + fx;
              if (xx < 0 || xx >= inWidth) continue;
              const i = ((b * inHeight + y) * inWidth + xx) * inChannels + c;
              if (x[i] > best || at < 0) {
                best = x[i];
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] += dy[o];
        }
      }
    }
  }
  return dx;
}
