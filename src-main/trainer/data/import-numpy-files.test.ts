/**
 * NPY files written by NumPy itself (tests/fixtures/numpy/make.py): every
 * dtype the importer accepts reads back exactly, in each header version, and
 * the ones it cannot train on are refused by name.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrayLabels, arrayValues, decodeNpy, importNpy } from './import-arrays';
import { readSource } from './read-source';

const DIR = join(import.meta.dirname, '../../../tests/fixtures/numpy');
const read = async (file: string) => decodeNpy(await readSource(join(DIR, file)), file);
/** The rule make.py writes by: element i is i * 3 % 7. */
const expected = (n: number) => Array.from({ length: n }, (_, i) => (i * 3) % 7);

describe('NPY files written by NumPy', () => {
  it.each(['f4', 'f8', 'u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8'])('reads %s exactly', async (dtype) => {
    const a = await read(`${dtype}-3x4.npy`);
    expect(a.shape).toEqual([3, 4]);
    expect(Array.from(arrayValues(a, dtype))).toEqual(expected(12));
  });

  it.each(['v2', 'v3'])('reads header version %s', async (v) => {
    const a = await read(`f4-3x4-${v}.npy`);
    expect([a.shape, Array.from(arrayValues(a, v))]).toEqual([[3, 4], expected(12)]);
  });

  it('reads a 3-D uint8 array as two 3×2 images of one channel, scaled from 0-255', async () => {
    const d = await importNpy(join(DIR, 'u1-2x3x2.npy'));
    expect(d.summary).toMatchObject({ shape: [3, 2, 1], count: 2, sourceRange: [0, 6], normalization: 'scaled-0-1' });
  });

  it('reads int64 labels up to 2^31 - 1 exactly, and refuses the label 2^40 instead of reading 0', async () => {
    expect(Array.from(arrayLabels(await read('labels-i8.npy'), 3, 'labels-i8.npy'))).toEqual([0, 5, 2 ** 31 - 1]);
    const big = await read('labels-2e40.npy');
    expect(() => arrayLabels(big, 3, 'labels-2e40.npy')).toThrow('labels-2e40.npy: the label of sample 1 is 1099511627776, outside the 32-bit range labels may use');
  });

  it.each([
    ['big-endian.npy', 'holds values of type >f4, which cannot be trained on'],
    ['fortran.npy', 'is stored in Fortran (column-major) order'],
    ['structured.npy', 'holds a structured array'],
    ['float16.npy', 'holds values of type <f2'],
    ['bool.npy', 'holds values of type |b1'],
  ])('refuses %s by name', async (file, message) => {
    await expect(read(file)).rejects.toThrow(`${file} ${message}`);
  });
});
