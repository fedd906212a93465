/** Which data a run trains on: a built-in dataset or an import, as both the project and the trainer name it. */
import { z } from 'zod';

/** Options of a folder of PNG/JPEG images. */
export const ImageImportOptionsSchema = z.object({
  /** Every image is resized to this size; without it all images must share one size. */
  width: z.number().int().min(1).max(1024).optional(),
  height: z.number().int().min(1).max(1024).optional(),
  /** 1 = grayscale, 3 = RGB. */
  channels: z.union([z.literal(1), z.literal(3)]).default(1),
});

/** Options of a CSV file of numeric columns. */
export const CsvImportOptionsSchema = z.object({
  /** Column holding labels (by header name or 0-based index); absent = no labels. */
  labelColumn: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
  /** Whether the first row is a header; "auto" guesses from whether it is numeric. */
  header: z.union([z.boolean(), z.literal('auto')]).default('auto'),
});

/** Options of NPY and IDX files. */
export const ArrayImportOptionsSchema = z.object({
  /** A second file of the same format with one integer label per sample. */
  labelsPath: z.string().min(1).optional(),
});

/** A reference to the data of a run. */
export const DatasetRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), id: z.string().min(1) }),
  z.object({ kind: z.literal('images'), path: z.string().min(1), options: ImageImportOptionsSchema.default({ channels: 1 }) }),
  z.object({ kind: z.literal('csv'), path: z.string().min(1), options: CsvImportOptionsSchema.default({ header: 'auto' }) }),
  z.object({ kind: z.literal('npy'), path: z.string().min(1), options: ArrayImportOptionsSchema.default({}) }),
  z.object({ kind: z.literal('idx'), path: z.string().min(1), options: ArrayImportOptionsSchema.default({}) }),
]);
/** A reference to the data of a run. */
export type DatasetRef = z.infer<typeof DatasetRefSchema>;

/** What loading a dataset found, reported to the person before training starts. */
export const DatasetSummarySchema = z.object({
  /** Human-readable name, e.g. "MNIST digits" or the imported file name. */
  name: z.string(),
  /** Shape of one sample. */
  shape: z.array(z.number().int().positive()),
  count: z.number().int().nonnegative(),
  /** Range of the values as found in the source, before normalisation. */
  sourceRange: z.tuple([z.number(), z.number()]),
  /** How values were brought to the training scale. */
  normalization: z.enum(['none', 'scaled-0-1', 'standardized']),
  /** Distinct label values, when the dataset has labels. */
  labelCount: z.number().int().nonnegative(),
});
/** What loading a dataset found. */
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

/** A dataset named by a path: CSV, NPY or IDX by its extension (".gz" allowed for IDX), a folder (or a name without extension) of images. */
export function datasetRefFromPath(path: string, isDirectory: boolean): DatasetRef {
  const lower = path.toLowerCase().replace(/\.gz$/, '');
  if (!isDirectory && lower.endsWith('.csv')) return { kind: 'csv', path, options: { header: 'auto' } };
  if (!isDirectory && lower.endsWith('.npy')) return { kind: 'npy', path, options: {} };
  // A name without an extension is taken for a folder, except IDX files named the MNIST way (…-idx3-ubyte).
  if (isDirectory || (!/\.[^./\\]+$/.test(lower) && !lower.endsWith('ubyte'))) return { kind: 'images', path, options: { channels: 1 } };
  return { kind: 'idx', path, options: {} };
}
