/**
 * JPEG at a byte budget, with sharp (libvips + mozjpeg): the highest quality
 * whose compressed image data fits. The data is counted from the end of the
 * start-of-scan header to the end-of-image marker; the quantisation and
 * Huffman tables before it are the same for every image at one quality, so
 * they are shared like an autoencoder's decoder weights and not counted
 * (whole-file sizes are reported beside it).
 */
import sharp from 'sharp';

/** One image through JPEG. */
export interface JpegResult {
  /** Decoded pixels, same layout as the input. */
  pixels: Uint8Array;
  quality: number;
  /** Bytes of the entropy-coded image data. */
  bytes: number;
  /** Bytes of the whole file. */
  fileBytes: number;
  /** False when even quality 1 was over the budget. */
  fits: boolean;
}

/** Bytes of the entropy-coded scan data of a baseline JPEG (single scan). */
export function jpegScanBytes(file: Uint8Array): number {
  let i = 2; // after SOI
  while (i + 4 <= file.length) {
    if (file[i] !== 0xff) throw new Error(`not a JPEG marker at byte ${i}`);
    const marker = file[i + 1];
    const length = (file[i + 2] << 8) | file[i + 3];
    if (marker === 0xda) return file.length - (i + 2 + length) - 2; // minus the EOI marker
    i += 2 + length;
  }
  throw new Error('no start-of-scan marker');
}

async function encode(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, quality: number): Promise<Buffer> {
  const img = sharp(pixels, { raw: { width, height, channels } });
  return (channels === 1 ? img.toColourspace('b-w') : img).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
}

/** Compresses one image (8-bit HWC, 1 or 3 channels) at the highest quality whose scan data fits `budget` bytes. */
export async function jpegWithinBudget(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, budget: number): Promise<JpegResult> {
  // Size grows with quality (near enough monotonically): binary search for the largest quality that fits.
  let lo = 1;
  let hi = 100;
  let best: { quality: number; file: Buffer } | null = null;
  while (lo <= hi) {
    const q = (lo + hi) >> 1;
    const file = await encode(pixels, width, height, channels, q);
    if (jpegScanBytes(file) <= budget) {
      best = { quality: q, file };
      lo = q + 1;
    } else hi = q - 1;
  }
  const fits = best !== null;
  const chosen = best ?? { quality: 1, file: await encode(pixels, width, height, channels, 1) };
  const decoded = sharp(chosen.file);
  const raw = await (channels === 1 ? decoded.extractChannel(0) : decoded.removeAlpha()).raw().toBuffer();
  return { pixels: new Uint8Array(raw), quality: chosen.quality, bytes: jpegScanBytes(chosen.file), fileBytes: chosen.file.length, fits };
}
