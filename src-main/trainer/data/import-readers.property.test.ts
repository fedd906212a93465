/**
 * Property tests of the NPY, IDX and CSV readers: whatever bytes arrive, the
 * answer is a DatasetError or a dataset that holds exactly what the file
 * says, never another exception and never an allocation a header merely
 * claims; valid files read back exactly what was written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idxUint8, npyBytes } from '../../../tests/helpers/array-files';
import { DatasetSummarySchema } from '../../../src-shared/datasets/dataset-ref';
import { DatasetError } from './dataset';
import type { LoadedDataset } from './dataset';
import { arrayValues, datasetFromArray, decodeIdx, decodeNpy } from './import-arrays';
import { isDecimal, parseCsvBytes } from './import-csv';

const LIMITS = { maxValues: 4096 };
const CSV_LIMITS = { maxBytes: 64 * 1024, maxLineBytes: 512, maxValues: 4096 };

/** A dataset as every reader must return one: shapes, counts and values consistent, all finite. */
function expectSound(d: LoadedDataset): void {
  expect(DatasetSummarySchema.safeParse(d.summary).success).toBe(true);
  const size = d.summary.shape.reduce((a, b) => a * b, 1);
  expect(d.summary.count).toBeGreaterThan(0);
  expect(d.values.length).toBe(d.summary.count * size);
  expect(d.values.length).toBeLessThanOrEqual(LIMITS.maxValues);
  expect(d.values.every(Number.isFinite)).toBe(true);
  if (d.labels) expect(d.labels.length).toBe(d.summary.count);
}

/** Runs a reader: a DatasetError is a fine answer, a dataset must be sound, anything else fails the property. */
function readsOrRefuses(read: () => LoadedDataset): void {
  let d: LoadedDataset;
  try {
    d = read();
  } catch (e) {
    if (e instanceof DatasetError) return;
    throw e;
  }
  expectSound(d);
}

const npy = (bytes: Uint8Array) => () => datasetFromArray(decodeNpy(bytes, 'p.npy', LIMITS), 'p.npy');
const idx = (bytes: Uint8Array) => () => datasetFromArray(decodeIdx(bytes, 'p.idx', LIMITS), 'p.idx');
const csv = (bytes: Uint8Array) => () => parseCsvBytes(bytes, 'p.csv', { header: 'auto' }, CSV_LIMITS);

const NPY_MAGIC = Uint8Array.from([0x93, ...Buffer.from('NUMPY'), 1, 0]);
/** Header text made of the pieces NumPy's dict is made of, in any order: reaches deep into the parser. */
const headerPieces = fc.array(fc.constantFrom('{', '}', '(', ')', '[', ']', ',', ':', ' ', "'", '"', "'descr'", "'<f4'", "'|u1'", "'<i8'", "'fortran_order'", 'True', 'False', "'shape'", '0', '1', '2', '-3', '3.5', '1048576', '\n', 'L', 'x'), { maxLength: 40 }).map((a) => a.join(''));
const withNpyHeader = (header: string, data: Uint8Array) => {
  const text = Buffer.from(header, 'latin1');
  const out = new Uint8Array(10 + text.length + data.length);
  out.set(NPY_MAGIC);
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(text, 10);
  out.set(data, 10 + text.length);
  return out;
};

const DTYPES = ['<f4', '<f8', '|u1', '|i1', '<u2', '<i2', '<u4', '<i4', '<u8', '<i8'] as const;
const dims = fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(2 ** 20, 2 ** 31, 2 ** 40)), { minLength: 0, maxLength: 5 });

describe('NPY reader on arbitrary bytes', () => {
  it('answers any bytes with a DatasetError or a sound dataset', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => readsOrRefuses(npy(b))), { numRuns: 300 });
  });

  it('answers any header text built from dict pieces, over any data, the same way', () => {
    fc.assert(fc.property(headerPieces, fc.uint8Array({ maxLength: 200 }), (h, data) => readsOrRefuses(npy(withNpyHeader(h, data)))), { numRuns: 500 });
  });

  it('answers arbitrary bytes after a valid header of any dtype and shape (dimensions up to 2^40) the same way', () => {
    fc.assert(fc.property(fc.constantFrom(...DTYPES), dims, fc.uint8Array({ maxLength: 400 }), (dtype, shape, data) => readsOrRefuses(npy(npyBytes(dtype, shape, data)))), { numRuns: 400 });
  });

  it('answers random data of exactly the promised length the same way (NaN, huge and 64-bit values included)', () => {
    const SIZES: Record<(typeof DTYPES)[number], number> = { '<f4': 4, '<f8': 8, '|u1': 1, '|i1': 1, '<u2': 2, '<i2': 2, '<u4': 4, '<i4': 4, '<u8': 8, '<i8': 8 };
    const file = fc.tuple(fc.constantFrom(...DTYPES), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 })).chain(([dtype, shape]) => {
      const n = shape.reduce((a, b) => a * b, 1) * SIZES[dtype];
      return fc.uint8Array({ minLength: n, maxLength: n }).map((data) => npyBytes(dtype, shape, data));
    });
    fc.assert(fc.property(file, (bytes) => readsOrRefuses(npy(bytes))), { numRuns: 400 });
  });

  it('reads back exactly the float32 values written, for any 2-D shape', () => {
    const matrix = fc.integer({ min: 1, max: 8 }).chain((cols) => fc.array(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 8 }));
    fc.assert(
      fc.property(matrix, (rows) => {
        const flat = rows.flat();
        const back = decodeNpy(npyBytes('<f4', [rows.length, rows[0].length], new Uint8Array(new Float32Array(flat).buffer)), 'r.npy');
        expect(back.shape).toEqual([rows.length, rows[0].length]);
        expect(Array.from(arrayValues(back, 'r.npy'))).toEqual(Array.from(new Float32Array(flat)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('IDX reader on arbitrary bytes', () => {
  it('answers any bytes with a DatasetError or a sound dataset', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => readsOrRefuses(idx(b))), { numRuns: 300 });
  });

  it('answers arbitrary bytes after a valid header of any type and shape (dimensions up to 2^31) the same way', () => {
    const header = fc.tuple(fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e), fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(2 ** 20, 2 ** 31)), { minLength: 1, maxLength: 5 }));
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 400 }), ([type, shape], data) => {
        const head = idxUint8(shape, []);
        head[2] = type;
        readsOrRefuses(idx(Uint8Array.from([...head, ...data])));
      }),
      { numRuns: 400 },
    );
  });

  it('reads back exactly the bytes written as uint8', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.uint8Array({ minLength: 36, maxLength: 36 }), (n, d, pool) => {
        const values = Array.from(pool.subarray(0, n * d));
        expect(Array.from(arrayValues(decodeIdx(idxUint8([n, d], values), 'r.idx'), 'r.idx'))).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });
});

