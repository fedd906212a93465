/**
 * CSV import: numeric columns, an optional label column, header optional.
 * Numbers are decimal notation only (`1`, `-2.5`, `.5`, `1e-3`, `+3`, `5.`):
 * JavaScript's Number() also reads `0x10`, `0b101`, `0o7`, `Infinity` and
 * whitespace, which no spreadsheet means as data. Two passes over the bytes:
 * the first counts rows and columns (refusing ragged rows), so the values
 * are allocated once, at their exact size, after the value cap is checked.
 */
import { basename } from 'node:path';
import type { ImportOptions } from '../../../src-shared/datasets/import-formats';
import { DatasetError, MAX_DATASET_VALUES, quoteSnippet, snippet } from './dataset';
import type { LoadedDataset } from './dataset';
import { checkCsvBytes, CsvTokenizer } from './import-csv-bytes';
import type { CsvLimits, CsvRecord } from './import-csv-bytes';
import { finishDataset } from './normalize';
import { readSource } from './read-source';

/** The default bounds: a row is one sample, so 4 MB of text is far beyond any real one. */
export const CSV_LIMITS: CsvLimits = { maxBytes: 1024 ** 3, maxLineBytes: 4 * 1024 ** 2, maxValues: MAX_DATASET_VALUES };
/** More distinct values than this in the label column mean it is not a column of classes. */
export const MAX_LABEL_CLASSES = 10_000;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Whether `cell` is a number in decimal notation. */
export const isDecimal = (cell: string): boolean => DECIMAL.test(cell);

const NUMBER_HINT = 'Write numbers in decimal notation (1, -2.5, .5, 1e-3); remove text columns or mark the column as the label column.';

function firstRecordIsNumeric(rec: CsvRecord): boolean {
  for (let c = 0; c < rec.length; c++) if (rec.decimal(c) === null) return false;
  return true;
}

/** Pass 1: the number of records and columns, refusing ragged rows. */
function measure(bytes: Uint8Array, start: number, name: string, header: boolean | 'auto') {
  const tok = new CsvTokenizer(bytes, start, name);
  if (!tok.next()) throw new DatasetError(`${name} has no rows`, 'Choose a CSV file with one sample per row.');
  const width = tok.record.length;
  const hasHeader = header === 'auto' ? !firstRecordIsNumeric(tok.record) : header;
  let records = 1;
  while (tok.next()) {
    records++;
    const rec = tok.record;
    if (rec.length !== width) throw new DatasetError(`${name}, row ${rec.line}: ${rec.length} columns, but ${hasHeader ? 'the header has' : 'row 1 has'} ${width}`, 'Every row needs the same number of columns; fix or remove that row.');
  }
  return { width, hasHeader, rows: records - (hasHeader ? 1 : 0) };
}

