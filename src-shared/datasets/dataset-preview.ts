/** The dataset picker's view of a dataset, as the trainer answers a preview request and the renderer shows it. */
import { z } from 'zod';
import { DatasetSummarySchema } from './dataset-ref';

/** Samples a preview shows, spread over the dataset. */
export const PREVIEW_SAMPLES = 8;

/** A dataset as the picker shows it: what loading found, and a few samples as 8-bit images. */
export const DatasetPreviewSchema = z.object({
  summary: DatasetSummarySchema,
  /** Shape of one preview image: [height, width, channels]. */
  imageShape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  /** Up to {@link PREVIEW_SAMPLES} samples, 8-bit, one after another. */
  samples: z.instanceof(Uint8Array),
  labelNames: z.array(z.string()).nullable(),
});
/** A dataset preview. */
export type DatasetPreview = z.infer<typeof DatasetPreviewSchema>;
