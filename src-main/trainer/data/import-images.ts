/**
 * A folder of PNG/JPEG images. Images directly in the folder are unlabelled;
 * images in sub-folders are labelled by sub-folder name (the usual
 * "one folder per class" layout). Decoding and resizing by sharp (libvips).
 *
 * Memory is bounded before anything is decoded: every image's header is read
 * first (sharp's metadata()) and the folder is refused when one image exceeds
 * the per-image pixel limit, when a header claims more pixels than its file
 * could encode, or when all images together exceed the dataset's value cap.
 * Decoding then runs a few images at a time, and each image must decode to
 * the size its header gave (a JPEG whose header claims 7000×7000 over 16×16
 * of data used to be read at 7000×7000). Symbolic links are refused, not
 * followed, so a folder cannot pull in files from elsewhere.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import sharp from 'sharp';
import { IMPORT_FORMATS } from '../../../src-shared/datasets/import-formats';
import type { ImportOptions } from '../../../src-shared/datasets/import-formats';
import { DatasetError, MAX_DATASET_VALUES, snippet } from './dataset';
import type { LoadedDataset } from './dataset';
import { finishDataset } from './normalize';

const EXTENSIONS = new Set<string>(IMPORT_FORMATS.images.extensions);
/** Larger images are refused: 50 megapixels is far beyond any autoencoder input. */
export const MAX_IMAGE_PIXELS = 50_000_000;
const MAX_IMAGES = 200_000;
/** Header pixels decoding at once: bounds libvips' working memory when a folder holds large images. */
const PIXELS_IN_FLIGHT = 64_000_000;
const FILES_IN_FLIGHT = 16;

/** Bounds checked from headers before decoding; tests lower them. */
export interface ImageLimits {
  maxValues: number;
  maxImagePixels: number;
}
const DEFAULT_LIMITS: ImageLimits = { maxValues: MAX_DATASET_VALUES, maxImagePixels: MAX_IMAGE_PIXELS };

interface Entry {
  file: string;
  label: string | null;
}

/** A folder's entries, sorted; `where` names it in messages ('' for the chosen folder itself). */
async function entriesOf(dir: string, where: string) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const shown = snippet(where || dir, 200);
    throw new DatasetError(code === 'ENOENT' ? `${shown} does not exist` : code === 'ENOTDIR' ? `${shown} is a file, not a folder` : `${shown} cannot be read: ${snippet((e as Error).message, 300)}`, 'Choose a folder of PNG or JPEG images (one sub-folder per class for labels) that you may read.');
  }
  const link = entries.find((e) => e.isSymbolicLink());
  if (link) throw new DatasetError(`${snippet(join(where, link.name), 100)} is a symbolic link; links in an image folder are not followed, so the folder cannot pull in files from elsewhere`, 'Copy the images (or the class folder) into the folder instead of linking them.');
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function listImages(dir: string): Promise<Entry[]> {
  const entries = await entriesOf(dir, '');
  const out: Entry[] = [];
  for (const e of entries) {
    // Dirent types come from the directory itself (lstat semantics): FIFOs, devices and links are none of these.
    if (e.isFile() && EXTENSIONS.has(extname(e.name).toLowerCase())) out.push({ file: join(dir, e.name), label: null });
    if (e.isDirectory()) {
      for (const f of await entriesOf(join(dir, e.name), e.name)) {
        if (f.isFile() && EXTENSIONS.has(extname(f.name).toLowerCase())) out.push({ file: join(dir, e.name, f.name), label: e.name });
      }
    }
  }
  return out;
}

/** The fewest bytes a PNG or JPEG of w×h pixels can take: a header claiming more pixels than that lies about its size. */
function minimumBytes(format: string, w: number, h: number): number {
  // Deflate cannot compress better than 1032:1, and a PNG row is at least one filter byte plus one bit per pixel.
  if (format === 'png') return Math.floor((h * (1 + Math.ceil(w / 8))) / 1032);
  // Huffman-coded JPEG spends at least one bit per 8×8 block of its full-resolution channel. (Arithmetic coding,
  // which browsers do not show either, could go lower: only a huge, nearly uniform one would be refused.)
  return Math.floor((Math.ceil(w / 8) * Math.ceil(h / 8)) / 8);
}

interface Header {
  width: number;
  height: number;
}

async function readHeader(file: string, where: string, limits: ImageLimits): Promise<Header> {
  const size = (await stat(file)).size;
  if (size === 0) throw new DatasetError(`${where} is empty (0 bytes)`, 'It may not have finished copying; replace it or remove it from the folder.');
  let meta;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new DatasetError(`${where} is not a readable PNG or JPEG image (${(e as Error).message})`, 'Remove it from the folder or replace it with a valid image.');
  }
  const { format, width, height } = meta;
  if (format !== 'png' && format !== 'jpeg') throw new DatasetError(`${where} is not a readable PNG or JPEG image (it is ${format})`, 'Convert it to PNG or JPEG, or remove it from the folder.');
  if (!width || !height) throw new DatasetError(`${where} is not a readable PNG or JPEG image (its header gives no size)`, 'Remove it from the folder or replace it with a valid image.');
  if (width * height > limits.maxImagePixels) throw new DatasetError(`${where} is larger than ${limits.maxImagePixels / 1e6} megapixels`, `Shrink it (it is ${width}×${height}), or leave it out of the folder.`);
  const least = minimumBytes(format, width, height);
  if (size < least) throw new DatasetError(`${where} claims to be ${width}×${height} pixels but holds only ${size} bytes, fewer than any ${format.toUpperCase()} of that size (at least ${least}): it is truncated or its header is wrong`, 'Replace it with a complete image, or remove it from the folder.');
  return { width, height };
}

