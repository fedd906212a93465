/** Reconstruction quality measures that compare images value by value. */

/** Peak signal-to-noise ratio of `test` against `reference`, in dB, for data whose range is `peak` wide; Infinity when identical. */
export function psnr(reference: ArrayLike<number>, test: ArrayLike<number>, peak: number): number {
  if (reference.length !== test.length || reference.length === 0) throw new Error(`psnr needs two equally long, non-empty arrays (got ${reference.length} and ${test.length})`);
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = reference[i] - test[i];
    sum += d * d;
  }
  const mse = sum / reference.length;
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}

/** Mean PSNR over `count` samples of `size` values each (each sample scored alone, then averaged, as papers report it); identical samples count as 100 dB. */
export function meanPsnr(reference: Float32Array, test: Float32Array, size: number, peak: number): number {
  const count = reference.length / size;
  let total = 0;
  for (let k = 0; k < count; k++) total += Math.min(100, psnr(reference.subarray(k * size, (k + 1) * size), test.subarray(k * size, (k + 1) * size), peak));
  return total / count;
}
