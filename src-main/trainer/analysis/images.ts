/** Samples as rows of 8-bit images (what the panels draw and the PNGs hold). */
import type { ImageRow } from '../../../src-shared/analysis/analysis-messages';
import { valuesToBytes } from '../../../src-shared/util/pixels';
import { displayShape } from '../train/snapshots';

/** `count` samples of `sampleShape` as 8-bit pixels, [lo, hi] mapped to [0, 255]. */
export function imageRow(values: Float32Array, count: number, sampleShape: readonly number[], range: readonly [number, number]): ImageRow {
  const size = sampleShape.reduce((a, b) => a * b, 1);
  return { shape: displayShape(sampleShape), count, pixels: valuesToBytes(values.subarray(0, count * size), range[0], range[1]) };
}
