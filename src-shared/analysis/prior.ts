/**
 * Codes to decode when generating: the quantiles of a normal laid out as a
 * grid (the manifold picture of Kingma & Welling, fig. 4), seeded normal
 * draws, and straight paths between two codes. Pure, so the trainer and the
 * tests compute the same codes.
 */
import { mulberry32 } from '../util/random';

/**
 * Φ⁻¹(p), the standard normal's quantile (Acklam's rational approximation,
 * relative error below 1.2e-9: far below what a decoded image can show).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile takes a probability strictly between 0 and 1, not ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * A `n`×`n` grid of 2-D codes over a normal of `mean` and `std` (2 values each):
 * each axis at the quantiles (i + ½)/n, so the grid covers the prior's mass
 * evenly and never reaches its infinite ends. Row-major, z₁ falling down the
 * rows and z₀ rising along them, as a plot with z₁ up reads.
 */
export function quantileGrid(n: number, mean: ArrayLike<number>, std: ArrayLike<number>): Float32Array<ArrayBuffer> {
  const q = Array.from({ length: n }, (_, i) => normalQuantile((i + 0.5) / n));
  const codes = new Float32Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let col = 0; col < n; col++) {
      codes[(r * n + col) * 2] = mean[0] + std[0] * q[col];
      codes[(r * n + col) * 2 + 1] = mean[1] + std[1] * q[n - 1 - r];
    }
  }
  return codes;
}

/** `count` codes drawn from N(mean, diag(std²)) (Box–Muller over the seeded generator the app uses elsewhere). */
export function normalDraws(count: number, mean: ArrayLike<number>, std: ArrayLike<number>, seed: number): Float32Array<ArrayBuffer> {
  const rand = mulberry32(seed);
  const dim = mean.length;
  const codes = new Float32Array(count * dim);
  for (let i = 0; i < codes.length; i++) {
    const e = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    codes[i] = mean[i % dim] + std[i % dim] * e;
  }
  return codes;
}

/** `steps` codes from `a` to `b` (same length), evenly spaced, both ends included. */
export function straightPath(a: ArrayLike<number>, b: ArrayLike<number>, steps: number): Float32Array<ArrayBuffer> {
  const dim = a.length;
  const path = new Float32Array(steps * dim);
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    for (let j = 0; j < dim; j++) path[s * dim + j] = (1 - t) * a[j] + t * b[j];
  }
  return path;
}

/** Per-value mean and standard deviation of `n` codes of `dim` values (a plain autoencoder's stand-in for a prior). */
export function codeStatistics(codes: ArrayLike<number>, n: number, dim: number): { mean: Float32Array<ArrayBuffer>; std: Float32Array<ArrayBuffer> } {
  const mean = new Float32Array(dim);
  const std = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += codes[i * dim + j];
    const m = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (codes[i * dim + j] - m) ** 2;
    mean[j] = m;
    std[j] = Math.sqrt(v / Math.max(1, n - 1));
  }
  return { mean, std };
}
