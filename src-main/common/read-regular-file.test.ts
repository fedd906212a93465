/**
 * Only regular files are read, with the size known before reading: a FIFO, a
 * device, a socket and a folder are refused at once by name (a FIFO with no
 * writer would otherwise block forever), a file over the cap is refused
 * without being read, and a file that changes size while read is refused.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRefusal } from './file-refusal';
import { openRegularFile, readRegularFile } from './read-regular-file';

const LIMITS = { maxBytes: 1024, what: 'a project file' };
const posix = process.platform !== 'win32';

async function refused(path: string, limits = LIMITS): Promise<FileRefusal> {
  const e: unknown = await readRegularFile(path, limits).then(
    () => new Error(`${path} was read`),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FileRefusal);
  return e as FileRefusal;
}

describe('readRegularFile', () => {
  it('reads a regular file exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-read-'));
    writeFileSync(join(dir, 'a.aestudio'), 'hello \u00e9');
    expect((await readRegularFile(join(dir, 'a.aestudio'), LIMITS)).toString('utf8')).toBe('hello \u00e9');
    writeFileSync(join(dir, 'empty'), '');
    expect((await readRegularFile(join(dir, 'empty'), LIMITS)).length).toBe(0);
  });

  it.skipIf(!posix)('refuses a FIFO at once, naming it (it would block forever with no writer)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-fifo-'));
    const fifo = join(dir, 'pipe.aestudio');
    execFileSync('mkfifo', [fifo]);
    const e = await refused(fifo);
    expect(e.reason).toBe('not-regular');
    expect(e.message).toBe(`${fifo} is a named pipe (FIFO), not a project file`);
    expect(e.hint).toMatch(/pipes, devices and sockets are refused/);
  });

  it.skipIf(!posix)('refuses /dev/zero (a device that never ends) without reading it', async () => {
    const e = await refused('/dev/zero', { maxBytes: 1e12, what: 'a weights file' });
    expect(e.message).toBe('/dev/zero is a character device, not a weights file');
  });

  it.skipIf(!posix)('refuses a Unix socket and a folder by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-sock-'));
    const sock = join(dir, 's.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      expect((await refused(sock)).message).toMatch(/is a socket/);
    } finally {
      server.close();
    }
    const folder = await refused(dir);
    expect(folder.message).toBe(`${dir} is a folder, not a project file`);
    expect(folder.hint).toBe('Choose the file itself.');
  });

  it('refuses a file over the cap from its size alone (a sparse 8 GB file is never read)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-big-'));
    const big = join(dir, 'big.aestudio');
    writeFileSync(big, '');
    truncateSync(big, 8 * 1024 ** 3);
    const e = await refused(big);
    expect(e.reason).toBe('too-large');
    expect(e.message).toBe(`${big} is 8.6 GB, more than the 1.0 kB a project file may be`);
  });

  it('refuses a file that grew, or shrank, between opening and reading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-grow-'));
    const file = join(dir, 'f');
    writeFileSync(file, 'abc');
    const growing = await openRegularFile(file, LIMITS);
    appendFileSync(file, 'def');
    await expect(growing.read()).rejects.toThrow(`${file} changed while it was read (3 bytes when opened, more by the end)`);
    const shrinking = await openRegularFile(file, LIMITS);
    truncateSync(file, 2);
    await expect(shrinking.read()).rejects.toThrow(`${file} changed while it was read (6 bytes when opened, 2 bytes by the end)`);
  });

  it('says in words that a missing file does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-missing-'));
    expect((await refused(join(dir, 'nope'))).message).toBe(`${join(dir, 'nope')} does not exist`);
  });
});
