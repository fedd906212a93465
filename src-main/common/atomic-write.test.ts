/**
 * Saving is safe: a write into a folder the writer may not write to fails
 * with the path and the reason in words, and the previous file stays byte for
 * byte as it was; a successful write replaces it whole and leaves no temp file.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