/** Parses the bytes of a CSV file into a dataset, refusing ragged rows and cells that are not finite decimal numbers, by row and column. */
export function parseCsvBytes(bytes: Uint8Array, name: string, options: ImportOptions<'csv'>, limits: CsvLimits = CSV_LIMITS): LoadedDataset {
  const start = checkCsvBytes(bytes, name, limits);
  const { width, hasHeader, rows } = measure(bytes, start, name, options.header);
  if (rows === 0) throw new DatasetError(`${name} has a header but no data rows`, 'Add rows of numbers below the header.');

  const tok = new CsvTokenizer(bytes, start, name);
  tok.next();
  const rec = tok.record;
  const header = Array.from({ length: width }, (_, c) => (hasHeader ? rec.text(c, name) : `column ${c + 1}`));
  let labelIndex = -1;
  if (options.labelColumn !== undefined) {
    labelIndex = typeof options.labelColumn === 'number' ? options.labelColumn : header.indexOf(options.labelColumn);
    if (labelIndex < 0 || labelIndex >= width) {
      const names = header.slice(0, 20).map((h) => snippet(h, 30));
      throw new DatasetError(`${name} has no column "${snippet(String(options.labelColumn), 30)}" for labels`, `Its columns are: ${names.join(', ')}${width > 20 ? ', …' : ''}.`);
    }
  }
  const features = width - (labelIndex >= 0 ? 1 : 0);
  if (features === 0) throw new DatasetError(`${name} has no feature columns besides the labels`, 'Choose a file with numeric columns.');
  if (rows * features > limits.maxValues) throw new DatasetError(`${name} holds ${rows} rows of ${features} values, more than the ${limits.maxValues} values an import may hold`, 'Use a subset of the rows, or fewer columns.');

  const values = new Float32Array(rows * features);
  const classOf = new Map<string, number>();
  const firstSeen = labelIndex >= 0 ? new Int32Array(rows) : null;
  let k = 0;
  // Without a header, the record already read is the first row of data.
  let more = hasHeader ? tok.next() : true;
  for (let r = 0; more; r++, more = tok.next()) {
    for (let c = 0; c < width; c++) {
      if (c === labelIndex) {
        const label = rec.text(c, name);
        let id = classOf.get(label);
        if (id === undefined) {
          if (classOf.size === MAX_LABEL_CLASSES) throw new DatasetError(`${name}: the label column "${snippet(header[c], 30)}" has more than ${MAX_LABEL_CLASSES} distinct values`, 'Labels name classes; choose the column that does, or none.');
          classOf.set(label, (id = classOf.size));
        }
        firstSeen![r] = id;
        continue;
      }
      const cell = rec.decimal(c);
      const v = cell === null ? Number.NaN : Number(cell);
      if (!Number.isFinite(Math.fround(v))) refuseCell(rec, c, header[c], name, cell);
      values[k++] = v;
    }
  }
  return finishDataset({ name, shape: [features], values, labels: firstSeen && sortedLabels(classOf, firstSeen), layout: 'table' });
}

function refuseCell(rec: CsvRecord, c: number, column: string, name: string, decimal: string | null): never {
  const where = `${name}, row ${rec.line}, column "${snippet(column, 30)}"`;
  const text = rec.lenient(c);
  const shown = quoteSnippet(text);
  if (decimal !== null) {
    throw new DatasetError(Number.isFinite(Number(decimal)) ? `${where}: ${shown} is beyond the range of 32-bit floats (±3.4e38)` : `${where}: ${shown} is not a finite number`, 'Scale the column down, or remove the row.');
  }
  // Number() would read these (or, for 1_000, JavaScript source would): say why they are refused.
  const lookalike = text.trim() !== '' && (!Number.isNaN(Number(text)) || /^[+-]?[\d.]+(?:_\d+)+$/.test(text.trim()));
  const hint = /^[^;]+(;[^;]*)+$/.test(text) ? 'The cells seem to be separated by semicolons: save the file with commas between cells and points as decimal marks.' : NUMBER_HINT;
  throw new DatasetError(`${where}: ${shown} is not a number${lookalike ? ' in decimal notation' : ''}`, hint);
}

/** Labels by class index, classes sorted (numerically when all are numbers). */
function sortedLabels(classOf: Map<string, number>, firstSeen: Int32Array): Int32Array {
  const names = [...classOf.keys()];
  const numeric = names.every(isDecimal);
  const order = names.map((n, id) => ({ n, id })).sort((a, b) => (numeric ? Number(a.n) - Number(b.n) : a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  const rank = new Int32Array(names.length);
  order.forEach(({ id }, r) => (rank[id] = r));
  return firstSeen.map((id) => rank[id]);
}

/** Parses CSV text (tests and small inputs); files go through `parseCsvBytes` without becoming one string. */
export function parseCsvDataset(text: string, name: string, options: ImportOptions<'csv'>, limits: CsvLimits = CSV_LIMITS): LoadedDataset {
  return parseCsvBytes(Buffer.from(text, 'utf8'), name, options, limits);
}

/** Reads and parses a CSV file. */
export async function importCsv(path: string, options: ImportOptions<'csv'>): Promise<LoadedDataset> {
  return parseCsvBytes(await readSource(path), snippet(basename(path), 100), options);
}
