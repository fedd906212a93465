/** Which data a run trains on: a built-in dataset or an import, as both the project and the trainer name it. */
import { z } from 'zod';
import { IMPORT_FORMAT_IDS, IMPORT_FORMATS } from './import-formats';
import type { ImportFormat, ImportFormatInfo } from './import-formats';

type ImportRefSchema<K extends ImportFormat> = z.ZodObject<{
  kind: z.ZodLiteral<K>;
  path: z.ZodString;
  options: z.ZodPrefault<(typeof IMPORT_FORMATS)[K]['options']>;
}>;
/** One schema per format; the union type keeps each kind with its own options. */
type AnyImportRefSchema = { [K in ImportFormat]: ImportRefSchema<K> }[ImportFormat];

function importRefSchema(kind: ImportFormat): AnyImportRefSchema {
  const options = IMPORT_FORMATS[kind].options as z.ZodObject;
  return z.object({ kind: z.literal(kind), path: z.string().min(1), options: options.prefault({}) }) as unknown as AnyImportRefSchema;
}

/** A reference to the data of a run: a built-in dataset, or one entry per import format of the table. */
export const DatasetRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), id: z.string().min(1) }),
  ...IMPORT_FORMAT_IDS.map(importRefSchema),
]);
/** A reference to the data of a run. */
export type DatasetRef = z.infer<typeof DatasetRefSchema>;
/** A reference to an import of format K. */
export type ImportRef<K extends ImportFormat = ImportFormat> = Extract<DatasetRef, { kind: K }>;

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

/** IDX files have no fixed extension (train-images-idx3-ubyte), so a file of no other format is taken for one. */
const OTHER_FILES: ImportFormat = 'idx';

/**
 * A dataset named by a path, its format chosen by the table's extensions (".gz" allowed where the table says):
 * a folder is the folder format; a name without an extension is taken for a folder too (it may not exist yet).
 */
export function datasetRefFromPath(path: string, isDirectory: boolean): ImportRef {
  const lower = path.toLowerCase();
  const folder = IMPORT_FORMAT_IDS.find((id) => IMPORT_FORMATS[id].target === 'folder')!;
  const byName = IMPORT_FORMAT_IDS.find((id) => {
    const f: ImportFormatInfo = IMPORT_FORMATS[id];
    const name = f.gzip ? lower.replace(/\.gz$/, '') : lower;
    return f.target === 'file' && f.extensions.some((ext) => name.endsWith(ext));
  });
  const kind = isDirectory ? folder : (byName ?? (/\.[^./\\]+$/.test(lower.replace(/\.gz$/, '')) ? OTHER_FILES : folder));
  return DatasetRefSchema.parse({ kind, path, options: {} }) as ImportRef;
}
