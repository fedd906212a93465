/**
 * What the dashboard shows besides numbers: reconstructions of a fixed set of
 * validation samples (input | noised | output, as 8-bit pixels) and the code
 * space projected to 2-D (the code itself if it is 2-D, else its first two
 * principal components).
 */
import * as tf from '@tensorflow/tfjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { BuiltModel } from '../model/build-model';

/** How to turn values into 8-bit pixels: [lo, hi] maps to [0, 255]. */
export interface PixelScale {
  lo: number;
  hi: number;
}

/** Reconstruction images of one moment of training. */
export interface ReconstructionSnapshot {
  shape: [number, number, number];
  count: number;
  input: Uint8Array<ArrayBuffer>;
  noised: Uint8Array<ArrayBuffer> | null;
  output: Uint8Array<ArrayBuffer>;
}

/** Images shape for display: images as they are, vectors as one row of pixels. */
export function displayShape(sampleShape: readonly number[]): [number, number, number] {
  return sampleShape.length === 3 ? [sampleShape[0], sampleShape[1], sampleShape[2]] : [1, sampleShape.reduce((a, b) => a * b, 1), 1];
}

function toPixels(t: tf.Tensor, scale: PixelScale): Uint8Array<ArrayBuffer> {
  const values = t.dataSync();
  const out = new Uint8Array(values.length);
  const span = scale.hi - scale.lo || 1;
  for (let i = 0; i < values.length; i++) {
    const v = ((values[i] - scale.lo) / span) * 255;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return out;
}

/** Runs the fixed samples through the models and returns 8-bit images. */
export function reconstructionSnapshot(model: BuiltModel, samples: tf.Tensor, scale: PixelScale): ReconstructionSnapshot {
  const output = model.inference.predict(samples) as tf.Tensor;
  const noised = model.noise ? (model.noise.apply(samples, { training: true }) as tf.Tensor) : null;
  try {
    return {
      shape: displayShape(samples.shape.slice(1)),
      count: samples.shape[0],
      input: toPixels(samples, scale),
      noised: noised ? toPixels(noised, scale) : null,
      output: toPixels(output, scale),
    };
  } finally {
    tf.dispose([output, ...(noised ? [noised] : [])]);
  }
}

/** 2-D points of the codes of `samples`: x0, y0, x1, y1, … */
export function latentProjection(model: BuiltModel, samples: tf.Tensor): { method: 'code' | 'pca'; points: Float32Array<ArrayBuffer> } {
  const codes = tf.tidy(() => {
    const c = model.encoder.predict(samples) as tf.Tensor;
    return c.reshape([c.shape[0], -1]) as tf.Tensor2D;
  });
  try {
    const [n, d] = codes.shape;
    if (d <= 2) {
      const v = codes.dataSync();
      const points = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        points[2 * i] = v[i * d];
        points[2 * i + 1] = d === 2 ? v[i * d + 1] : 0;
      }
      return { method: 'code', points };
    }
    // PCA: eigenvectors of the d×d covariance (computed on the backend), decomposed exactly by ml-matrix.
    const { centered, cov } = tf.tidy(() => {
      const c = tf.sub(codes, tf.mean(codes, 0));
      return { centered: c, cov: tf.div(tf.matMul(c, c, true, false), Math.max(1, n - 1)) };
    });
    const covRows = cov.arraySync() as number[][];
    cov.dispose();
    const evd = new EigenvalueDecomposition(new Matrix(covRows), { assumeSymmetric: true });
    const order = evd.realEigenvalues.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]).slice(0, 2).map(([, i]) => i);
    const basis = tf.tensor2d(order.map((i) => evd.eigenvectorMatrix.getColumn(i)), [2, d]);
    const projected = tf.matMul(centered, basis, false, true);
    const points = projected.dataSync() as Float32Array;
    tf.dispose([centered, basis, projected]);
    return { method: 'pca', points: Float32Array.from(points) };
  } finally {
    codes.dispose();
  }
}
