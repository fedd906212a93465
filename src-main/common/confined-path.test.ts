/**
 * Paths read from files stay inside their folder: real folders, real links.
 * Each refusal names the file that held the path, the path, and what to try.
 */
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfinedPath } from './confined-path';
import { FileRefusal } from './file-refusal';

function modelFolder(): { dir: string; holder: string } {
  const outer = mkdtempSync(join(tmpdir(), 'aes-confine-'));
  const dir = join(outer, 'model');
  mkdirSync(join(dir, 'shards'), { recursive: true });
  writeFileSync(join(outer, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(dir, 'weights.bin'), 'w');
  writeFileSync(join(dir, 'shards', 'a.bin'), 'a');
  return { dir, holder: join(dir, 'model.json') };
}

async function refusal(path: unknown, holder: string): Promise<FileRefusal> {
  try {
    await resolveConfinedPath(path, { file: holder, field: 'weightsManifest[0].paths[0]' });
  } catch (e) {
    expect(e).toBeInstanceOf(FileRefusal);
    return e as FileRefusal;
  }
  throw new Error(`${String(path)} was accepted`);
}

describe('resolveConfinedPath', () => {
  it('accepts files inside the folder, also through sub-folders and harmless ".."; returns their real paths', async () => {
    const { dir, holder } = modelFolder();
    const real = realpathSync(dir);
    expect(await resolveConfinedPath('weights.bin', { file: holder })).toBe(join(real, 'weights.bin'));
    expect(await resolveConfinedPath('shards/a.bin', { file: holder })).toBe(join(real, 'shards', 'a.bin'));
    expect(await resolveConfinedPath('shards/../weights.bin', { file: holder })).toBe(join(real, 'weights.bin'));
    expect(await resolveConfinedPath('./shards/./a.bin', { file: holder })).toBe(join(real, 'shards', 'a.bin'));
  });

  it('refuses a path whose ".." leads out of the folder, naming the file, the field and the path', async () => {
    const { dir, holder } = modelFolder();
    for (const p of ['../secret.txt', 'shards/../../secret.txt', '..', '../../dev/zero', '..\\secret.txt']) {
      const e = await refusal(p, holder);
      expect(e.reason).toBe('escapes-folder');
      expect(e.message).toBe(`${holder} (weightsManifest[0].paths[0]) names ${JSON.stringify(p)}, which leads out of ${dir}`);
      expect(e.hint).toMatch(/^Only files inside .* may be named there/);
    }
  });

  it('refuses absolute paths (POSIX and Windows) even when they point inside the folder', async () => {
    const { dir, holder } = modelFolder();
    for (const p of ['/etc/passwd', join(dir, 'weights.bin'), 'C:\\Windows\\win.ini', '\\\\server\\share\\x']) {
      const e = await refusal(p, holder);
      expect(e.reason).toBe('absolute-path');
      expect(e.message).toContain(`names ${JSON.stringify(p)}, an absolute path`);
    }
  });

  it('refuses a symlink in the folder whose real target is outside it (a file, /dev/zero, a folder link on the way)', async () => {
    const { dir, holder } = modelFolder();
    symlinkSync(join(dir, '..', 'secret.txt'), join(dir, 'link.bin'));
    symlinkSync('/dev/zero', join(dir, 'zero.bin'));
    symlinkSync(join(dir, '..'), join(dir, 'up'));
    for (const p of ['link.bin', 'zero.bin', 'up/secret.txt']) {
      const e = await refusal(p, holder);
      expect(e.reason).toBe('link-leads-out');
      expect(e.message).toMatch(/a symbolic link whose target \(.*\) is outside /);
    }
  });

  it('accepts a symlink that stays inside, and a folder that is itself reached through a link', async () => {
    const { dir, holder } = modelFolder();
    symlinkSync('weights.bin', join(dir, 'alias.bin'));
    expect(await resolveConfinedPath('alias.bin', { file: holder })).toBe(join(realpathSync(dir), 'weights.bin'));
    const viaLink = join(dir, '..', 'model-link');
    symlinkSync(dir, viaLink);
    expect(await resolveConfinedPath('weights.bin', { file: join(viaLink, 'model.json') })).toBe(join(realpathSync(dir), 'weights.bin'));
  });

  it('refuses the folder itself, empty names, NUL bytes and non-strings; a missing file is refused as missing', async () => {
    const { holder } = modelFolder();
    expect((await refusal('.', holder)).reason).toBe('bad-path');
    expect((await refusal('', holder)).reason).toBe('bad-path');
    expect((await refusal('weights.bin\0.txt', holder)).reason).toBe('bad-path');
    expect((await refusal(42, holder)).reason).toBe('bad-path');
    const missing = await refusal('nope.bin', holder);
    expect(missing.reason).toBe('missing');
    expect(missing.message).toMatch(/names "nope\.bin", which does not exist in /);
  });

  it('a link loop is refused, not followed forever', async () => {
    const { dir, holder } = modelFolder();
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    expect((await refusal('a', holder)).reason).toBe('link-leads-out');
  });
});
