/**
 * Saving under injected faults: a disk that fills up half-way through a
 * write (a real tmpfs of 64 KB where this machine allows mounting one, else
 * skipped), and a write that fails after half its bytes (the failure is
 * injected into the file handle; the files are real). Each time the error
 * says why in words, the original file is byte-for-byte intact, and no temp
 * file is left behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

/** When set, the next file opened for writing fails after writing half of what it is given. */
const fault = { halfThenFail: null as null | string };

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const open = async (...args: Parameters<typeof real.open>): Promise<FileHandle> => {
    const handle = await real.open(...args);
    const code = fault.halfThenFail;
    if (!code || args[1] !== 'wx') return handle; // the temp file is created exclusively
    fault.halfThenFail = null;
    return new Proxy(handle, {
      get(target, prop, receiver) {
        if (prop !== 'writeFile') return Reflect.get(target, prop, receiver) as unknown;
        return async (data: string | Uint8Array) => {
          const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
          await target.write(bytes.subarray(0, bytes.length >> 1));
          throw Object.assign(new Error(`${code}: injected failure, write`), { code });
        };
      },
    });
  };
  return { ...real, open, default: { ...real, open } };
});

const { writeFileAtomic } = await import('./atomic-write');

const original = Buffer.from(`{"format": "autoencoder-studio-project", "version": 1, "note": "${'precious '.repeat(2000)}"}`);

afterEach(() => {
  fault.halfThenFail = null;
});

describe('writeFileAtomic under injected faults', () => {
  it.each([
    ['ENOSPC', 'the disk is full'],
    ['EIO', 'the disk reported an input/output error'],
  ])('a write failing with %s after half its bytes: says "%s", the original is intact, no temp file is left', async (code, reason) => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-fault-'));
    const file = join(dir, 'project.aestudio');
    writeFileSync(file, original);
    fault.halfThenFail = code;
    await expect(writeFileAtomic(file, `${'new '.repeat(50_000)}`)).rejects.toThrow(`Could not save ${file}: ${reason}`);
    expect(readFileSync(file).equals(original)).toBe(true);
    expect(readdirSync(dir)).toEqual(['project.aestudio']);
  });

  const mountable = (() => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
    const dir = mkdtempSync(join(tmpdir(), 'aes-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
      return dir;
    } catch {
      return null;
    }
  })();

  it.skipIf(!mountable)('on a real disk that fills up (a 64 KB tmpfs; needs permission to mount one): says the disk is full, the original is intact', async () => {
    const file = join(mountable!, 'project.aestudio');
    try {
      writeFileSync(file, original.subarray(0, 20_000));
      await expect(writeFileAtomic(file, Buffer.alloc(100_000, 65))).rejects.toThrow(`Could not save ${file}: the disk is full. The previous version, if any, is unchanged.`);
      expect(readFileSync(file).equals(original.subarray(0, 20_000))).toBe(true);
      expect(readdirSync(mountable!)).toEqual(['project.aestudio']);
    } finally {
      rmSync(file, { force: true });
    }
  });

  afterAll(() => {
    if (mountable) execFileSync('umount', [mountable]);
  });
});
