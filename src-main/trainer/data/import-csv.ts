/** CSV import: numeric columns, an optional label column, header optional. */
import { parse } from 'csv-parse/sync';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { CsvImportOptionsSchema } from '../../../src-shared/datasets/dataset-ref';
import { DatasetError } from './dataset';
import type { LoadedDataset } from './dataset';
import { finishDataset } from './normalize';
import { readSource } from './read-source';

const isNumeric = (cell: string) => cell.trim() !== '' && !Number.isNaN(Number(cell));

/** Parses CSV text into a dataset, refusing ragged rows and non-numeric, NaN or infinite cells by row and column. */
export function parseCsvDataset(text: string, name: string, options: z.output<typeof CsvImportOptionsSchema>): LoadedDataset {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (e) {
    throw new DatasetError(`${name} is not readable CSV: ${(e as Error).message}`, 'Check the quoting and the delimiter (a comma).');
  }
  if (rows.length === 0) throw new DatasetError(`${name} has no rows`, 'Choose a CSV file with one sample per row.');
  const hasHeader = options.header === 'auto' ? !rows[0].every(isNumeric) : options.header;
  const header = hasHeader ? rows[0] : rows[0].map((_, i) => `column ${i + 1}`);
  const body = hasHeader ? rows.slice(1) : rows;
  const firstLine = hasHeader ? 2 : 1;
  if (body.length === 0) throw new DatasetError(`${name} has a header but no data rows`, 'Add rows of numbers below the header.');

  let labelIndex = -1;
  if (options.labelColumn !== undefined) {
    labelIndex = typeof options.labelColumn === 'number' ? options.labelColumn : header.indexOf(options.labelColumn);
    if (labelIndex < 0 || labelIndex >= header.length) {
      throw new DatasetError(`${name} has no column "${options.labelColumn}" for labels`, `Its columns are: ${header.slice(0, 20).join(', ')}${header.length > 20 ? ', …' : ''}.`);
    }
  }
  const width = header.length;
  const features = width - (labelIndex >= 0 ? 1 : 0);
  if (features === 0) throw new DatasetError(`${name} has no feature columns besides the labels`, 'Choose a file with numeric columns.');
  const values = new Float32Array(body.length * features);
  const rawLabels: string[] = [];
  body.forEach((row, r) => {
    const line = r + firstLine;
    if (row.length !== width) throw new DatasetError(`${name}, row ${line}: ${row.length} columns, but ${hasHeader ? 'the header has' : 'row 1 has'} ${width}`, 'Every row needs the same number of columns; fix or remove that row.');
    let k = 0;
    row.forEach((cell, c) => {
      if (c === labelIndex) {
        rawLabels.push(cell);
        return;
      }
      const v = Number(cell);
      if (!isNumeric(cell)) throw new DatasetError(`${name}, row ${line}, column "${header[c]}": "${cell}" is not a number`, 'Remove text columns or mark the column as the label column.');
      if (!Number.isFinite(v)) throw new DatasetError(`${name}, row ${line}, column "${header[c]}": ${cell} is not a finite number`, 'Replace NaN and infinite values (for example by the column mean), or remove the row.');
      values[r * features + k++] = v;
    });
  });
  let labels: Int32Array | null = null;
  if (labelIndex >= 0) {
    const classes = [...new Set(rawLabels)].sort((a, b) => (isNumeric(a) && isNumeric(b) ? Number(a) - Number(b) : a.localeCompare(b)));
    const index = new Map(classes.map((c, i) => [c, i]));
    labels = Int32Array.from(rawLabels, (l) => index.get(l)!);
  }
  return finishDataset({ name, shape: [features], values, labels, layout: 'table' });
}

/** Reads and parses a CSV file. */
export async function importCsv(path: string, options: z.output<typeof CsvImportOptionsSchema>): Promise<LoadedDataset> {
  const bytes = await readSource(path);
  return parseCsvDataset(new TextDecoder().decode(bytes), basename(path), options);
}

