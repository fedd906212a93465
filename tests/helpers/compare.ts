/** Numeric comparison for tests of kernels and gradients. */

/** Largest absolute difference between `a` and `b`, relative to the largest magnitude in `b` (the reference). */
export function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}
