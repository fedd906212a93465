/** The dataset picker's and the Data view's view of a dataset, as the trainer answers a preview request and the renderer shows it. */
import { z } from 'zod';
import { DatasetSummarySchema } from './dataset-ref';

/** Samples a preview shows when no page is asked for, spread over the dataset. */
export const PREVIEW_SAMPLES = 8;

/** The most samples one page of the Data view may ask for. */
export const PREVIEW_PAGE_MAX = 48;

/**
 * Values one preview sample may hold (a 128×128 RGB image): larger samples are
 * shrunk by the trainer, so an answer stays under 400 kB whatever the dataset
 * (eight 7000×7000 samples at full size were 392 MB through IPC, twice).
 */
export const PREVIEW_MAX_VALUES = 128 * 128 * 3;

/** The most sample values one answer holds: a page of small samples is long, a page of large ones is cut to this. */
export const PREVIEW_ANSWER_MAX_VALUES = PREVIEW_SAMPLES * PREVIEW_MAX_VALUES;

/** Classes a preview's histogram lists at most (an import's label column may hold anything). */
export const PREVIEW_MAX_CLASSES = 10_000;

/** Which samples to show: a page of the samples of one class (or of all), and the split to mark them with. */
export const PreviewQuerySchema = z.object({
  /** First sample of the page, counted among the samples the filter keeps. */
  offset: z.number().int().min(0).max(1e9).default(0),
  /** Samples asked for; the answer may hold fewer when samples are large (see {@link PREVIEW_ANSWER_MAX_VALUES}). */
  limit: z.number().int().min(1).max(PREVIEW_PAGE_MAX).default(PREVIEW_SAMPLES),
  /** Only samples with this label; null = all. */
  label: z.number().int().nullable().default(null),
  /** The project's validation fraction and seed, so the split shown is the one training will use. */
  validationSplit: z.number().min(0).max(0.9).default(0.1),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
});
/** A page request, as a caller writes it. */
export type PreviewQuery = z.input<typeof PreviewQuerySchema>;
/** A page request with its defaults filled in, as it arrives. */
export type PageRequest = z.output<typeof PreviewQuerySchema>;

const count = z.number().int().nonnegative();

/** What a page request adds to a preview: which samples these are, their labels and split, and the whole dataset's statistics. */
export const PreviewPageSchema = z.object({
  /** The offset and label filter answered. */
  offset: count,
  label: z.number().int().nullable(),
  /** Samples the filter keeps (the pages' total). */
  matching: count,
  /** Index in the dataset of each sample shown. */
  indices: z.array(count).max(PREVIEW_PAGE_MAX),
  /** Label of each sample shown; null without labels. */
  labels: z.array(z.number().int()).max(PREVIEW_PAGE_MAX).nullable(),
  /** Whether each sample shown is held out for validation. */
  validation: z.array(z.boolean()).max(PREVIEW_PAGE_MAX),
  /** Samples per label value, ascending by label; null without labels. */
  classes: z.array(z.object({ label: z.number().int(), count })).max(PREVIEW_MAX_CLASSES).nullable(),
  /** Range, mean and standard deviation of the values at training scale (after normalisation). */
  stats: z.object({ min: z.number(), max: z.number(), mean: z.number(), std: z.number() }),
  /** Samples in each part of the split. */
  split: z.object({ train: count, validation: count }),
});
/** A page's extra facts. */
export type PreviewPage = z.infer<typeof PreviewPageSchema>;

/** A dataset as the picker shows it: what loading found, and a few samples as 8-bit images. */
export const DatasetPreviewSchema = z.object({
  summary: DatasetSummarySchema,
  /** Shape of one preview image: [height, width, channels], shrunk from the dataset's to at most {@link PREVIEW_MAX_VALUES} values. */
  imageShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  /** Up to {@link PREVIEW_PAGE_MAX} samples, 8-bit, one after another, {@link PREVIEW_ANSWER_MAX_VALUES} values in all at most. */
  samples: z.instanceof(Uint8Array).refine((a) => a.length <= PREVIEW_ANSWER_MAX_VALUES, `a preview holds at most ${PREVIEW_ANSWER_MAX_VALUES} sample values`),
  /** The 8-bit scale: the training-scale values that map to 0 and 255 (vector plots label their axis with it). */
  scale: z.tuple([z.number(), z.number()]).optional(),
  labelNames: z.array(z.string()).nullable(),
  /** Present when a page was asked for. */
  page: PreviewPageSchema.optional(),
});
/** A dataset preview. */
export type DatasetPreview = z.infer<typeof DatasetPreviewSchema>;

/** Whether a sample of this shape is a vector (a row of values, drawn as a plot) rather than an image. */
export function isVectorShape(shape: readonly number[]): boolean {
  return shape.length !== 3;
}

/** The name of a label: the dataset's own when it has one, else the number. */
export function labelName(names: readonly string[] | null | undefined, label: number): string {
  return names?.[label] ?? String(label);
}
