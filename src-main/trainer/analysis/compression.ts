/**
 * Compression: an image stored as its code (float32, or 8-bit with one
 * shared min/max per code value) and rebuilt by the decoder, against JPEG
 * at the same byte budget. Both are scored on 8-bit pixels (PSNR and SSIM),
 * as a person would compare two image files.
 */
import { ssim } from 'ssim.js';
import type { AnalysisRequestFull, AnalysisResultOf, ImageRow } from '../../../src-shared/analysis/analysis-messages';
import { psnr } from '../../../src-shared/analysis/image-quality';
import { DatasetError } from '../data/dataset';
import type { AnalysisContext } from './analysis-context';
import { heldOut } from './analysis-context';
import { imageRow } from './images';
import { jpegWithinBudget } from './jpeg-budget';
import { decoderOf } from './latent';
import { gatherSamples, predictAll } from './tensors';

type Request = Extract<AnalysisRequestFull, { task: 'compression' }>;

/** Training codes the 8-bit quantiser's ranges come from. */
const RANGE_SAMPLES = 2000;

/** Each code value mapped to 0–255 within its range over training codes, and back. */
export function quantizeCodes(codes: Float32Array, dim: number, reference: Float32Array): Float32Array {
  const lo = new Float32Array(dim).fill(Infinity);
  const hi = new Float32Array(dim).fill(-Infinity);
  for (let i = 0; i < reference.length; i++) {
    const j = i % dim;
    lo[j] = Math.min(lo[j], reference[i]);
    hi[j] = Math.max(hi[j], reference[i]);
  }
  return codes.map((v, i) => {
    const j = i % dim;
    const span = hi[j] - lo[j];
    if (!(span > 0)) return lo[j];
    const q = Math.round(Math.min(255, Math.max(0, ((v - lo[j]) / span) * 255)));
    return lo[j] + (q / 255) * span;
  });
}

/** Mean PSNR (peak 255) and SSIM of a row of 8-bit images against the originals. */
function scoreRow(original: ImageRow, test: Uint8Array): { psnr: number; ssim: number } {
  const [h, w, c] = original.shape;
  const size = h * w * c;
  let p = 0;
  let s = 0;
  const rgba = (px: Uint8Array, k: number) => {
    const out = new Uint8ClampedArray(h * w * 4);
    for (let i = 0; i < h * w; i++) {
      for (let ch = 0; ch < 3; ch++) out[i * 4 + ch] = px[k * size + i * c + Math.min(ch, c - 1)];
      out[i * 4 + 3] = 255;
    }
    return { data: out, width: w, height: h };
  };
  for (let k = 0; k < original.count; k++) {
    p += Math.min(100, psnr(original.pixels.subarray(k * size, (k + 1) * size), test.subarray(k * size, (k + 1) * size), 255));
    // SSIM's window needs room; tiny images use a window as large as they allow.
    s += ssim(rgba(original.pixels, k), rgba(test, k), { windowSize: Math.min(11, h, w) }).mssim;
  }
  return { psnr: p / original.count, ssim: s / original.count };
}

/** Runs the comparison on `req.count` held-out images. */
export async function analyzeCompression(ctx: AnalysisContext, req: Request): Promise<AnalysisResultOf<'compression'>> {
  if (ctx.sampleShape.length !== 3 || ![1, 3].includes(ctx.sampleShape[2])) throw new DatasetError('The compression comparison needs images (height × width × 1 or 3 channels)', 'Use it on a run trained on images.');
  const [h, w, c] = ctx.sampleShape as [number, number, 1 | 3];
  const idx = heldOut(ctx, req.count);
  const n = idx.length;
  const values = gatherSamples(ctx.data.values, ctx.size, idx);
  const codes = predictAll(ctx.model.encoder, values, n, ctx.sampleShape, idx);
  const refIdx = ctx.split.train.subarray(0, Math.min(RANGE_SAMPLES, ctx.split.train.length));
  const refCodes = predictAll(ctx.model.encoder, gatherSamples(ctx.data.values, ctx.size, refIdx), refIdx.length, ctx.sampleShape, refIdx);
  const decoder = decoderOf(ctx, 'The compression comparison');
  const aeFloat = predictAll(decoder, codes, n, ctx.spec.codeShape, idx);
  const aeUint8 = predictAll(decoder, quantizeCodes(codes, ctx.codeSize, refCodes), n, ctx.spec.codeShape, idx);

  const original = imageRow(values, n, ctx.sampleShape, ctx.range);
  const floatRow = imageRow(aeFloat, n, ctx.sampleShape, ctx.range);
  const uint8Row = imageRow(aeUint8, n, ctx.sampleShape, ctx.range);
  const codeBytes = { float32: ctx.codeSize * 4, uint8: ctx.codeSize };
  const budget = codeBytes[req.budget];
  const jpegPixels = new Uint8Array(original.pixels.length);
  let bytes = 0;
  let fileBytes = 0;
  let quality = 0;
  let overBudget = 0;
  for (let k = 0; k < n; k++) {
    const j = await jpegWithinBudget(original.pixels.subarray(k * ctx.size, (k + 1) * ctx.size), w, h, c, budget);
    jpegPixels.set(j.pixels, k * ctx.size);
    bytes += j.bytes;
    fileBytes += j.fileBytes;
    quality += j.quality;
    if (!j.fits) overBudget++;
  }
  return {
    task: 'compression',
    count: n,
    originalBytes: ctx.size,
    codeBytes,
    budget,
    original,
    aeFloat: floatRow,
    aeUint8: uint8Row,
    jpeg: { ...original, pixels: jpegPixels },
    scores: {
      aeFloat: scoreRow(original, floatRow.pixels),
      aeUint8: scoreRow(original, uint8Row.pixels),
      jpeg: { ...scoreRow(original, jpegPixels), bytes: bytes / n, fileBytes: fileBytes / n, quality: quality / n },
    },
    overBudget,
  };
}
