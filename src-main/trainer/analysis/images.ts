/** Samples as rows of 8-bit images (what the panels draw and the PNGs hold). */
import type { ImageRow } from '../../../src-shared/analysis/analysis-messages';
import { displayShape } from '../train/snapshots';

/** `count` samples of `sampleShape` as 8-bit pixels, [lo, hi] mapped to [0, 255]. */
export function imageRow(values: Float32Array, count: number, sampleShape: readonly number[], range: readonly [number, number]): ImageRow {
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const pixels = new Uint8Array(count * size);
  const span = range[1] - range[0] || 1;
  for (let i = 0; i < pixels.length; i++) {
    const v = ((values[i] - range[0]) / span) * 255;
    pixels[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return { shape: displayShape(sampleShape), count, pixels };
}
