/** The dataset picker's view of a dataset, as the trainer answers a preview request and the renderer shows it. */
import { z } from 'zod';
import { DatasetSummarySchema } from './dataset-ref';

/** Samples a preview shows, spread over the dataset. */
export const PREVIEW_SAMPLES = 8;

/**
 * Values one preview sample may hold (a 128×128 RGB image): larger samples are
 * shrunk by the trainer, so an answer stays under 400 kB whatever the dataset
 * (eight 7000×7000 samples at full size were 392 MB through IPC, twice).
 */
export const PREVIEW_MAX_VALUES = 128 * 128 * 3;

/** A dataset as the picker shows it: what loading found, and a few samples as 8-bit images. */
export const DatasetPreviewSchema = z.object({
  summary: DatasetSummarySchema,
  /** Shape of one preview image: [height, width, channels], shrunk from the dataset's to at most {@link PREVIEW_MAX_VALUES} values. */
  imageShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  /** Up to {@link PREVIEW_SAMPLES} samples, 8-bit, one after another. */
  samples: z.instanceof(Uint8Array).refine((a) => a.length <= PREVIEW_SAMPLES * PREVIEW_MAX_VALUES, `a preview holds at most ${PREVIEW_SAMPLES} samples of ${PREVIEW_MAX_VALUES} values`),
  labelNames: z.array(z.string()).nullable(),
});
/** A dataset preview. */
export type DatasetPreview = z.infer<typeof DatasetPreviewSchema>;
