/**
 * NPY (NumPy) and IDX (the original MNIST files) imports. Both formats are
 * a small header and a dense array, so they are read here directly rather
 * than through a dependency. Samples are the first axis; (N, D) arrays are
 * vectors, (N, H, W) and (N, H, W, C) images.
 *
 * Read exactly or refuse: the header's total is checked against the file's
 * length and the value cap before anything is allocated; every value is read
 * exactly into a double (64-bit integers beyond ±2^53 are refused) and then
 * rounded to float32, the training precision (values beyond its range are
 * refused); labels must be integers within int32.
 */
import { basename } from 'node:path';
import { DatasetError, MAX_DATASET_VALUES, snippet } from './dataset';
import { formatBytes } from '../../../src-shared/util/format-bytes';
import type { LoadedDataset } from './dataset';
import { parseNpyHeader } from './import-npy-header';
import { finishDataset } from './normalize';
import { readSource } from './read-source';

/** How one stored element is read. */
interface ElementType {
  size: number;
  integer: boolean;
  eightBit: boolean;
  /** The value as a double: exact, or NaN for a 64-bit integer beyond ±2^53 (an integer type is never NaN otherwise). */
  read(v: DataView, o: number): number;
  /** The value as stored, for messages. */
  text(v: DataView, o: number): string;
}

const number = (size: number, integer: boolean, read: (v: DataView, o: number) => number): ElementType => ({ size, integer, eightBit: false, read, text: (v, o) => String(read(v, o)) });
const EXACT = 2n ** 53n; // every integer up to 2^53 is a double exactly
const int64 = (signed: boolean, little: boolean): ElementType => {
  const big = (v: DataView, o: number) => (signed ? v.getBigInt64(o, little) : v.getBigUint64(o, little));
  return { size: 8, integer: true, eightBit: false, read: (v, o) => { const b = big(v, o); return b >= -EXACT && b <= EXACT ? Number(b) : Number.NaN; }, text: (v, o) => String(big(v, o)) };
};
const uint8: ElementType = { ...number(1, true, (v, o) => v.getUint8(o)), eightBit: true };

const NPY_DTYPES: Record<string, ElementType> = {
  '<f4': number(4, false, (v, o) => v.getFloat32(o, true)),
  '<f8': number(8, false, (v, o) => v.getFloat64(o, true)),
  '|u1': uint8,
  '<u1': uint8,
  '|i1': number(1, true, (v, o) => v.getInt8(o)),
  '<i1': number(1, true, (v, o) => v.getInt8(o)),
  '<u2': number(2, true, (v, o) => v.getUint16(o, true)),
  '<i2': number(2, true, (v, o) => v.getInt16(o, true)),
  '<u4': number(4, true, (v, o) => v.getUint32(o, true)),
  '<i4': number(4, true, (v, o) => v.getInt32(o, true)),
  '<u8': int64(false, true),
  '<i8': int64(true, true),
};

const IDX_TYPES: Record<number, ElementType> = {
  0x08: uint8,
  0x09: number(1, true, (v, o) => v.getInt8(o)),
  0x0b: number(2, true, (v, o) => v.getInt16(o)),
  0x0c: number(4, true, (v, o) => v.getInt32(o)),
  0x0d: number(4, false, (v, o) => v.getFloat32(o)),
  0x0e: number(8, false, (v, o) => v.getFloat64(o)),
};

/** A decoded header over the file's bytes: nothing is converted until the caller knows what the array is for. */
export interface DenseArray {
  shape: number[];
  /** Number of elements, the product of `shape`. */
  total: number;
  type: ElementType;
  view: DataView;
  /** Byte offset of the first element. */
  start: number;
}

/** Limits a decoder enforces before allocating; tests lower them. */
export interface ArrayLimits {
  maxValues: number;
}
const DEFAULT_LIMITS: ArrayLimits = { maxValues: MAX_DATASET_VALUES };
/** NumPy itself refuses longer headers unless told the file is trusted. */
const MAX_NPY_HEADER = 65_536;

const count = (n: number) => (n <= Number.MAX_SAFE_INTEGER ? String(n) : 'more than 2^53');

