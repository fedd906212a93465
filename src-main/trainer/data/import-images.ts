/**
 * A folder of PNG/JPEG images. Images directly in the folder are unlabelled;
 * images in sub-folders are labelled by sub-folder name (the usual
 * "one folder per class" layout). Decoding and resizing by sharp (libvips),
 * with a pixel limit so a huge image is refused instead of exhausting memory.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import sharp from 'sharp';
import type { z } from 'zod';
import type { ImageImportOptionsSchema } from '../../../src-shared/datasets/dataset-ref';
import { DatasetError } from './dataset';
import type { LoadedDataset } from './dataset';
import { finishDataset } from './normalize';

const EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
/** Larger images are refused: 50 megapixels is far beyond any autoencoder input. */
export const MAX_IMAGE_PIXELS = 50_000_000;
const MAX_IMAGES = 200_000;

async function listImages(dir: string): Promise<{ file: string; label: string | null }[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(code === 'ENOENT' ? `${dir} does not exist` : code === 'ENOTDIR' ? `${dir} is a file, not a folder` : `${dir} cannot be read: ${(e as Error).message}`, 'Choose a folder of PNG or JPEG images.');
  }
  const out: { file: string; label: string | null }[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isFile() && EXTENSIONS.has(extname(e.name).toLowerCase())) out.push({ file: join(dir, e.name), label: null });
    if (e.isDirectory()) {
      const inner = await readdir(join(dir, e.name), { withFileTypes: true });
      for (const f of inner.sort((a, b) => a.name.localeCompare(b.name))) {
        if (f.isFile() && EXTENSIONS.has(extname(f.name).toLowerCase())) out.push({ file: join(dir, e.name, f.name), label: e.name });
      }
    }
  }
  return out;
}

async function decode(file: string, options: z.output<typeof ImageImportOptionsSchema>, root: string) {
  const where = relative(root, file) || basename(file);
  if ((await stat(file)).size === 0) throw new DatasetError(`${where} is empty (0 bytes)`, 'It may not have finished copying; replace it or remove it from the folder.');
  try {
    let img = sharp(file, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' });
    if (options.width && options.height) img = img.resize(options.width, options.height, { fit: 'fill' });
    img = options.channels === 1 ? img.grayscale() : img.removeAlpha().toColourspace('srgb');
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (e) {
    const msg = (e as Error).message;
    if (/pixel limit/i.test(msg)) throw new DatasetError(`${where} is larger than ${MAX_IMAGE_PIXELS / 1e6} megapixels`, 'Shrink it, or leave it out of the folder.');
    if (/unsupported image format|corrupt|premature end|bad seek|Input file is missing/i.test(msg)) throw new DatasetError(`${where} is not a readable PNG or JPEG image (${msg})`, 'Remove it from the folder or replace it with a valid image.');
    throw new DatasetError(`${where} could not be decoded: ${msg}`, 'Remove it from the folder or replace it with a valid image.');
  }
}

/** Imports every PNG/JPEG image of a folder (and its sub-folders, as labels). */
export async function importImageFolder(dir: string, options: z.output<typeof ImageImportOptionsSchema>): Promise<LoadedDataset> {
  if ((options.width === undefined) !== (options.height === undefined)) throw new DatasetError('Resizing needs both a width and a height', 'Give both, or neither to keep the images\' own size.');
  const files = await listImages(dir);
  if (files.length === 0) throw new DatasetError(`${dir} has no PNG or JPEG images`, 'Put .png or .jpg files in the folder, or in one sub-folder per class.');
  if (files.length > MAX_IMAGES) throw new DatasetError(`${dir} has ${files.length} images, more than ${MAX_IMAGES}`, 'Use a subset.');
  let first: { width: number; height: number; file: string } | null = null;
  let values: Float32Array | null = null;
  for (let start = 0; start < files.length; start += 16) {
    const chunk = files.slice(start, start + 16);
    const decoded = await Promise.all(chunk.map((f) => decode(f.file, options, dir)));
    decoded.forEach((img, k) => {
      if (!first) {
        first = { width: img.width, height: img.height, file: chunk[k].file };
        values = new Float32Array(files.length * img.width * img.height * img.channels);
      } else if (img.width !== first.width || img.height !== first.height) {
        throw new DatasetError(`${relative(dir, chunk[k].file)} is ${img.width}×${img.height} but ${relative(dir, first.file)} is ${first.width}×${first.height}`, 'Choose a size to resize every image to (width and height).');
      }
      const size = img.width * img.height * img.channels;
      const offset = (start + k) * size;
      for (let i = 0; i < size; i++) values![offset + i] = img.data[i];
    });
  }
  const labelNames = [...new Set(files.map((f) => f.label).filter((l): l is string => l !== null))].sort();
  if (labelNames.length > 0 && files.some((f) => f.label === null)) throw new DatasetError(`${dir} mixes images in the folder itself with images in sub-folders`, 'Put every image in a class sub-folder, or none of them.');
  const labels = labelNames.length ? Int32Array.from(files, (f) => labelNames.indexOf(f.label!)) : null;
  const f = first!;
  const dataset = finishDataset({ name: basename(dir), shape: [f.height, f.width, options.channels], values: values!, labels, layout: 'image', eightBit: true });
  return { ...dataset, labelNames: labelNames.length ? labelNames : undefined };
}
