/**
 * What the dashboard shows besides numbers: reconstructions of a fixed set of
 * validation samples (input | noised | output, as 8-bit pixels) and the code
 * space projected to 2-D (the code itself if it is 2-D, else its first two
 * principal components).
 */
import * as tf from '@tensorflow/tfjs';
import { valuesToBytes } from '../../../src-shared/util/pixels';
import { project2d } from '../analysis/pca';
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

// Read asynchronously: a GPU backend (webgpu) cannot read a tensor back synchronously in Node.
async function toPixels(t: tf.Tensor, scale: PixelScale): Promise<Uint8Array<ArrayBuffer>> {
  return valuesToBytes(await t.data(), scale.lo, scale.hi);
}

/** Runs the fixed samples through the models and returns 8-bit images. */
export async function reconstructionSnapshot(model: BuiltModel, samples: tf.Tensor, scale: PixelScale): Promise<ReconstructionSnapshot> {
  const output = model.inference.predict(samples) as tf.Tensor;
  const noised = model.noise ? (model.noise.apply(samples, { training: true }) as tf.Tensor) : null;
  try {
    return {
      shape: displayShape(samples.shape.slice(1)),
      count: samples.shape[0],
      input: await toPixels(samples, scale),
      noised: noised ? await toPixels(noised, scale) : null,
      output: await toPixels(output, scale),
    };
  } finally {
    tf.dispose([output, ...(noised ? [noised] : [])]);
  }
}

/** 2-D points of the codes of `samples`: x0, y0, x1, y1, … */
export async function latentProjection(model: BuiltModel, samples: tf.Tensor): Promise<{ method: 'code' | 'pca'; points: Float32Array<ArrayBuffer> }> {
  const codes = model.encoder.predict(samples) as tf.Tensor;
  const [n, ...rest] = codes.shape;
  const values = (await codes.data()) as Float32Array;
  codes.dispose();
  const { projection, points } = project2d(values, n, rest.reduce((a, b) => a * b, 1));
  return { method: projection, points };
}
