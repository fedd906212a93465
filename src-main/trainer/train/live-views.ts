/**
 * The Train view's look inside a run: thumbnails of the latent plot's
 * samples (once a run), and one layer's activations on one of them (only for
 * the layer the UI watches, so nothing is computed for nodes nobody looks at).
 * Both are bounded by src-shared/protocol/live-views.ts and checked there.
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT } from '../../../src-shared/compiler/model-spec';
import { ACTIVATION_LIMITS, MAX_ACTIVATION_VALUES, THUMBNAIL_LIMITS, THUMBNAIL_VECTOR_VALUES, checkActivations, checkLatentSamples } from '../../../src-shared/protocol/live-views';
import type { ActivationWatch, Activations, LatentSamples } from '../../../src-shared/protocol/live-views';
import { valuesToBytes } from '../../../src-shared/util/pixels';
import type { BuiltModel } from '../model/build-model';
import type { PixelScale } from './snapshots';

/** Mean of each of `bins` equal stretches of `row` (a long vector drawn in fewer points). */
function binMeans(row: ArrayLike<number>, bins: number): Float32Array {
  const out = new Float32Array(bins);
  for (let j = 0; j < bins; j++) {
    const from = Math.floor((j * row.length) / bins);
    const to = Math.max(from + 1, Math.floor(((j + 1) * row.length) / bins));
    let sum = 0;
    for (let i = from; i < to; i++) sum += row[i];
    out[j] = sum / (to - from);
  }
  return out;
}

/**
 * 8-bit thumbnails of `samples` ([n, h, w, c] images or [n, …] vectors):
 * images shrunk to fit 28×28 (bilinear) with at most 3 channels, vectors
 * averaged down to at most {@link THUMBNAIL_VECTOR_VALUES} values.
 */
export async function latentThumbnails(samples: tf.Tensor, scale: PixelScale): Promise<LatentSamples> {
  const n = samples.shape[0];
  let result: LatentSamples;
  if (samples.rank === 4) {
    const [, h, w, c] = samples.shape as [number, number, number, number];
    const f = Math.min(1, THUMBNAIL_LIMITS.height / h, THUMBNAIL_LIMITS.width / w);
    const size: [number, number] = [Math.max(1, Math.floor(h * f)), Math.max(1, Math.floor(w * f))];
    const channels = Math.min(c, THUMBNAIL_LIMITS.channels) === 2 ? 1 : Math.min(c, THUMBNAIL_LIMITS.channels);
    const small = tf.tidy(() => {
      const x = channels < c ? samples.slice([0, 0, 0, 0], [n, h, w, channels]) : samples;
      return f < 1 ? tf.image.resizeBilinear(x as tf.Tensor4D, size) : x.clone();
    });
    const values = await small.data();
    small.dispose();
    result = { kind: 'image', shape: [size[0], size[1], channels], count: n, pixels: valuesToBytes(values, scale.lo, scale.hi) };
  } else {
    const length = samples.size / Math.max(1, n);
    const bins = Math.min(length, THUMBNAIL_VECTOR_VALUES);
    const values = await samples.data();
    const pixels = new Uint8Array(n * bins);
    for (let k = 0; k < n; k++) pixels.set(valuesToBytes(binMeans(values.subarray(k * length, (k + 1) * length), bins), scale.lo, scale.hi), k * bins);
    result = { kind: 'vector', shape: [1, bins, 1], count: n, pixels };
  }
  checkLatentSamples(result, n);
  return result;
}

const refused = (message: string): Activations => ({ kind: 'refused', message });

/** One layer's output on one sample, computed through the inference graph of a built model. */
export class ActivationProbe {
  // Sub-models over the inference graph's own tensors: they share its layers, so they are never disposed (that would free the run's weights).
  private readonly probes = new Map<string, tf.LayersModel>();

  constructor(private readonly model: BuiltModel) {}

  private probe(layer: string, output: tf.SymbolicTensor): tf.LayersModel {
    let m = this.probes.get(layer);
    if (!m) {
      m = tf.model({ inputs: this.model.inference.inputs, outputs: output });
      this.probes.set(layer, m);
    }
    return m;
  }

  /** The watched layer's output on sample `watch.sample` of `samples`, within the limits, or a refusal that says why. */
  async activations(samples: tf.Tensor, watch: ActivationWatch): Promise<Activations> {
    const output = this.model.layerOutputs.get(watch.layer);
    if (!output) return refused(`This run's model has no layer "${watch.layer}": the graph was changed after the run started. Train again to see this node's activations.`);
    const count = samples.shape[0];
    if (watch.sample >= count) return refused(`Sample ${watch.sample + 1} is not one of the ${count} validation samples shown; choose a sample from 1 to ${count}.`);
    const shape = output.shape.slice(1).map((d) => d ?? 1);
    const [h, w, c] = shape;
    if (shape.length === 3 && (h > ACTIVATION_LIMITS.height || w > ACTIVATION_LIMITS.width)) {
      return refused(`The feature maps of "${watch.layer}" are ${h}×${w}, larger than the ${ACTIVATION_LIMITS.height}×${ACTIVATION_LIMITS.width} the dashboard shows; choose a layer after a pooling or strided convolution.`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (shape.length !== 3 && size > MAX_ACTIVATION_VALUES) return refused(`"${watch.layer}" has ${size} values, more than the ${MAX_ACTIVATION_VALUES} the dashboard shows; choose a smaller layer.`);
    const isInput = output === this.model.layerOutputs.get(MODEL_INPUT);
    const shown = shape.length === 3 ? Math.min(c, ACTIVATION_LIMITS.channels) : 0;
    const out = tf.tidy(() => {
      const x = samples.slice(watch.sample, 1);
      const y = isInput ? x : (this.probe(watch.layer, output).predict(x) as tf.Tensor);
      // Feature maps channel-major (each map contiguous), the first `shown` channels only.
      return shape.length === 3 ? tf.transpose(y.reshape([h, w, c]).slice([0, 0, 0], [h, w, shown]), [2, 0, 1]) : y.flatten();
    });
    const values = Float32Array.from(await out.data());
    out.dispose();
    const answer: Activations = shape.length === 3 ? { kind: 'maps', height: h, width: w, channels: c, shown, values } : { kind: 'vector', shape, values };
    checkActivations(answer);
    return answer;
  }
}
