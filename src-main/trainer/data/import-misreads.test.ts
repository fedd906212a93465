/**
 * Each misread issue 14 found in the NPY, IDX and CSV importers, on real
 * files in a temporary folder: what used to be accepted wrongly is now read
 * exactly or refused with a message that says what and where.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { idxUint8, npyBytes } from '../../../tests/helpers/array-files';
import { DatasetError } from './dataset';
import { datasetFromArray, decodeIdx, decodeNpy, importNpy } from './import-arrays';
import { importCsv, parseCsvDataset } from './import-csv';

let dir: string;
const put = async (name: string, data: string | Uint8Array) => {
  await writeFile(join(dir, name), data);
  return join(dir, name);
};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aes-misread-'));
});

async function refusal(p: Promise<unknown>): Promise<DatasetError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
}

/** The DatasetError `read` throws (failing the test if it throws nothing or something else). */
function thrown(read: () => unknown): DatasetError {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return e as DatasetError;
  }
  throw new Error('accepted');
}

/** An NPY v1.0 file with exactly this header text (padded as NumPy pads) and data. */
function npyWithHeader(header: string, data = new Uint8Array(0)): Uint8Array {
  const padded = `${header}${' '.repeat(64 - ((10 + header.length + 1) % 64))}\n`;
  const out = new Uint8Array(10 + padded.length + data.length);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  new DataView(out.buffer).setUint16(8, padded.length, true);
  out.set(Buffer.from(padded, 'latin1'), 10);
  out.set(data, 10 + padded.length);
  return out;
}
const f4 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
const i8 = (values: bigint[]) => new Uint8Array(new BigInt64Array(values).buffer);

describe('NPY header: the Python dict NumPy writes, not a regular expression', () => {
  it('refuses the negative shape (4,-2,-3) that used to be accepted', async () => {
    const e = await refusal(importNpy(await put('neg.npy', npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4,-2,-3), }", f4([1, 2, 3, 4])))));
    expect(e.message).toMatch(/^neg\.npy: the NPY header is not the dictionary NumPy writes: dimension -2 is negative/);
  });

  it('refuses the fractional shape (2,3.5)', async () => {
    const e = await refusal(importNpy(await put('frac.npy', npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,3.5), }", f4([1, 2, 3, 4, 5, 6, 7])))));
    expect(e.message).toMatch(/dimension 3\.5 is not a whole number/);
  });

  it("finds 'shape' only as a key, never inside another key's string: an extra key is refused by name", async () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'x': \"'shape': (1, 1)\", 'shape': (2, 2), }";
    const e = await refusal(importNpy(await put('inner.npy', npyWithHeader(header, f4([1, 2, 3, 4])))));
    expect(e.message).toBe(`inner.npy: the NPY header has the unexpected key "x" (it must have exactly 'descr', 'fortran_order' and 'shape')`);
  });

  it('keeps the last of duplicate keys, as NumPy (Python literal_eval) does', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), 'shape': (2, 2), }";
    expect(decodeNpy(npyWithHeader(header, f4([0, 0.25, 0.5, 1])), 'dup.npy').shape).toEqual([2, 2]);
  });

  it('refuses a shape written (4), which in Python is a number, not a tuple', () => {
    expect(() => decodeNpy(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4), }", f4([1, 2, 3, 4])), 'p.npy')).toThrow(/a number in parentheses, not a tuple/);
  });

  it('refuses a missing key, a hexadecimal dimension and text after the dict', () => {
    expect(() => decodeNpy(npyWithHeader("{'descr': '<f4', 'shape': (1, 1), }", f4([1])), 'm.npy')).toThrow("m.npy: the NPY header lacks 'fortran_order'");
    expect(() => decodeNpy(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (0x2, 1), }", f4([1, 2])), 'h.npy')).toThrow(/expected a comma or "\)" in the shape/);
    expect(() => decodeNpy(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), } junk", f4([1])), 't.npy')).toThrow(/text after the closing "}"/);
  });

  it('refuses a header length that runs past the end of the file', () => {
    const bytes = npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", f4([1]));
    new DataView(bytes.buffer).setUint16(8, 60_000, true);
    expect(() => decodeNpy(bytes, 'long.npy')).toThrow(`long.npy: the NPY header says it is 60000 bytes long, but the file ends after ${bytes.length - 10}`);
  });

  it('names a structured array as such instead of a malformed header', () => {
    expect(() => decodeNpy(npyWithHeader("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16)), 's.npy')).toThrow('s.npy holds a structured array');
  });
});

describe('NPY and IDX totals are checked before anything is allocated', () => {
  it('refuses a header promising 2^40 values over a 64-byte file, without allocating them', () => {
    const bytes = npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }", new Uint8Array(64));
    // Allocating 2^40 float32 would throw a RangeError, not this DatasetError.
    expect(() => decodeNpy(bytes, 'bomb.npy')).toThrow('bomb.npy is truncated: its header promises 1099511627776 values of 4 bytes but the file is shorter (64 bytes of data)');
    const idx = idxUint8([65536, 65536, 256], [1, 2, 3]);
    expect(() => decodeIdx(idx, 'bomb.idx')).toThrow('bomb.idx is truncated: its header promises 1099511627776 values of 1 bytes');
  });

  it('refuses more values than the cap even when the file holds them, naming the cap', () => {
    expect(() => decodeNpy(npyBytes('|u1', [4, 4], new Uint8Array(16)), 'big.npy', { maxValues: 15 })).toThrow('big.npy holds 16 values, more than the 15 an import may hold');
    expect(() => decodeIdx(idxUint8([4, 4], Array(16).fill(0)), 'big.idx', { maxValues: 15 })).toThrow('big.idx holds 16 values, more than the 15');
  });

  it('refuses bytes after the promised values instead of ignoring them', () => {
    expect(() => decodeIdx(idxUint8([2, 2], [1, 2, 3, 4, 5]), 'extra.idx')).toThrow('extra.idx has 1 bytes after the 4 values its header promises');
  });
});

