/**
 * The import formats, as one table: the dataset-ref schema, the trainer's
 * loaders (a `Record<ImportFormat, …>`), the dataset picker and the CLI help
 * all read it, so a new format is one entry here and then whatever the
 * compiler asks for.
 */
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

/** What the app knows about one import format. */
export interface ImportFormatInfo {
  /** Name shown to people (picker, CLI help). */
  label: string;
  /** Whether a person names a file or a folder. */
  target: 'file' | 'folder';
  /** Name endings (lower case) that mark the format; for a folder, those of the files read inside it. */
  extensions: readonly string[];
  /** Whether a gzipped file (the same name plus `.gz`) is read too. */
  gzip: boolean;
  /** Format-specific options; `{}` parses to the defaults. */
  options: z.ZodObject;
  /** One line on what is read, for the CLI help and the picker's tooltip. */
  help: string;
}

/** Every import format, keyed by the id stored in projects (`datasetImport.format`) and dataset refs (`kind`). */
export const IMPORT_FORMATS = {
  csv: {
    label: 'CSV file',
    target: 'file',
    extensions: ['.csv'],
    gzip: true,
    options: CsvImportOptionsSchema,
    help: 'UTF-8, comma-separated numbers in decimal notation (1, -2.5, .5, 1e-3); an optional header row and label column',
  },
  images: {
    label: 'Folder of PNG/JPEG images',
    target: 'folder',
    extensions: ['.png', '.jpg', '.jpeg'],
    gzip: false,
    options: ImageImportOptionsSchema,
    help: 'Images in the folder, or one sub-folder per class for labels; symbolic links are refused; resized to one size when asked',
  },
  npy: {
    label: 'NPY file',
    target: 'file',
    extensions: ['.npy'],
    gzip: true,
    options: ArrayImportOptionsSchema,
    help: 'An array saved by numpy.save: float32/64 or (u)int8/16/32/64, little-endian, C order; samples on the first axis',
  },
  idx: {
    label: 'IDX file (MNIST format)',
    target: 'file',
    extensions: ['.idx', '-ubyte', '.ubyte'],
    gzip: true,
    options: ArrayImportOptionsSchema,
    help: 'The format of the original MNIST files (train-images-idx3-ubyte); a file with another extension is read as IDX',
  },
} as const satisfies Record<string, ImportFormatInfo>;

/** An import format id. */
export type ImportFormat = keyof typeof IMPORT_FORMATS;

/** The import format ids, in the table's order (the picker's order). */
export const IMPORT_FORMAT_IDS = Object.keys(IMPORT_FORMATS) as [ImportFormat, ...ImportFormat[]];

/** Parsed options of one format. */
export type ImportOptions<K extends ImportFormat> = z.output<(typeof IMPORT_FORMATS)[K]['options']>;

/** Words of `text` in lines of at most `width` characters, each after `indent`. */
function wrap(text: string, indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, indent + line];
}

/** The formats as help text for a terminal (80 columns): "csv     CSV file (.csv, optionally .gz)", then what is read, indented. */
export function importFormatsHelp(indent: string): string {
  const pad = Math.max(...IMPORT_FORMAT_IDS.map((id) => id.length)) + 2;
  return IMPORT_FORMAT_IDS.map((id) => {
    const f: ImportFormatInfo = IMPORT_FORMATS[id];
    const names = f.target === 'folder' ? `a folder of ${f.extensions.join(', ')}` : `${f.extensions.join(', ')}${f.gzip ? ', optionally .gz' : ''}`;
    return [`${indent}${id.padEnd(pad)}${f.label}: ${names}.`, ...wrap(`${f.help}.`, indent + ' '.repeat(pad), 80)].join('\n');
  }).join('\n');
}
