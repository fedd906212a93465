/**
 * NPY (NumPy) and IDX (the original MNIST files) imports. Both formats are
 * a small header and a dense array, so they are read here directly rather
 * than through a dependency. Samples are the first axis; (N, D) arrays are
 * vectors, (N, H, W) and (N, H, W, C) images.
 */
import { basename } from 'node:path';
import { DatasetError } from './dataset';
import type { LoadedDataset } from './dataset';
import { finishDataset, firstNonFinite } from './normalize';
import { readSource } from './read-source';

/** A decoded array: its shape and values as float32, and whether its source was 8-bit. */
export interface DenseArray {
  shape: number[];
  values: Float32Array;
  eightBit: boolean;
  integer: boolean;
}

const NPY_DTYPES: Record<string, { size: number; read: (v: DataView, o: number) => number; integer: boolean }> = {
  '<f4': { size: 4, read: (v, o) => v.getFloat32(o, true), integer: false },
  '<f8': { size: 8, read: (v, o) => v.getFloat64(o, true), integer: false },
  '|u1': { size: 1, read: (v, o) => v.getUint8(o), integer: true },
  '|i1': { size: 1, read: (v, o) => v.getInt8(o), integer: true },
  '<u2': { size: 2, read: (v, o) => v.getUint16(o, true), integer: true },
  '<i2': { size: 2, read: (v, o) => v.getInt16(o, true), integer: true },
  '<i4': { size: 4, read: (v, o) => v.getInt32(o, true), integer: true },
  '<u4': { size: 4, read: (v, o) => v.getUint32(o, true), integer: true },
  '<i8': { size: 8, read: (v, o) => Number(v.getBigInt64(o, true)), integer: true },
};

/** Decodes the bytes of a .npy file. */
export function decodeNpy(bytes: Uint8Array, name: string): DenseArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(1, 6));
  if (bytes.length < 10 || bytes[0] !== 0x93 || magic !== 'NUMPY') throw new DatasetError(`${name} is not an NPY file (it does not start with \\x93NUMPY)`, 'Save the array with numpy.save().');
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new DatasetError(`${name}: the NPY header is malformed`, 'Save the array again with numpy.save().');
  const dtype = NPY_DTYPES[descr === '<u1' ? '|u1' : descr === '<i1' ? '|i1' : descr];
  if (!dtype) throw new DatasetError(`${name} holds values of type ${descr}, which cannot be trained on`, `Convert it to numbers first: numpy.save(path, array.astype('float32')). Readable types: float32/64, (u)int8/16/32, int64, little-endian.`);
  if (fortran === 'True') throw new DatasetError(`${name} is stored in Fortran (column-major) order`, 'Save numpy.ascontiguousarray(array) instead.');
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const total = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (bytes.length - dataStart < total * dtype.size) throw new DatasetError(`${name} is truncated: its header promises ${total} values of ${dtype.size} bytes but the file is shorter`, 'Copy or save the file again.');
  const values = new Float32Array(total);
  for (let i = 0; i < total; i++) values[i] = dtype.read(view, dataStart + i * dtype.size);
  return { shape, values, eightBit: descr.endsWith('u1'), integer: dtype.integer };
}

const IDX_TYPES: Record<number, { size: number; read: (v: DataView, o: number) => number; integer: boolean }> = {
  0x08: { size: 1, read: (v, o) => v.getUint8(o), integer: true },
  0x09: { size: 1, read: (v, o) => v.getInt8(o), integer: true },
  0x0b: { size: 2, read: (v, o) => v.getInt16(o), integer: true },
  0x0c: { size: 4, read: (v, o) => v.getInt32(o), integer: true },
  0x0d: { size: 4, read: (v, o) => v.getFloat32(o), integer: false },
  0x0e: { size: 8, read: (v, o) => v.getFloat64(o), integer: false },
};

