/**
 * Bilinear upsampling as Keras 3 and ONNX's half_pixel Resize compute it:
 * samples at pixel centres. tfjs-layers' own UpSampling2D resizes bilinearly
 * with corner-aligned sampling (TF1's), which differs from both at every
 * pixel, so the exports could not match TF.js.
 */
import * as tf from '@tensorflow/tfjs';

/** Upsamples an NHWC image by `size` on both axes, bilinearly at pixel centres. */
export class BilinearUpSampling extends tf.layers.Layer {
  /** Registered class name (a saved model.json names it). */
  static readonly className = 'AestudioBilinearUpSampling';
  private readonly size: number;

  constructor(args: { name?: string; size: number }) {
    super({ name: args.name });
    this.size = args.size;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = inputShape as tf.Shape;
    return [b, h === null ? null : h * this.size, w === null ? null : w * this.size, c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.image.resizeBilinear(x, [x.shape[1] * this.size, x.shape[2] * this.size], false, true);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }
}
tf.serialization.registerClass(BilinearUpSampling);
