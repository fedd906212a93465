/** Denoising: noise added to held-out samples, then reconstructed; PSNR of both against the clean originals; a person's own images too. */
import sharp from 'sharp';
import type { AnalysisRequestFull, AnalysisResultOf } from '../../../src-shared/analysis/analysis-messages';
import { meanPsnr } from '../../../src-shared/analysis/image-quality';
import { addNoise } from '../../../src-shared/analysis/noise';
import type { AnalysisContext } from './analysis-context';
import { heldOut } from './analysis-context';
import { imageRow } from './images';
import { gatherSamples, predictAll } from './tensors';

/** Held-out samples the PSNR averages over. */
const EVALUATED = 1000;

type Request = Extract<AnalysisRequestFull, { task: 'denoise' }>;

/** Reads a dropped image file at the model's input size and channels, scaled like the data. */
async function readDropped(ctx: AnalysisContext, bytes: Uint8Array): Promise<Float32Array> {
  const [h, w, c] = ctx.sampleShape;
  let img = sharp(bytes, { limitInputPixels: 50_000_000 }).resize(w, h, { fit: 'fill' }).removeAlpha();
  img = c === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== c) throw new Error(`decoded to ${info.channels} channels, not ${c}`);
  const [lo, hi] = ctx.range;
  return Float32Array.from(data, (v) => lo + (v / 255) * (hi - lo));
}

/** Runs the denoising analysis. */
export async function analyzeDenoise(ctx: AnalysisContext, req: Request): Promise<AnalysisResultOf<'denoise'>> {
  const idx = heldOut(ctx, EVALUATED);
  const clean = gatherSamples(ctx.data.values, ctx.size, idx);
  const noised = addNoise(clean, req.noise, ctx.range, req.seed);
  const denoised = predictAll(ctx.model.inference, noised, idx.length, ctx.sampleShape, idx);
  const peak = ctx.range[1] - ctx.range[0];
  const shown = Math.min(req.count, idx.length);
  const files: AnalysisResultOf<'denoise'>['files'] = [];
  const fileErrors: string[] = [];
  for (const file of req.files) {
    if (ctx.sampleShape.length !== 3) {
      fileErrors.push(`${file.name}: this model takes vectors of ${ctx.size} values, not images`);
      continue;
    }
    try {
      const input = await readDropped(ctx, file.bytes);
      const output = predictAll(ctx.model.inference, input, 1, ctx.sampleShape);
      files.push({ name: file.name, input: imageRow(input, 1, ctx.sampleShape, ctx.range), output: imageRow(output, 1, ctx.sampleShape, ctx.range) });
    } catch (e) {
      fileErrors.push(`${file.name} could not be read as an image (${(e as Error).message.split('\n')[0]}); drop a PNG, JPEG, WebP, GIF or TIFF file`);
    }
  }
  return {
    task: 'denoise',
    noise: req.noise,
    evaluated: idx.length,
    psnrNoised: meanPsnr(clean, noised, ctx.size, peak),
    psnrDenoised: meanPsnr(clean, denoised, ctx.size, peak),
    clean: imageRow(clean, shown, ctx.sampleShape, ctx.range),
    noised: imageRow(noised, shown, ctx.sampleShape, ctx.range),
    denoised: imageRow(denoised, shown, ctx.sampleShape, ctx.range),
    files,
    fileErrors,
  };
}
