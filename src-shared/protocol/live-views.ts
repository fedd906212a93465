/**
 * What the Train view sees inside a run besides its numbers: thumbnails of the
 * validation samples whose codes the latent plot shows (sent once a run), and
 * one layer's activations on one of them (sent only for the layer the UI
 * watches). Both are bounded here, in one place, and checked before sending.
 */
import { z } from 'zod';

/** A thumbnail is at most 28×28 pixels of at most 3 channels (8-bit): 1,000 of them stay under 2.4 MB. */
export const THUMBNAIL_LIMITS = { height: 28, width: 28, channels: 3 } as const;
/** Vector samples are sent as at most this many 8-bit values (drawn as a plot, never as a 1-pixel strip). */
export const THUMBNAIL_VECTOR_VALUES = THUMBNAIL_LIMITS.height * THUMBNAIL_LIMITS.width * THUMBNAIL_LIMITS.channels;
/** Activations sent for one layer: at most 64 feature maps of at most 64×64 values (1 MB of float32). */
export const ACTIVATION_LIMITS = { channels: 64, height: 64, width: 64 } as const;
/** The most values one activations answer carries, whatever its kind. */
export const MAX_ACTIVATION_VALUES = ACTIVATION_LIMITS.channels * ACTIVATION_LIMITS.height * ACTIVATION_LIMITS.width;

/** The validation samples of the latent plot, in its order: `count` thumbnails one after another. */
export const LatentSamplesSchema = z.object({
  /** "image": HWC pixels; "vector": a row of values ([1, n, 1]), drawn as a line plot. */
  kind: z.enum(['image', 'vector']),
  shape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  count: z.number().int().nonnegative(),
  pixels: z.instanceof(Uint8Array),
});
/** Thumbnails of the latent plot's samples. */
export type LatentSamples = z.infer<typeof LatentSamplesSchema>;

/** Which layer's activations the UI wants, on which of the latent plot's samples (0-based); null: none. */
export const ActivationWatchSchema = z.object({
  /** A spec layer's name (spec.layers[i].name), or "input" for the sample itself. */
  layer: z.string().min(1).max(200),
  sample: z.number().int().min(0),
});
/** The layer and sample the UI watches. */
export type ActivationWatch = z.infer<typeof ActivationWatchSchema>;

/** One layer's output on one sample, or why it was not sent. */
export const ActivationsSchema = z.discriminatedUnion('kind', [
  /** Feature maps: `shown` channels of height × width, channel after channel (each map contiguous); `channels` the layer has. */
  z.object({ kind: z.literal('maps'), height: z.number().int().positive(), width: z.number().int().positive(), channels: z.number().int().positive(), shown: z.number().int().positive(), values: z.instanceof(Float32Array) }),
  /** A vector (or any other shape, flattened). */
  z.object({ kind: z.literal('vector'), shape: z.array(z.number().int().positive()).max(8), values: z.instanceof(Float32Array) }),
  /** Not sent: what is wrong and what to try. */
  z.object({ kind: z.literal('refused'), message: z.string().max(2_000) }),
]);
/** One layer's activations, or a refusal. */
export type Activations = z.infer<typeof ActivationsSchema>;

/** Throws unless the thumbnails are within {@link THUMBNAIL_LIMITS} and their bytes match their shape. */
export function checkLatentSamples(s: LatentSamples, maxCount: number): void {
  const [h, w, c] = s.shape;
  const within = s.kind === 'vector' ? h === 1 && c === 1 && w <= THUMBNAIL_VECTOR_VALUES : h <= THUMBNAIL_LIMITS.height && w <= THUMBNAIL_LIMITS.width && c <= THUMBNAIL_LIMITS.channels;
  if (!within) throw new Error(`Latent thumbnails of ${s.shape.join('×')} are larger than ${THUMBNAIL_LIMITS.height}×${THUMBNAIL_LIMITS.width}×${THUMBNAIL_LIMITS.channels}`);
  if (s.count > maxCount) throw new Error(`${s.count} latent thumbnails are more than the ${maxCount} points plotted`);
  if (s.pixels.length !== s.count * h * w * c) throw new Error(`Latent thumbnails hold ${s.pixels.length} bytes, not the ${s.count * h * w * c} their shape says`);
}

/** Throws unless an activations answer is within {@link ACTIVATION_LIMITS} and its values match its shape. */
export function checkActivations(a: Activations): void {
  if (a.kind === 'refused') return;
  if (a.values.length > MAX_ACTIVATION_VALUES) throw new Error(`An activations answer of ${a.values.length} values is more than ${MAX_ACTIVATION_VALUES}`);
  if (a.kind === 'maps') {
    if (a.shown > ACTIVATION_LIMITS.channels || a.height > ACTIVATION_LIMITS.height || a.width > ACTIVATION_LIMITS.width) throw new Error(`Feature maps of ${a.height}×${a.width}×${a.shown} are over ${ACTIVATION_LIMITS.height}×${ACTIVATION_LIMITS.width}×${ACTIVATION_LIMITS.channels}`);
    if (a.values.length !== a.height * a.width * a.shown) throw new Error(`Feature maps hold ${a.values.length} values, not ${a.height * a.width * a.shown}`);
  }
}