async function decode(file: string, where: string, options: ImportOptions<'images'>, expect: Header, limits: ImageLimits) {
  let out;
  try {
    // failOn 'warning': libjpeg only warns about missing data and fills it with grey.
    let img = sharp(file, { limitInputPixels: limits.maxImagePixels, failOn: 'warning' });
    if (options.width && options.height) img = img.resize(options.width, options.height, { fit: 'fill' });
    img = options.channels === 1 ? img.removeAlpha().grayscale() : img.removeAlpha().toColourspace('srgb');
    out = await img.raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new DatasetError(`${where} is damaged and cannot be decoded (${(e as Error).message})`, 'Re-save it with an image editor, or remove it from the folder.');
  }
  const { info, data } = out;
  if (info.width !== expect.width || info.height !== expect.height || info.channels !== options.channels || data.length !== info.width * info.height * info.channels) {
    throw new DatasetError(`${where} decodes to ${info.width}×${info.height}×${info.channels}, not the ${expect.width}×${expect.height}×${options.channels} its header promised`, 'Re-save it with an image editor, or remove it from the folder.');
  }
  return data;
}

/** Imports every PNG/JPEG image of a folder (and its sub-folders, as labels). */
export async function importImageFolder(dir: string, options: ImportOptions<'images'>, limits = DEFAULT_LIMITS): Promise<LoadedDataset> {
  if ((options.width === undefined) !== (options.height === undefined)) throw new DatasetError('Resizing needs both a width and a height', "Give both, or neither to keep the images' own size.");
  const files = await listImages(dir);
  // Paths and names come from whoever sent the project: quoted with control characters escaped.
  const shown = snippet(dir, 200);
  if (files.length === 0) throw new DatasetError(`${shown} has no PNG or JPEG images`, 'Put .png or .jpg files in the folder, or in one sub-folder per class.');
  if (files.length > MAX_IMAGES) throw new DatasetError(`${shown} has ${files.length} images, more than ${MAX_IMAGES}`, 'Use a subset.');
  const labelNames = [...new Set(files.map((f) => f.label).filter((l): l is string => l !== null))].sort();
  if (labelNames.length > 0 && files.some((f) => f.label === null)) throw new DatasetError(`${shown} mixes images in the folder itself with images in sub-folders`, 'Put every image in a class sub-folder, or none of them.');
  const where = (f: Entry) => snippet(relative(dir, f.file) || basename(f.file), 100);

  // Headers only: sizes, the per-image limit and the folder's total, before any pixel is decoded.
  const headers: Header[] = [];
  for (let i = 0; i < files.length; i += FILES_IN_FLIGHT) headers.push(...(await Promise.all(files.slice(i, i + FILES_IN_FLIGHT).map((f) => readHeader(f.file, where(f), limits)))));
  const resize = options.width && options.height ? { width: options.width, height: options.height } : null;
  const size = resize ?? headers[0];
  if (!resize) {
    const k = headers.findIndex((h) => h.width !== size.width || h.height !== size.height);
    if (k >= 0) throw new DatasetError(`${where(files[k])} is ${headers[k].width}×${headers[k].height} but ${where(files[0])} is ${size.width}×${size.height}`, 'Choose a size to resize every image to (width and height).');
  }
  const per = size.width * size.height * options.channels;
  if (files.length * per > limits.maxValues) {
    throw new DatasetError(`${shown}: ${files.length} images of ${size.width}×${size.height}×${options.channels} make ${files.length * per} values, more than the ${limits.maxValues} an import may hold`, 'Resize the images smaller (width and height), read them as grayscale, or use fewer images.');
  }

  const values = new Float32Array(files.length * per);
  for (let i = 0; i < files.length; ) {
    // A batch of at most FILES_IN_FLIGHT files and PIXELS_IN_FLIGHT header pixels (at least one file).
    let end = i + 1;
    let pixels = headers[i].width * headers[i].height;
    while (end < files.length && end - i < FILES_IN_FLIGHT) {
      const next = headers[end].width * headers[end].height;
      if (pixels + next > PIXELS_IN_FLIGHT) break;
      pixels += next;
      end++;
    }
    const batch = await Promise.all(files.slice(i, end).map((f, k) => decode(f.file, where(f), options, resize ?? headers[i + k], limits)));
    batch.forEach((data, k) => values.set(data, (i + k) * per));
    i = end;
  }
  const labels = labelNames.length ? Int32Array.from(files, (f) => labelNames.indexOf(f.label!)) : null;
  const dataset = finishDataset({ name: snippet(basename(dir), 100), shape: [size.height, size.width, options.channels], values, labels, layout: 'image', eightBit: true });
  return { ...dataset, labelNames: labelNames.length ? labelNames : undefined };
}
