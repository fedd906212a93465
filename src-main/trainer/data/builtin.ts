/**
 * The built-in datasets, read from their npm packages (JSON per class) once
 * and then kept in a compact binary cache: 8-bit pixels plus 8-bit labels,
 * so later loads read one file instead of parsing 20–150 MB of JSON.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findBuiltinDataset } from '../../../src-shared/datasets/builtin';
import type { BuiltinDataset } from '../../../src-shared/datasets/builtin';
import { DatasetError } from './dataset';
import type { LoadedDataset } from './dataset';

// Not named `require`: the bundler injects its own `require` into chunks shared by several entries.
const requireHere = createRequire(import.meta.url);
const CACHE_MAGIC = 'AESDS1\n';

/** Where each package keeps its per-class JSON files, and the scale of its values. */
const SOURCES: Record<string, { dir: () => string; scale: number }> = {
  mnist: { dir: () => join(dirname(requireHere.resolve('mnist/package.json')), 'src/digits'), scale: 1 },
  'fashion-mnist': { dir: () => join(dirname(requireHere.resolve('fashion-mnist/package.json')), 'src/clothes'), scale: 255 },
};

interface Raw {
  pixels: Uint8Array;
  labels: Uint8Array;
}

async function readPackage(def: BuiltinDataset): Promise<Raw> {
  const source = SOURCES[def.id];
  const size = def.shape[0] * def.shape[1] * def.shape[2];
  const chunks: { pixels: Uint8Array; label: number }[] = [];
  for (let label = 0; label < def.labelNames.length; label++) {
    const file = join(source.dir(), `${label}.json`);
    const data = (JSON.parse(await readFile(file, 'utf8')) as { data: number[] | number[][] }).data;
    // fashion-mnist stores one array per image (with a few empty ones, skipped); mnist one flat array.
    const rows = Array.isArray(data[0]) ? (data as number[][]).filter((r) => r.length > 0) : null;
    if (rows?.some((r) => r.length !== size)) throw new DatasetError(`${file} has an image that is not ${size} values long`, 'Reinstall the app\'s dependencies (npm install).');
    const flat = rows ? rows.flat() : (data as number[]);
    if (flat.length % size !== 0) throw new DatasetError(`${file} holds ${flat.length} values, not a whole number of ${size}-value images`, 'Reinstall the app\'s dependencies (npm install).');
    const pixels = new Uint8Array(flat.length);
    for (let i = 0; i < flat.length; i++) pixels[i] = Math.round((flat[i] / source.scale) * 255);
    chunks.push({ pixels, label });
  }
  const total = chunks.reduce((n, c) => n + c.pixels.length, 0);
  const pixels = new Uint8Array(total);
  const labels = new Uint8Array(total / size);
  let offset = 0;
  for (const c of chunks) {
    pixels.set(c.pixels, offset);
    labels.fill(c.label, offset / size, (offset + c.pixels.length) / size);
    offset += c.pixels.length;
  }
  return { pixels, labels };
}

function encodeCache(raw: Raw): Buffer {
  return Buffer.concat([Buffer.from(CACHE_MAGIC), Buffer.from(new Uint32Array([raw.labels.length]).buffer), raw.labels, raw.pixels]);
}

function decodeCache(buf: Buffer, size: number): Raw | null {
  const head = CACHE_MAGIC.length;
  if (buf.length < head + 4 || buf.subarray(0, head).toString() !== CACHE_MAGIC) return null;
  const count = buf.readUInt32LE(head);
  if (buf.length !== head + 4 + count + count * size) return null; // truncated or foreign: rebuild
  const labels = new Uint8Array(buf.buffer, buf.byteOffset + head + 4, count);
  const pixels = new Uint8Array(buf.buffer, buf.byteOffset + head + 4 + count, count * size);
  return { pixels, labels };
}

/** Loads a built-in dataset, from the cache when it is there and whole, else from its package (then caching it). */
export async function loadBuiltin(id: string, cacheDir: string): Promise<LoadedDataset> {
  const def = findBuiltinDataset(id);
  if (!def || !SOURCES[id]) throw new DatasetError(`There is no built-in dataset "${id}"`, 'Choose MNIST or Fashion-MNIST, or import your own data.');
  const size = def.shape[0] * def.shape[1] * def.shape[2];
  const cacheFile = join(cacheDir, `${id}.aesds`);
  let raw = await readFile(cacheFile).then((b) => decodeCache(b, size), () => null);
  if (!raw) {
    raw = await readPackage(def);
    await mkdir(cacheDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(tmp, encodeCache(raw));
    await rename(tmp, cacheFile); // atomic: a crash mid-write never leaves a half cache
  }
  const values = new Float32Array(raw.pixels.length);
  for (let i = 0; i < values.length; i++) values[i] = raw.pixels[i] / 255;
  return {
    summary: { name: def.title, shape: [...def.shape], count: raw.labels.length, sourceRange: [0, 1], normalization: 'none', labelCount: def.labelNames.length },
    values,
    labels: Int32Array.from(raw.labels),
    labelNames: def.labelNames,
  };
}