/** Checks the header's total against the bytes there are and the value cap, before any allocation. */
function checkTotal(shape: number[], type: ElementType, available: number, name: string, limits: ArrayLimits): number {
  const total = shape.includes(0) ? 0 : shape.reduce((a, b) => a * b, 1);
  const needed = total * type.size;
  if (available < needed) throw new DatasetError(`${name} is truncated: its header promises ${count(total)} values of ${type.size} bytes but the file is shorter (${formatBytes(available)} of data)`, 'Copy or save the file again.');
  if (available > needed) throw new DatasetError(`${name} has ${available - needed} bytes after the ${count(total)} values its header promises`, 'The header does not describe the data: save the array again.');
  if (total > limits.maxValues) throw new DatasetError(`${name} holds ${count(total)} values, more than the ${limits.maxValues} an import may hold (${formatBytes(limits.maxValues * 4)} as float32)`, 'Use a subset of the samples.');
  return total;
}

/** Decodes the header of a .npy file and checks it against the file. */
export function decodeNpy(bytes: Uint8Array, name: string, limits = DEFAULT_LIMITS): DenseArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(1, 6));
  if (bytes.length < 10 || bytes[0] !== 0x93 || magic !== 'NUMPY') throw new DatasetError(`${name} is not an NPY file (it does not start with \\x93NUMPY)`, 'Save the array with numpy.save().');
  const major = bytes[6];
  if (major < 1 || major > 3 || bytes[7] !== 0) throw new DatasetError(`${name} is NPY format version ${major}.${bytes[7]}, which this app does not know (it reads 1.0, 2.0 and 3.0)`, 'Save the array with numpy.save().');
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) throw new DatasetError(`${name}: the NPY header is truncated`, 'Copy or save the file again.');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (start + headerLen > bytes.length) throw new DatasetError(`${name}: the NPY header says it is ${headerLen} bytes long, but the file ends after ${bytes.length - start}`, 'Copy or save the file again.');
  if (headerLen > MAX_NPY_HEADER) throw new DatasetError(`${name}: the NPY header is ${headerLen} bytes long, more than the ${MAX_NPY_HEADER} NumPy itself reads`, 'Save the array again with numpy.save().');
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(bytes.subarray(start, start + headerLen));
  } catch {
    throw new DatasetError(`${name}: the NPY header is not valid UTF-8 text`, 'Save the array again with numpy.save().');
  }
  const header = parseNpyHeader(text, name);
  const type = NPY_DTYPES[header.descr];
  if (!type) throw new DatasetError(`${name} holds values of type ${snippet(header.descr, 20)}, which cannot be trained on`, `Convert it to numbers first: numpy.save(path, array.astype('float32')). Readable types: float32/64, (u)int8/16/32/64, little-endian.`);
  if (header.fortranOrder) throw new DatasetError(`${name} is stored in Fortran (column-major) order`, 'Save numpy.ascontiguousarray(array) instead.');
  const dataStart = start + headerLen;
  const total = checkTotal(header.shape, type, bytes.length - dataStart, name, limits);
  return { shape: header.shape, total, type, view, start: dataStart };
}

/** Decodes the header of an IDX file (big-endian, as the MNIST distribution files are) and checks it against the file. */
export function decodeIdx(bytes: Uint8Array, name: string, limits = DEFAULT_LIMITS): DenseArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new DatasetError(`${name} is not an IDX file (the first two bytes must be zero)`, 'Choose an IDX file such as train-images-idx3-ubyte (optionally .gz).');
  const type = IDX_TYPES[bytes[2]];
  if (!type) throw new DatasetError(`${name} has the unknown IDX type code 0x${bytes[2].toString(16)}`, 'Valid type codes are 0x08, 0x09, 0x0B, 0x0C, 0x0D and 0x0E.');
  const dims = bytes[3];
  if (dims === 0 || bytes.length < 4 + 4 * dims) throw new DatasetError(`${name}: the IDX header is truncated`, 'Copy or download the file again.');
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  const start = 4 + 4 * dims;
  const total = checkTotal(shape, type, bytes.length - start, name, limits);
  return { shape, total, type, view, start };
}

