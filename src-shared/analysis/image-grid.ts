/** Rows of 8-bit images laid out as one picture (for PNG files): pure, so every writer lays them out the same way. */
import type { ImageRow } from './analysis-messages';

/** A raw picture: `channels` bytes per pixel, row-major. */
export interface RawPicture {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** One row per ImageRow (all of one image shape), `gap` pixels between and around images, background grey 40. */
export function composeRows(rows: readonly ImageRow[], gap = 2): RawPicture {
  const [h, w, c] = rows[0].shape;
  const columns = Math.max(...rows.map((r) => r.count));
  const channels = c === 1 ? 1 : 3;
  const width = columns * (w + gap) + gap;
  const height = rows.length * (h + gap) + gap;
  const data = new Uint8Array(width * height * channels).fill(40);
  rows.forEach((row, r) => {
    for (let k = 0; k < row.count; k++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const src = ((k * h + y) * w + x) * c;
          const dst = ((gap + r * (h + gap) + y) * width + gap + k * (w + gap) + x) * channels;
          for (let ch = 0; ch < channels; ch++) data[dst + ch] = row.pixels[src + Math.min(ch, c - 1)];
        }
      }
    }
  });
  return { width, height, channels, data };
}
