/**
 * Single passes over plain arrays that replace chains of layout kernels
 * (transpose → pad, reshape → pad → reshape → slice → pad → slice) in the
 * convolution gradients. On wasm each of those kernels walks its tensor
 * element by element with index arithmetic (a 128×28×28×16 transpose takes
 * 6–12 ms there); one pass that knows the layout takes about 1 ms.
 * Pure functions: they write into `dst`, which the caller zero-fills.
 */

/**
 * dy [B, H, W, C] spread out by `stride` (zeros between values) and shifted
 * by (top, left) into dst [B, outH, outW, C]; a negative offset or a value
 * past the edge is cropped. This is the zero-dilated, padded gradient that a
 * transposed convolution (or a strided convolution's input gradient)
 * convolves with the flipped kernel.
 */
export function dilateAndPad(src: Float32Array, shape: readonly number[], stride: readonly [number, number], offset: { top: number; left: number }, out: readonly [number, number], dst: Float32Array): void {
  const [b, h, w, c] = shape;
  const [sh, sw] = stride;
  const [oh, ow] = out;
  for (let n = 0; n < b; n++) {
    for (let y = 0; y < h; y++) {
      const oy = offset.top + y * sh;
      if (oy < 0 || oy >= oh) continue;
      for (let x = 0; x < w; x++) {
        const ox = offset.left + x * sw;
        if (ox < 0 || ox >= ow) continue;
        const s = ((n * h + y) * w + x) * c;
        const d = ((n * oh + oy) * ow + ox) * c;
        for (let k = 0; k < c; k++) dst[d + k] = src[s + k]; // c is small (channels): a loop beats a subarray per pixel
      }
    }
  }
}

/**
 * Swaps the last two axes of `batch` row-major [rows, cols] matrices
 * (dst is [batch, cols, rows]). In 32×32 tiles, so both the reads and the
 * writes stay within cache lines; about twice as fast as wasm's Transpose,
 * which every dense backward pass calls twice.
 */
export function transposeLastTwo(src: Float32Array, batch: number, rows: number, cols: number, dst: Float32Array): void {
  const tile = 32;
  const size = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * size;
    for (let i0 = 0; i0 < rows; i0 += tile) {
      const i1 = Math.min(rows, i0 + tile);
      for (let j0 = 0; j0 < cols; j0 += tile) {
        const j1 = Math.min(cols, j0 + tile);
        for (let i = i0; i < i1; i++) {
          const row = base + i * cols;
          for (let j = j0; j < j1; j++) dst[base + j * rows + i] = src[row + j];
        }
      }
    }
  }
}
