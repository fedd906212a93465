/**
 * Dataset imports on real files written to a temporary folder: the good
 * paths report count, shape, range and normalisation; bad data is refused
 * with a message naming the file, row or column.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { idxUint8, npyBytes, npyFloat32 } from '../../../tests/helpers/array-files';
import { DatasetError } from './dataset';
import { importIdx, importNpy } from './import-arrays';
import { importCsv, parseCsvDataset } from './import-csv';
import { importImageFolder } from './import-images';

let dir: string;
const file = (name: string) => join(dir, name);
const put = async (name: string, data: string | Uint8Array) => {
  await writeFile(file(name), data);
  return file(name);
};
const png = (w: number, h: number, fill: number) => sharp(Buffer.alloc(w * h, fill), { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();

async function refusal(p: Promise<unknown>): Promise<DatasetError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aes-import-'));
});

const csvOpts = { header: 'auto' as const };

describe('CSV import', () => {
  it('reads numeric columns with a header and a label column, standardising tabular data and saying so', async () => {
    const d = await importCsv(await put('ok.csv', 'a,b,kind\n1,10,cat\n2,20,dog\n3,30,cat\n'), { ...csvOpts, labelColumn: 'kind' });
    expect(d.summary).toEqual({ name: 'ok.csv', shape: [2], count: 3, sourceRange: [1, 30], normalization: 'standardized', labelCount: 2 });
    expect(Array.from(d.labels!)).toEqual([0, 1, 0]);
    expect(Array.from(d.values).map((v) => +v.toFixed(4))).toEqual([-1.2247, -1.2247, 0, 0, 1.2247, 1.2247]);
  });

  it('keeps data already in [0, 1] as it is, and needs no header', () => {
    const d = parseCsvDataset('0,0.5\n1,0.25\n', 'x.csv', csvOpts);
    expect(d.summary).toMatchObject({ shape: [2], count: 2, normalization: 'none' });
  });

  it('refuses a ragged row, naming the row and both column counts', async () => {
    const e = await refusal(importCsv(await put('ragged.csv', 'a,b,c\n1,2,3\n4,5\n'), csvOpts));
    expect(e.message).toBe('ragged.csv, row 3: 2 columns, but the header has 3');
  });

  it('refuses a non-numeric cell, naming row, column and the text', async () => {
    const e = await refusal(importCsv(await put('text.csv', 'x,y\n1,2\n3,abc\n'), csvOpts));
    expect(e.message).toBe('text.csv, row 3, column "y": "abc" is not a number');
  });

  it('refuses NaN and infinite values, naming where', () => {
    expect(() => parseCsvDataset('x,y\n1,NaN\n', 'n.csv', csvOpts)).toThrow('n.csv, row 2, column "y": "NaN" is not a number');
    expect(() => parseCsvDataset('x,y\n1,Infinity\n', 'i.csv', csvOpts)).toThrow('i.csv, row 2, column "y": "Infinity" is not a number in decimal notation');
    expect(() => parseCsvDataset('x,y\n1,1e400\n', 'o.csv', csvOpts)).toThrow('o.csv, row 2, column "y": "1e400" is not a finite number');
    expect(() => parseCsvDataset('x,y\n1,1e39\n', 'f.csv', csvOpts)).toThrow('f.csv, row 2, column "y": "1e39" is beyond the range of 32-bit floats');
  });

  it('refuses a file with no rows, a header without data, and a missing label column', async () => {
    expect((await refusal(importCsv(await put('empty.csv', ''), csvOpts))).message).toMatch(/empty \(0 bytes\)/);
    expect(() => parseCsvDataset('a,b\n', 'h.csv', csvOpts)).toThrow('h.csv has a header but no data rows');
    expect(() => parseCsvDataset('a,b\n1,2\n', 'l.csv', { ...csvOpts, labelColumn: 'label' })).toThrow('l.csv has no column "label" for labels');
  });
});

describe('NPY import', () => {
  it('reads uint8 images as [0, 1] with their labels', async () => {
    const images = await put('img.npy', npyBytes('|u1', [2, 2, 3], Uint8Array.from([0, 255, 51, 102, 0, 0, 1, 2, 3, 4, 5, 6])));
    const labels = await put('lab.npy', npyBytes('<i8', [2], new Uint8Array(new BigInt64Array([7n, 3n]).buffer)));
    const d = await importNpy(images, labels);
    expect(d.summary).toEqual({ name: 'img.npy', shape: [2, 3, 1], count: 2, sourceRange: [0, 255], normalization: 'scaled-0-1', labelCount: 2 });
    expect(d.values[1]).toBeCloseTo(1);
    expect(Array.from(d.labels!)).toEqual([7, 3]);
  });

  it('reads float32 vectors', async () => {
    const d = await importNpy(await put('vec.npy', npyFloat32([3, 2], [0, 0.5, 1, 0.25, 0.75, 0.1])));
    expect(d.summary).toMatchObject({ shape: [2], count: 3, normalization: 'none' });
  });

  it('refuses a dtype it cannot train on, saying how to convert', async () => {
    const e = await refusal(importNpy(await put('str.npy', npyBytes('<U3', [2], new Uint8Array(24)))));
    expect(e.message).toBe('str.npy holds values of type <U3, which cannot be trained on');
    expect(e.hint).toMatch(/astype\('float32'\)/);
  });

  it('refuses a truncated file, Fortran order, a bad shape, NaN and mismatched labels', async () => {
    const full = npyFloat32([4, 2], [0, 0, 0, 0, 0, 0, 0, 0]);
    expect((await refusal(importNpy(await put('trunc.npy', full.subarray(0, full.length - 5))))).message).toMatch(/^trunc\.npy is truncated/);
    expect((await refusal(importNpy(await put('f.npy', npyBytes('<f4', [2, 2], new Uint8Array(16), true))))).message).toMatch(/Fortran/);
    expect((await refusal(importNpy(await put('flat.npy', npyFloat32([4], [1, 2, 3, 4]))))).message).toMatch(/has shape \(4\); samples must be vectors/);
    expect((await refusal(importNpy(await put('nan.npy', npyFloat32([2, 2], [0, 1, Number.NaN, 0]))))).message).toBe('nan.npy: sample 1, value 0 is NaN');
    const labels = await put('few.npy', npyBytes('|u1', [3], Uint8Array.from([1, 2, 3])));
    expect((await refusal(importNpy(await put('two.npy', npyFloat32([2, 2], [0, 1, 1, 0])), labels))).message).toBe('few.npy has 3 labels for 2 samples');
    expect((await refusal(importNpy(await put('junk.npy', 'not numpy at all')))).message).toMatch(/is not an NPY file/);
  });
});

describe('IDX import', () => {
  it('reads gzipped MNIST-style image and label files', async () => {
    const images = await put('imgs-idx3-ubyte.gz', gzipSync(idxUint8([2, 2, 2], [0, 255, 0, 255, 128, 128, 128, 128])));
    const labels = await put('labels-idx1-ubyte', idxUint8([2], [5, 9]));
    const d = await importIdx(images, labels);
    expect(d.summary).toEqual({ name: 'imgs-idx3-ubyte.gz', shape: [2, 2, 1], count: 2, sourceRange: [0, 255], normalization: 'scaled-0-1', labelCount: 2 });
    expect(Array.from(d.labels!)).toEqual([5, 9]);
  });

  it('refuses a file that is not IDX and one cut short', async () => {
    expect((await refusal(importIdx(await put('x.idx', 'hello world')))).message).toMatch(/is not an IDX file/);
    expect((await refusal(importIdx(await put('short.idx', idxUint8([10, 28, 28], [1, 2, 3]))))).message).toMatch(/truncated/);
  });
});

describe('image folder import', () => {
  it('reads one sub-folder per class as labels, resizing when asked', async () => {
    const root = file('classes');
    await mkdir(join(root, 'cats'), { recursive: true });
    await mkdir(join(root, 'dogs'), { recursive: true });
    await writeFile(join(root, 'cats', 'a.png'), await png(8, 8, 255));
    await writeFile(join(root, 'dogs', 'b.png'), await png(10, 6, 0));
    const d = await importImageFolder(root, { width: 4, height: 4, channels: 1 });
    expect(d.summary).toEqual({ name: 'classes', shape: [4, 4, 1], count: 2, sourceRange: [0, 255], normalization: 'scaled-0-1', labelCount: 2 });
    expect(Array.from(d.labels!)).toEqual([0, 1]);
    expect(d.labelNames).toEqual(['cats', 'dogs']);
  });

  it('refuses mixed sizes without a resize, naming both files', async () => {
    const root = file('mixed');
    await mkdir(root);
    await writeFile(join(root, 'a.png'), await png(8, 8, 1));
    await writeFile(join(root, 'b.png'), await png(9, 8, 1));
    const e = await refusal(importImageFolder(root, { channels: 1 }));
    expect(e.message).toBe('b.png is 9×8 but a.png is 8×8');
    expect(e.hint).toMatch(/resize/);
  });

  it('refuses a file named .png that is not an image, an empty folder and a missing one', async () => {
    const root = file('fake');
    await mkdir(root);
    await writeFile(join(root, 'a.png'), 'this is text, not a PNG');
    expect((await refusal(importImageFolder(root, { channels: 1 }))).message).toMatch(/^a\.png is not a readable PNG or JPEG image/);
    await mkdir(file('none'));
    expect((await refusal(importImageFolder(file('none'), { channels: 1 }))).message).toMatch(/has no PNG or JPEG images/);
    expect((await refusal(importImageFolder(file('missing'), { channels: 1 }))).message).toMatch(/does not exist/);
  });
});
