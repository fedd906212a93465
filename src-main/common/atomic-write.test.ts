/**
 * Saving is safe: a write into a folder the writer may not write to fails
 * with the path and the reason in words, and the previous file stays byte for
 * byte as it was; a successful write replaces it whole and leaves no temp file.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write';

const ROOT = join(import.meta.dirname, '../..');

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temp file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-atomic-'));
    const file = join(dir, 'p.aestudio');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, 'new contents');
    expect(readFileSync(file, 'utf8')).toBe('new contents');
    expect(readdirSync(dir)).toEqual(['p.aestudio']);
  });

  it('in a read-only folder: says "permission denied" with the path, and the old file is byte-for-byte intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-readonly-'));
    const file = join(dir, 'project.aestudio');
    const original = Buffer.from('{"format": "autoencoder-studio-project", "version": 1, "precious": "\u00e9\u0000bytes"}');
    writeFileSync(file, original);
    chmodSync(dir, 0o555);
    chmodSync(file, 0o644);
    // Root ignores permission bits, so the write runs as an unprivileged user there (as a person's desktop session would).
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const script = `import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'src-main/common/atomic-write.ts'))};
try { await writeFileAtomic(${JSON.stringify(file)}, 'clobbered'); console.log('WROTE'); } catch (e) { console.log(e.message); }`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HOME: tmpdir() }, ...asUser }).trim();
    expect(out).toBe(`Could not save ${file}: permission denied. The previous version, if any, is unchanged.`);
    expect(readFileSync(file).equals(original)).toBe(true);
    expect(readdirSync(dir)).toEqual(['project.aestudio']);
    chmodSync(dir, 0o755);
  });

  it('into a folder that does not exist: says so', async () => {
    await expect(writeFileAtomic(join(tmpdir(), 'aes-no-such-folder', 'x', 'p.aestudio'), 'x')).rejects.toThrow(/: the folder does not exist\. The previous version, if any, is unchanged\.$/);
  });
});

describe('writeFileAtomic against planted links and lost permissions', () => {
  it('a symlink planted at the old, guessable temp name cannot redirect the write: the victim file is untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-plant-'));
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const file = join(dir, 'p.aestudio');
    writeFileSync(file, 'old');
    // The names the old writer used (pid + clock) and a spread of other guesses all lead to the victim.
    const now = Date.now();
    for (let t = now - 5; t < now + 2000; t += 1) symlinkSync(victim, join(dir, `.p.aestudio.${process.pid}.${t}.tmp`));
    await writeFileAtomic(file, 'new contents');
    expect(readFileSync(file, 'utf8')).toBe('new contents');
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
  });

  it('the temp file is created exclusively with a random name: two writes never share one, and a file at the name is never opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-excl-'));
    const file = join(dir, 'p.aestudio');
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeFileAtomic(file, `version ${i}`)));
    expect(readFileSync(file, 'utf8')).toMatch(/^version \d+$/);
    expect(readdirSync(dir)).toEqual(['p.aestudio']);
  });

  it.skipIf(process.platform === 'win32')('a 0600 file stays 0600 (and a 0640 file 0640) after saving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-mode-'));
    for (const mode of [0o600, 0o640]) {
      const file = join(dir, `m${mode.toString(8)}.aestudio`);
      writeFileSync(file, 'secret');
      chmodSync(file, mode);
      await writeFileAtomic(file, 'still secret');
      expect(statSync(file).mode & 0o777).toBe(mode);
      expect(readFileSync(file, 'utf8')).toBe('still secret');
    }
  });

  it('saving through a symlinked project writes the link target atomically and keeps the link a link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-link-'));
    mkdirSync(join(dir, 'real'));
    const real = join(dir, 'real', 'project.aestudio');
    writeFileSync(real, 'old');
    chmodSync(real, 0o600);
    const link = join(dir, 'link.aestudio');
    symlinkSync(join('real', 'project.aestudio'), link); // relative, as `ln -s` makes them
    await writeFileAtomic(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join('real', 'project.aestudio'));
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['link.aestudio', 'real']);
    expect(readdirSync(join(dir, 'real'))).toEqual(['project.aestudio']);
  });

  it('a chain of links is followed to its end; a loop of links is refused with a reason, and nothing is replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-chain-'));
    writeFileSync(join(dir, 'end.aestudio'), 'old');
    symlinkSync('end.aestudio', join(dir, 'middle.aestudio'));
    symlinkSync('middle.aestudio', join(dir, 'start.aestudio'));
    await writeFileAtomic(join(dir, 'start.aestudio'), 'new');
    expect(readFileSync(join(dir, 'end.aestudio'), 'utf8')).toBe('new');
    expect(lstatSync(join(dir, 'start.aestudio')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'middle.aestudio')).isSymbolicLink()).toBe(true);
    symlinkSync('b.aestudio', join(dir, 'a.aestudio'));
    symlinkSync('a.aestudio', join(dir, 'b.aestudio'));
    await expect(writeFileAtomic(join(dir, 'a.aestudio'), 'x')).rejects.toThrow(`Could not save ${join(dir, 'a.aestudio')}: it is a loop of symbolic links.`);
    expect(lstatSync(join(dir, 'a.aestudio')).isSymbolicLink()).toBe(true);
  });
});
