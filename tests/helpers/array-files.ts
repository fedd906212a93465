/** Writers for NPY and IDX files, to make real test files byte by byte as NumPy and the MNIST tools write them. */

/** An NPY v1.0 file of the given dtype descriptor, shape and raw little-endian data. */
export function npyBytes(descr: string, shape: number[], data: Uint8Array, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = `${header}${' '.repeat(pad)}\n`;
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** Float32 values as NPY '<f4'. */
export function npyFloat32(shape: number[], values: number[]): Uint8Array {
  return npyBytes('<f4', shape, new Uint8Array(new Float32Array(values).buffer));
}

/** An IDX file of unsigned bytes (type 0x08), big-endian dimensions, as the MNIST distribution files are. */
export function idxUint8(shape: number[], values: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + values.length);
  out.set([0, 0, 0x08, shape.length]);
  const view = new DataView(out.buffer);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(values, 4 + 4 * shape.length);
  return out;
}
