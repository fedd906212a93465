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
 * dx of max-pooling (NHWC), written into `dx` (any previous contents are
 * overwritten): each dy value goes to the first maximum of its window in x,
 * as the cpu backend and TensorFlow do. One pass over the windows. (The
 * 2×2 windows every template uses run natively on wasm: {@link isPool2x2Inside}.)
 */
export function maxPoolGradInto(dy: Float32Array, x: Float32Array, info: tf.backend_util.Conv2DInfo, dx: Float32Array): void {
  dx.fill(0);
  poolGradGeneral(dy, x, info, dx);
}

/** 2×2 windows, stride 2, none reaching past an edge: the pooling every template uses (wasm runs it natively: kernels.c). */
export function isPool2x2Inside(info: tf.backend_util.Conv2DInfo): boolean {
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, inHeight, inWidth } = info;
  const { top, left } = info.padInfo;
  return filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2 && top === 0 && left === 0 && 2 * outHeight <= inHeight && 2 * outWidth <= inWidth;
}

function poolGradGeneral(dy: Float32Array, x: Float32Array, info: tf.backend_util.Conv2DInfo, dx: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
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
}

/**
 * dx of bilinear resizing (NHWC), with the forward pass's index rule (TF's:
 * corner-aligned, or at pixel centres with halfPixelCenters): each dy value
 * is shared between the up to four input pixels it was blended from, by the
 * same weights. Replaces cpu's kernel (it swaps height and width when they
 * differ) and wasm's (it ignores halfPixelCenters). One pass over dy.
 */
export function resizeBilinearGradValues(dy: Float32Array, dyShape: readonly number[], xShape: readonly number[], alignCorners: boolean, halfPixelCenters: boolean): Float32Array {
  const dx = new Float32Array(xShape.reduce((a, b) => a * b, 1));
  resizeBilinearGradInto(dy, dyShape, xShape, alignCorners, halfPixelCenters, dx);
  return dx;
}

/**
 * resizeBilinearGradValues written into `dx` (any previous contents are
 * overwritten), so the wasm kernel fills its output in the heap instead of
 * allocating and copying a new array every training step.
 */
export function resizeBilinearGradInto(
  dy: Float32Array,
  dyShape: readonly number[],
  xShape: readonly number[],
  alignCorners: boolean,
  halfPixelCenters: boolean,
  dx: Float32Array,
): void {
  dx.fill(0); // the pass below accumulates with +=
  const [batch, xh, xw, depth] = xShape;
  const [, yh, yw] = dyShape;
  const ratio = (x: number, y: number) => (alignCorners && y > 1 ? (x - 1) / (y - 1) : x / y);
  // Per output row (column): the two source rows and the weight of the second, as the forward pass computes them.
  const axis = (outSize: number, inSize: number) => {
    const r = ratio(inSize, outSize);
    return Array.from({ length: outSize }, (_, i) => {
      const src = halfPixelCenters ? r * (i + 0.5) - 0.5 : r * i;
      const lo = Math.max(0, Math.floor(src));
      return { lo, hi: Math.min(inSize - 1, Math.ceil(src)), frac: src - lo };
    });
  };
  const rows = axis(yh, xh);
  const cols = axis(yw, xw);
  let i = 0;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < yh; y++) {
      const { lo: top, hi: bottom, frac: fy } = rows[y];
      for (let x = 0; x < yw; x++) {
        const { lo: left, hi: right, frac: fx } = cols[x];
        const tl = ((b * xh + top) * xw + left) * depth;
        const tr = ((b * xh + top) * xw + right) * depth;
        const bl = ((b * xh + bottom) * xw + left) * depth;
        const br = ((b * xh + bottom) * xw + right) * depth;
        for (let d = 0; d < depth; d++, i++) {
          const g = dy[i];
          dx[tl + d] += g * (1 - fy) * (1 - fx);
          dx[tr + d] += g * (1 - fy) * fx;
          dx[bl + d] += g * fy * (1 - fx);
          dx[br + d] += g * fy * fx;
        }
      }
    }
  }
}

/**
 * dx of average pooling (NHWC), written into `dx`: each dy value is shared
 * equally among the input cells inside its window. Windows that reach past an
 * edge ('same' padding) average only the cells inside, as the forward pass and
 * TensorFlow do; TF.js 4.22's cpu and wasm kernels divide by the whole window
 * instead, so every border cell's gradient came out too small.
 */
export function avgPoolGradInto(dy: Float32Array, info: tf.backend_util.Conv2DInfo, dx: Float32Array): void {
  dx.fill(0);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = Math.max(0, oy * strideHeight - top);
      const y1 = Math.min(inHeight, oy * strideHeight - top + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = Math.max(0, ox * strideWidth - left);
        const x1 = Math.min(inWidth, ox * strideWidth - left + filterWidth);
        const share = 1 / Math.max(1, (y1 - y0) * (x1 - x0));
        for (let c = 0; c < inChannels; c++, o++) {
          const g = dy[o] * share;
          for (let y = y0; y < y1; y++) {
            for (let xx = x0; xx < x1; xx++) dx[((b * inHeight + y) * inWidth + xx) * inChannels + c] += g;
          }
        }
      }
    }
  }
}
