/** Values to 8-bit pixels: the one mapping every image the app shows or writes uses. */

/** Maps [lo, hi] to [0, 255], clamped and rounded. */
export function valuesToBytes(values: ArrayLike<number>, lo: number, hi: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length);
  const span = hi - lo || 1;
  for (let i = 0; i < values.length; i++) {
    const v = ((values[i] - lo) / span) * 255;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return out;
}