describe('64-bit integers are read exactly or refused', () => {
  it('refuses the int64 label 2^40, which used to be read as label 0', async () => {
    const data = await put('x.npy', npyBytes('<f4', [2, 2], f4([0, 0.5, 1, 0.25])));
    const labels = await put('big-labels.npy', npyBytes('<i8', [2], i8([1n, 2n ** 40n])));
    const e = await refusal(importNpy(data, labels));
    expect(e.message).toBe('big-labels.npy: the label of sample 1 is 1099511627776, outside the 32-bit range labels may use');
  });

  it('reads int64 labels within int32 exactly, negative ones included', async () => {
    const d = await importNpy(await put('y.npy', npyBytes('<f4', [3, 1], f4([0, 0.5, 1]))), await put('ok-labels.npy', npyBytes('<i8', [3], i8([2147483647n, -2147483648n, 0n]))));
    expect(Array.from(d.labels!)).toEqual([2147483647, -2147483648, 0]);
  });

  it('refuses an int64 value beyond 2^53, where a double stops being exact, and keeps 2^53 itself', async () => {
    const e = await refusal(importNpy(await put('v.npy', npyBytes('<i8', [2, 1], i8([1n, 2n ** 53n + 1n])))));
    expect(e.message).toBe('v.npy: sample 1, value 0 is 9007199254740993, beyond ±2^53 where 64-bit integers stop being exact');
    const d = await importNpy(await put('w.npy', npyBytes('<u8', [2, 1], new Uint8Array(new BigUint64Array([0n, 2n ** 53n]).buffer))));
    expect(d.summary.sourceRange).toEqual([0, 2 ** 53]);
  });

  it('refuses a float64 beyond the float32 range instead of reading it as Infinity', () => {
    const bytes = npyBytes('<f8', [1, 1], new Uint8Array(new Float64Array([1e300]).buffer));
    expect(() => datasetFromArray(decodeNpy(bytes, 'f8.npy'), 'f8.npy')).toThrow('f8.npy: sample 0, value 0 is 1e+300, beyond the range of 32-bit floats');
  });
});