/** Decodes the bytes of an IDX file (big-endian, as the MNIST distribution files are). */
export function decodeIdx(bytes: Uint8Array, name: string): DenseArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new DatasetError(`${name} is not an IDX file (the first two bytes must be zero)`, 'Choose an IDX file such as train-images-idx3-ubyte (optionally .gz).');
  const type = IDX_TYPES[bytes[2]];
  if (!type) throw new DatasetError(`${name} has the unknown IDX type code 0x${bytes[2].toString(16)}`, 'Valid type codes are 0x08, 0x09, 0x0B, 0x0C, 0x0D and 0x0E.');
  const dims = bytes[3];
  if (dims === 0 || bytes.length < 4 + 4 * dims) throw new DatasetError(`${name}: the IDX header is truncated`, 'Copy or download the file again.');
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  const total = shape.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * dims;
  if (bytes.length - start < total * type.size) throw new DatasetError(`${name} is truncated: its header promises ${total} values but the file is shorter`, 'Copy or download the file again.');
  const values = new Float32Array(total);
  for (let i = 0; i < total; i++) values[i] = type.read(view, start + i * type.size);
  return { shape, values, eightBit: bytes[2] === 0x08, integer: type.integer };
}

function labelsFrom(array: DenseArray, count: number, name: string): Int32Array {
  if (array.shape.length !== 1 && !(array.shape.length === 2 && array.shape[1] === 1)) throw new DatasetError(`${name} should hold one label per sample, but its shape is (${array.shape.join(', ')})`, 'Give a 1-D array of integer labels.');
  if (array.shape[0] !== count) throw new DatasetError(`${name} has ${array.shape[0]} labels for ${count} samples`, 'Use the labels file that belongs to the data file.');
  if (!array.integer) throw new DatasetError(`${name} holds non-integer labels`, 'Labels must be integers (class numbers).');
  return Int32Array.from(array.values);
}

/** Turns a decoded array (and optional labels) into a dataset. */
export function datasetFromArray(array: DenseArray, name: string, labels?: { array: DenseArray; name: string }): LoadedDataset {
  const [count, ...rest] = array.shape;
  if (array.shape.length < 2 || array.shape.length > 4) throw new DatasetError(`${name} has shape (${array.shape.join(', ')}); samples must be vectors (N, D) or images (N, H, W) / (N, H, W, C)`, 'Reshape the array so its first axis counts samples.');
  const bad = firstNonFinite(array.values);
  if (bad >= 0) {
    const size = rest.reduce((a, b) => a * b, 1);
    throw new DatasetError(`${name}: sample ${Math.floor(bad / size)}, value ${bad % size} is ${array.values[bad]}`, 'Replace NaN and infinite values, or drop those samples.');
  }
  const shape = rest.length === 1 ? rest : rest.length === 2 ? [...rest, 1] : rest;
  return finishDataset({
    name,
    shape,
    values: array.values,
    labels: labels ? labelsFrom(labels.array, count, labels.name) : null,
    layout: rest.length === 1 ? 'table' : 'image',
    eightBit: array.eightBit,
  });
}

/** Imports an NPY file (and an optional NPY file of labels). */
export async function importNpy(path: string, labelsPath?: string): Promise<LoadedDataset> {
  const array = decodeNpy(await readSource(path), basename(path));
  const labels = labelsPath ? { array: decodeNpy(await readSource(labelsPath), basename(labelsPath)), name: basename(labelsPath) } : undefined;
  return datasetFromArray(array, basename(path), labels);
}

/** Imports an IDX file (and an optional IDX file of labels), gzipped or not. */
export async function importIdx(path: string, labelsPath?: string): Promise<LoadedDataset> {
  const array = decodeIdx(await readSource(path), basename(path));
  const labels = labelsPath ? { array: decodeIdx(await readSource(labelsPath), basename(labelsPath)), name: basename(labelsPath) } : undefined;
  return datasetFromArray(array, basename(path), labels);
}
