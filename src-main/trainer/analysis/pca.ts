/**
 * Exact PCA: the covariance is computed on the backend (one matMul), then
 * decomposed by ml-matrix's symmetric eigen-decomposition (Householder
 * tridiagonalisation + QL, the JAMA algorithm) — no iterative approximation.
 */
import * as tf from '@tensorflow/tfjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { NonFiniteError, firstNonFinite } from './finite';

/** A fitted PCA. */
export interface PcaFit {
  /** Dimension of the data. */
  dim: number;
  mean: Float32Array<ArrayBuffer>;
  /** The top `k` principal directions, unit length, `dim` values each, largest variance first. */
  components: Float32Array<ArrayBuffer>;
  k: number;
  /** Variance along each component. */
  variances: Float64Array;
  /** Total variance of the data (sum of every eigenvalue). */
  totalVariance: number;
}

/**
 * Below this many multiply-adds a covariance or projection runs in plain
 * JavaScript (tens of milliseconds): the live latent view during training is
 * that small, and runs on whatever backend trains, which on webgpu cannot
 * read a tensor back synchronously in Node.
 */
const PLAIN_JS_MACS = 5e7;

/** Mean and covariance (n − 1 normalised) of `n` rows of `dim` values, summed in float64, returned in float32. */
function plainCovariance(values: Float32Array, n: number, dim: number): { meanValues: Float32Array<ArrayBuffer>; covValues: Float32Array } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += values[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const cov = new Float64Array(dim * dim);
  const c = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) c[j] = values[i * dim + j] - mean[j];
    for (let a = 0; a < dim; a++) for (let b = a; b < dim; b++) cov[a * dim + b] += c[a] * c[b];
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      cov[a * dim + b] /= n - 1;
      cov[b * dim + a] = cov[a * dim + b];
    }
  }
  // In float32 like the backend's path: a covariance too large for float32 becomes infinite and is refused alike, whichever path ran.
  return { meanValues: Float32Array.from(mean), covValues: Float32Array.from(cov) };
}

/** Fits PCA with `k` components to `n` samples of `dim` values. */
export function fitPca(values: Float32Array, n: number, dim: number, k: number): PcaFit {
  if (n < 2) throw new Error(`PCA needs at least 2 samples (got ${n})`);
  const kept = Math.min(k, dim);
  let covValues: Float32Array;
  let meanValues: Float32Array<ArrayBuffer>;
  if (n * dim * dim <= PLAIN_JS_MACS) {
    ({ covValues, meanValues } = plainCovariance(values, n, dim));
  } else {
    const { mean, cov } = tf.tidy(() => {
      const x = tf.tensor2d(values, [n, dim]);
      const m = tf.mean(x, 0);
      const c = tf.sub(x, m);
      return { mean: m, cov: tf.div(tf.matMul(c, c, true, false), n - 1) };
    });
    covValues = cov.dataSync() as Float32Array;
    meanValues = Float32Array.from(mean.dataSync());
    tf.dispose([mean, cov]);
  }
  // ml-matrix fails on NaN with a raw TypeError: refuse first, saying why.
  if (firstNonFinite(covValues) >= 0) throw new NonFiniteError(`The covariance of these ${n} points is not finite (their values are NaN, or too large for float32)`);
  const rows = Array.from({ length: dim }, (_, i) => Array.from(covValues.subarray(i * dim, (i + 1) * dim)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const eig = evd.realEigenvalues;
  const order = eig.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, kept);
  const vectors = evd.eigenvectorMatrix;
  const components = new Float32Array(kept * dim);
  order.forEach(([, col], j) => {
    for (let i = 0; i < dim; i++) components[j * dim + i] = vectors.get(i, col);
  });
  return {
    dim,
    mean: meanValues,
    components,
    k: kept,
    variances: Float64Array.from(order, ([v]) => Math.max(0, v)),
    totalVariance: eig.reduce((s, v) => s + Math.max(0, v), 0),
  };
}

/** Coordinates of `n` samples along the first `k` components (default: all kept). */
export function pcaProject(fit: PcaFit, values: Float32Array, n: number, k = fit.k): Float32Array<ArrayBuffer> {
  if (n * fit.dim * k <= PLAIN_JS_MACS) {
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let d = 0; d < fit.dim; d++) s += (values[i * fit.dim + d] - fit.mean[d]) * fit.components[j * fit.dim + d];
        out[i * k + j] = s;
      }
    }
    return out;
  }
  return tf.tidy(() => {
    const x = tf.sub(tf.tensor2d(values, [n, fit.dim]), tf.tensor1d(fit.mean));
    const basis = tf.tensor2d(fit.components.subarray(0, k * fit.dim), [k, fit.dim]);
    return Float32Array.from(tf.matMul(x, basis, false, true).dataSync());
  });
}

/** Samples rebuilt from their coordinates (`n` × k): mean + Σ coordinate × component. */
export function pcaReconstruct(fit: PcaFit, coords: Float32Array, n: number): Float32Array<ArrayBuffer> {
  return tf.tidy(() => {
    const c = tf.tensor2d(coords, [n, fit.k]);
    const basis = tf.tensor2d(fit.components, [fit.k, fit.dim]);
    return Float32Array.from(tf.add(tf.matMul(c, basis), tf.tensor1d(fit.mean)).dataSync());
  });
}

/** 2-D points of `n` codes of `dim` values: the code itself when it has at most 2 values (padded with 0), else its first two principal components. */
export function project2d(codes: Float32Array, n: number, dim: number): { projection: 'code' | 'pca'; points: Float32Array<ArrayBuffer> } {
  if (dim <= 2) {
    const points = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      points[2 * i] = codes[i * dim];
      points[2 * i + 1] = dim === 2 ? codes[i * dim + 1] : 0;
    }
    return { projection: 'code', points };
  }
  return { projection: 'pca', points: pcaProject(fitPca(codes, n, dim, 2), codes, n) };
}