/** The array's values as float32, refusing NaN, infinities, 64-bit integers a double cannot hold and values beyond float32. */
export function arrayValues(array: DenseArray, name: string): Float32Array {
  const { type, view, start, total } = array;
  const per = array.shape.slice(1).reduce((a, b) => a * b, 1);
  const values = new Float32Array(total);
  for (let i = 0; i < total; i++) {
    const x = type.read(view, start + i * type.size);
    const f = Math.fround(x);
    if (!Number.isFinite(f)) {
      const where = `${name}: sample ${Math.floor(i / per)}, value ${i % per}`;
      const stored = type.text(view, start + i * type.size);
      if (type.integer) throw new DatasetError(`${where} is ${stored}, beyond ±2^53 where 64-bit integers stop being exact`, 'Scale the values down, or convert them: array.astype(\'float32\').');
      if (!Number.isFinite(x)) throw new DatasetError(`${where} is ${stored}`, 'Replace NaN and infinite values, or drop those samples.');
      throw new DatasetError(`${where} is ${stored}, beyond the range of 32-bit floats (±3.4e38)`, 'Scale the values down.');
    }
    values[i] = f;
  }
  return values;
}

/** One integer label per sample, refusing labels a 32-bit integer cannot hold (2^40 used to wrap to 0). */
export function arrayLabels(array: DenseArray, samples: number, name: string): Int32Array {
  if (array.shape.length !== 1 && !(array.shape.length === 2 && array.shape[1] === 1)) throw new DatasetError(`${name} should hold one label per sample, but its shape is (${array.shape.join(', ')})`, 'Give a 1-D array of integer labels.');
  if (array.shape[0] !== samples) throw new DatasetError(`${name} has ${array.shape[0]} labels for ${samples} samples`, 'Use the labels file that belongs to the data file.');
  if (!array.type.integer) throw new DatasetError(`${name} holds non-integer labels`, 'Labels must be integers (class numbers).');
  const { type, view, start } = array;
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const x = type.read(view, start + i * type.size);
    if (!(x >= -(2 ** 31) && x < 2 ** 31)) throw new DatasetError(`${name}: the label of sample ${i} is ${type.text(view, start + i * type.size)}, outside the 32-bit range labels may use`, 'Number the classes 0, 1, 2, …');
    labels[i] = x;
  }
  return labels;
}

/** Turns a decoded array (and optional labels) into a dataset. */
export function datasetFromArray(array: DenseArray, name: string, labels?: { array: DenseArray; name: string }): LoadedDataset {
  const [samples, ...rest] = array.shape;
  if (array.shape.length < 2 || array.shape.length > 4) throw new DatasetError(`${name} has shape (${array.shape.join(', ')}); samples must be vectors (N, D) or images (N, H, W) / (N, H, W, C)`, 'Reshape the array so its first axis counts samples.');
  const labelValues = labels ? arrayLabels(labels.array, samples, labels.name) : null;
  const shape = rest.length === 1 ? rest : rest.length === 2 ? [...rest, 1] : rest;
  return finishDataset({ name, shape, values: arrayValues(array, name), labels: labelValues, layout: rest.length === 1 ? 'table' : 'image', eightBit: array.type.eightBit });
}

/** A file's name fit for messages: the file name only, control characters escaped (it comes from whoever sent the project). */
const shown = (path: string) => snippet(basename(path), 100);

/** Imports an NPY file (and an optional NPY file of labels). */
export async function importNpy(path: string, labelsPath?: string): Promise<LoadedDataset> {
  const array = decodeNpy(await readSource(path), shown(path));
  const labels = labelsPath ? { array: decodeNpy(await readSource(labelsPath), shown(labelsPath)), name: shown(labelsPath) } : undefined;
  return datasetFromArray(array, shown(path), labels);
}

/** Imports an IDX file (and an optional IDX file of labels), gzipped or not. */
export async function importIdx(path: string, labelsPath?: string): Promise<LoadedDataset> {
  const array = decodeIdx(await readSource(path), shown(path));
  const labels = labelsPath ? { array: decodeIdx(await readSource(labelsPath), shown(labelsPath)), name: shown(labelsPath) } : undefined;
  return datasetFromArray(array, shown(path), labels);
}
