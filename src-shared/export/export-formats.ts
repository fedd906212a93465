/**
 * The export formats, one entry each: the export dialog, the CLI's help and
 * --format check, the protocol schema and the trainer's writers all derive
 * from this table. Adding a format here makes the trainer's dispatcher
 * (src-main/trainer/export/export-run.ts) fail to compile until it has a writer.
 */

/** What the person sees and gets for one export format. */
export interface ExportFormatInfo {
  /** Short name in the export dialog. */
  label: string;
  /** One line for the CLI help: what is written. */
  help: string;
  /** The files or folders (ending in /) it writes, relative to the export folder. */
  files: readonly string[];
}

/** Every export format, in the order the dialog and the help list them. */
export const EXPORT_FORMAT_TABLE = {
  tfjs: { label: 'TF.js (autoencoder, encoder, decoder)', help: 'TF.js layers models of the three parts (no decoder where connections go around the code: decoder-not-exported.txt says why)', files: ['autoencoder/', 'encoder/', 'decoder/'] },
  onnx: { label: 'ONNX (the same three)', help: 'the same three as ONNX (opset 13)', files: ['autoencoder.onnx', 'encoder.onnx', 'decoder.onnx'] },
  keras: { label: 'Keras script', help: 'a Keras script that loads the TF.js weights', files: ['model.py'] },
  'latent-csv': { label: 'Latent codes (CSV)', help: 'codes of the whole dataset, with labels', files: ['latent.csv'] },
  'metrics-csv': { label: 'Metrics (CSV)', help: 'losses and penalties per epoch', files: ['metrics.csv'] },
  'reconstructions-png': { label: 'Reconstructions (PNG)', help: 'inputs and reconstructions, last epoch', files: ['reconstructions.png'] },
} as const satisfies Record<string, ExportFormatInfo>;

/** One export format's id. */
export type ExportFormat = keyof typeof EXPORT_FORMAT_TABLE;

/** The ids, in table order (a non-empty tuple, as z.enum takes it). */
export const EXPORT_FORMATS = Object.keys(EXPORT_FORMAT_TABLE) as [ExportFormat, ...ExportFormat[]];

/** Whether `name` is an export format (own keys only: a name from the command line is not trusted). */
export function isExportFormat(name: string): name is ExportFormat {
  return Object.hasOwn(EXPORT_FORMAT_TABLE, name);
}
