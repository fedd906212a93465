/** Writes .npy files (format 1.0): a 10-byte preamble, a Python-dict header padded to 64 bytes, then the raw little-endian array. */

/** The bytes of an .npy file holding `values` with `shape` (float32 or int32). */
export function encodeNpy(values: Float32Array | Int32Array, shape: readonly number[]): Uint8Array {
  const descr = values instanceof Float32Array ? '<f4' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Total preamble + header is a multiple of 64, ending in a newline (the format's rule, so arrays can be memory-mapped aligned).
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = `${header}${' '.repeat(pad % 64)}\n`;
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  // Typed arrays are little-endian on every platform Electron and Node run on.
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 10 + header.length);
  return out;
}