describe('memory is bounded by the file, not by what a header claims', () => {
  it('refuses headers promising up to 2^200 values over short files without allocating them', () => {
    const before = process.memoryUsage().arrayBuffers;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(2 ** 20, 2 ** 30, 2 ** 40), { minLength: 2, maxLength: 5 }), fc.constantFrom(...DTYPES), (shape, dtype) => {
        expect(() => decodeNpy(npyBytes(dtype, shape, new Uint8Array(64)), 'bomb.npy')).toThrow(DatasetError);
        const head = idxUint8(shape.map((d) => Math.min(d, 2 ** 32 - 1)), []);
        expect(() => decodeIdx(Uint8Array.from([...head, 1, 2, 3]), 'bomb.idx')).toThrow(DatasetError);
      }),
      { numRuns: 100 },
    );
    // A single allocation of the smallest claim (2^40 values) would be terabytes; nothing near even 64 MB happened.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('CSV reader on arbitrary bytes', () => {
  it('answers any bytes with a DatasetError or a sound dataset', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => readsOrRefuses(csv(b))), { numRuns: 300 });
  });

  it('answers any text made of CSV pieces (quotes, separators, every line ending, BOMs, look-alike numbers) the same way', () => {
    const piece = fc.constantFrom('1', '0.5', '-2', '.5', '1e-3', '0x10', 'Infinity', 'NaN', '1_0', ',', ',', '"', '""', ' ', '\n', '\r\n', '\r', '\uFEFF', 'a', 'é', '\u001b', '\t');
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), (parts) => readsOrRefuses(csv(Buffer.from(parts.join(''), 'utf8')))), { numRuns: 500 });
  });

  it('reads back any matrix of numbers in [0, 1] exactly as float32, whatever mix of line endings, BOM and spaces', () => {
    const value = fc.double({ min: 0, max: 1, noNaN: true }).map((v) => v + 0); // + 0 turns -0 into 0
    const matrix = fc.integer({ min: 1, max: 6 }).chain((cols) => fc.array(fc.array(value, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 10 }));
    const endings = fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 10, maxLength: 10 });
    fc.assert(
      fc.property(matrix, endings, fc.boolean(), fc.constantFrom('', ' ', '\t'), (rows, eol, bom, pad) => {
        const text = (bom ? '\uFEFF' : '') + rows.map((r, i) => r.map((v) => `${pad}${v}${pad}`).join(',') + eol[i]).join('');
        const d = parseCsvBytes(Buffer.from(text, 'utf8'), 'r.csv', { header: 'auto' }, CSV_LIMITS);
        expect(d.summary).toMatchObject({ count: rows.length, shape: [rows[0].length], normalization: 'none' });
        expect(Array.from(d.values)).toEqual(Array.from(new Float32Array(rows.flat())));
      }),
      { numRuns: 200 },
    );
  });

  it('takes a cell for a number exactly when it is decimal notation (the byte reader agrees with the documented rule)', () => {
    const cell = fc.array(fc.constantFrom('0', '1', '9', '+', '-', '.', 'e', 'E', 'x', 'b', '_', 'I'), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(cell, (text) => {
        let verdict: string;
        try {
          parseCsvBytes(Buffer.from(`${text}\n${text}\n`), 'd.csv', { header: false }, CSV_LIMITS);
          verdict = 'number';
        } catch (e) {
          verdict = /finite|range of 32-bit/.test((e as Error).message) ? 'number' : 'text';
        }
        expect(verdict).toBe(isDecimal(text) ? 'number' : 'text');
      }),
      { numRuns: 500 },
    );
  });
});