const csv = { header: 'auto' as const };
describe('CSV numbers are decimal notation only', () => {
  it.each(['0x10', '0b101', '0o7', 'Infinity', '1_000', ' 1_000'])('refuses %j that Number() would read, naming row and column', (cell) => {
    expect(() => parseCsvDataset(`a,b\n1,${cell}\n`, 'n.csv', csv)).toThrow(`n.csv, row 2, column "b": "${cell.trim()}" is not a number in decimal notation`);
  });

  it('says so when the cells are separated by semicolons', () => {
    const e = thrown(() => parseCsvDataset('a;b\n1;2\n', 's.csv', { header: true }));
    expect([e.message, e.hint]).toEqual(['s.csv, row 2, column "a;b": "1;2" is not a number', expect.stringMatching(/separated by semicolons/)]);
  });

  it('accepts 1e-3, -2.5, .5, +3 and 5. as the numbers they are', () => {
    const d = parseCsvDataset('a,b,c,d,e\n1e-3,-2.5,.5,+3,5.\n1e-3,-2.5,.5,+3,5.\n', 'ok.csv', csv);
    expect(d.summary.sourceRange).toEqual([-2.5, 5]);
  });
});

describe('CSV text is normalised before it is read', () => {
  it('strips a UTF-8 byte-order mark, so the first header is "a", not "\\uFEFFa"', async () => {
    const d = await importCsv(await put('bom.csv', '\uFEFFa,label\n0,x\n1,y\n'), { ...csv, labelColumn: 'label' });
    expect(d.summary).toMatchObject({ count: 2, shape: [1], labelCount: 2 });
    expect(parseCsvDataset('\uFEFFa,b\n1,2\n3,4\n', 'bom1.csv', { ...csv, labelColumn: 'a' }).summary.labelCount).toBe(2);
    expect(parseCsvDataset('\uFEFF0,1\n1,0\n', 'bom2.csv', csv).summary.count).toBe(2);
  });

  it('reads mixed \\r\\n, \\n and \\r line endings as rows, not as a column-count error', async () => {
    const d = await importCsv(await put('mixed.csv', 'a,b\r\n0,1\n1,0\r0.5,0.5\r\n'), csv);
    expect(d.summary).toMatchObject({ count: 3, shape: [2] });
  });

  it.each([
    ['UTF-16 LE with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]), 'is UTF-16 text (it starts with a UTF-16 byte-order mark)'],
    ['UTF-16 BE with a byte-order mark', Buffer.from([0xfe, 0xff, 0, 0x61, 0, 0x2c, 0, 0x62]), 'is UTF-16 text (it starts with a UTF-16 byte-order mark)'],
    ['UTF-16 LE without one', Buffer.from('a,b\n1,2\n3,4\n', 'utf16le'), 'is UTF-16 text (every other byte is zero)'],
  ])('refuses %s by name, saying to save it as UTF-8', async (_, bytes, message) => {
    const e = await refusal(importCsv(await put('utf16.csv', bytes), csv));
    expect(e.message).toBe(`utf16.csv ${message}`);
    expect(e.hint).toMatch(/^Save it as UTF-8/);
  });

  it('refuses a line longer than the limit before decoding it, saying its size and the limit', async () => {
    // The 629 MB single-line CSV of the issue, at 5 MB: the default 4 MB row limit refuses it.
    const e = await refusal(importCsv(await put('one-line.csv', Buffer.alloc(5 * 1024 * 1024, '1,')), csv));
    expect(e.message).toBe('one-line.csv, row 1: the line is 5.2 MB long, more than the 4.2 MB a row may be');
  });

  it('quotes at most a short, escaped piece of a bad cell, never the file', () => {
    const cell = `\u001b]0;pwned\u0007\u001b[2J${'x'.repeat(5000)}`;
    const e = thrown(() => parseCsvDataset(`a,b\n1,"${cell}"\n`, 'esc.csv', csv));
    expect(e.message).toBe('esc.csv, row 2, column "b": "\\u001b]0;pwned\\u0007\\u001b[2Jxxxxxxxxxx…" is not a number');
    expect(e.message).not.toContain(String.fromCharCode(0x1b));
  });

  it('escapes control characters in a file name it prints, so a name cannot drive the terminal', async () => {
    const e = await refusal(importCsv(await put('evil\u001b]0;title\u0007.csv', 'a\nx\n'), csv));
    expect(e.message).toBe('evil\\u001b]0;title\\u0007.csv, row 2, column "a": "x" is not a number');
  });
});
