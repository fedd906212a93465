/**
 * Image folders are bounded from their headers before any pixel is decoded,
 * images are read at the size their pixels have (not the size a header
 * claims), and symbolic links are refused: on real files in a temporary folder.
 */
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, MAX_DATASET_VALUES } from './dataset';
import { importImageFolder } from './import-images';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aes-images-'));
});

/** A folder holding these files (name → bytes). */
async function folder(name: string, files: Record<string, Uint8Array>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), bytes);
  }
  return dir;
}

async function refusal(p: Promise<unknown>): Promise<DatasetError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
  return out;
}

/** A valid 8-bit grayscale PNG of w×h black pixels, deflated as tightly as PNG allows (7000×7000 is about 48 KB). */
function blackPng(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const idat = deflateSync(Buffer.alloc(h * (w + 1)), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/** A real 16×16 JPEG whose start-of-frame marker is patched to claim w×h. */
async function lyingJpeg(w: number, h: number): Promise<Buffer> {
  const raw = Buffer.from(Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 37) & 255));
  const jpeg = Buffer.from(await sharp(raw, { raw: { width: 16, height: 16, channels: 3 } }).jpeg().toBuffer());
  for (let i = 2; i < jpeg.length; i += 2 + jpeg.readUInt16BE(i + 2)) {
    if (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc2) {
      jpeg.writeUInt16BE(h, i + 5);
      jpeg.writeUInt16BE(w, i + 7);
      return jpeg;
    }
  }
  throw new Error('no start-of-frame marker');
}

describe('image headers that claim more than their data', () => {
  it('refuses a JPEG whose header claims 7000×7000 over 16×16 of data, before decoding it', async () => {
    const jpeg = await lyingJpeg(7000, 7000);
    const e = await refusal(importImageFolder(await folder('lying-jpeg', { 'a.jpg': jpeg }), { channels: 1 }));
    expect(e.message).toBe(`a.jpg claims to be 7000×7000 pixels but holds only ${jpeg.length} bytes, fewer than any JPEG of that size (at least 95703): it is truncated or its header is wrong`);
  });

  it('refuses a JPEG claiming 64×64 over 16×16 of data when decoding finds the data missing (libjpeg would fill it with grey)', async () => {
    const e = await refusal(importImageFolder(await folder('short-jpeg', { 'a.jpg': await lyingJpeg(64, 64) }), { channels: 1 }));
    expect(e.message).toMatch(/^a\.jpg is damaged and cannot be decoded \(.*premature end of data/i);
  });

  it('refuses a PNG whose header claims 7000×7000 over 16×16 of data, before decoding it', async () => {
    const png = blackPng(16, 16);
    png.writeUInt32BE(7000, 16);
    png.writeUInt32BE(7000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
    const e = await refusal(importImageFolder(await folder('lying-png', { 'a.png': png }), { channels: 1 }));
    // Deflate compresses at most 1032:1, and each of the 7000 rows is at least 1 + 7000/8 bytes: at least 5941 bytes.
    expect(e.message).toBe(`a.png claims to be 7000×7000 pixels but holds only ${png.length} bytes, fewer than any PNG of that size (at least 5941): it is truncated or its header is wrong`);
  });

  it('reads a gray PNG with alpha as one channel at its decoded size', async () => {
    const png = await sharp(Buffer.alloc(5 * 3 * 2, 200), { raw: { width: 5, height: 3, channels: 2 } }).png().toBuffer();
    const d = await importImageFolder(await folder('gray-alpha', { 'a.png': png, 'b.png': png }), { channels: 1 });
    expect(d.summary).toMatchObject({ shape: [3, 5, 1], count: 2, sourceRange: [200, 200] });
  });
});

describe('a total budget across the folder, checked from headers', () => {
  it('refuses the issue\'s image bomb (30 PNGs of 7000×7000, 1.4 MB on disk) from their headers, naming the total and the cap', async () => {
    const png = blackPng(7000, 7000);
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`bomb-${String(i).padStart(2, '0')}.png`, png]));
    const e = await refusal(importImageFolder(await folder('bomb', files), { channels: 1 }));
    expect(e.message).toBe(`${join(root, 'bomb')}: 30 images of 7000×7000×1 make 1470000000 values, more than the ${MAX_DATASET_VALUES} an import may hold`);
    expect(e.hint).toMatch(/^Resize the images smaller/);
  });

  it('refuses a folder over the budget before decoding any image: a damaged image in it is not reached', async () => {
    const good = blackPng(8, 8);
    const damaged = Buffer.concat([good.subarray(0, 33), chunk('IDAT', Buffer.from('not deflate data')), chunk('IEND', new Uint8Array(0))]);
    const dir = await folder('over-budget', { 'a.png': good, 'b.png': good, 'c.png': damaged });
    const e = await refusal(importImageFolder(dir, { channels: 1 }, { maxValues: 191, maxImagePixels: 50e6 }));
    expect(e.message).toBe(`${dir}: 3 images of 8×8×1 make 192 values, more than the 191 an import may hold`);
    // Within the budget, the same folder gets as far as decoding, and the damaged image is named.
    expect((await refusal(importImageFolder(dir, { channels: 1 }, { maxValues: 192, maxImagePixels: 50e6 }))).message).toMatch(/^c\.png is damaged and cannot be decoded/);
  });

  it('counts the resized size against the budget, so large images resized small are read', async () => {
    const png = blackPng(300, 200);
    const d = await importImageFolder(await folder('resized', { 'a.png': png, 'b.png': png }), { channels: 1, width: 4, height: 4 }, { maxValues: 32, maxImagePixels: 60_000 });
    expect(d.summary).toMatchObject({ shape: [4, 4, 1], count: 2 });
  });
});

describe('symbolic links in an image folder', () => {
  it('refuses a linked image instead of following it out of the folder, naming it', async () => {
    const outside = await folder('outside', { 'secret.png': blackPng(4, 4) });
    const dir = await folder('with-link', { 'a.png': blackPng(4, 4) });
    await symlink(join(outside, 'secret.png'), join(dir, 'b.png'));
    const e = await refusal(importImageFolder(dir, { channels: 1 }));
    expect(e.message).toBe('b.png is a symbolic link; links in an image folder are not followed, so the folder cannot pull in files from elsewhere');
  });

  it('refuses a linked class folder, naming it', async () => {
    const outside = await folder('outside-class', { 'x.png': blackPng(4, 4) });
    const dir = await folder('with-class-link', { 'cats/a.png': blackPng(4, 4) });
    await symlink(outside, join(dir, 'dogs'));
    expect((await refusal(importImageFolder(dir, { channels: 1 }))).message).toMatch(/^dogs is a symbolic link/);
  });
});
