/**
 * The CLI's project reader refuses what is not a regular file at once: a FIFO
 * (which used to hang `aestudio compile` and `train` forever) and /dev/zero
 * (which used to be read until the size check after the fact).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjectFile } from './load-project';

describe.skipIf(process.platform === 'win32')('loadProjectFile on files that are not regular files', () => {
  it('a FIFO as the project path is refused at once, naming it', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'aes-cli-fifo-')), 'p.aestudio');
    execFileSync('mkfifo', [fifo]);
    expect(await loadProjectFile(fifo)).toEqual({ ok: false, error: expect.stringMatching(/p\.aestudio is a named pipe \(FIFO\), not a project file\. Choose a project file \(a regular file\)/) });
  });

  it('/dev/zero, directly and through a .aestudio link, is refused as a device without being read', async () => {
    expect(await loadProjectFile('/dev/zero')).toEqual({ ok: false, error: expect.stringMatching(/^\/dev\/zero is a character device, not a project file\./) });
    const link = join(mkdtempSync(join(tmpdir(), 'aes-cli-zero-')), 'z.aestudio');
    symlinkSync('/dev/zero', link);
    expect(await loadProjectFile(link)).toEqual({ ok: false, error: expect.stringMatching(/z\.aestudio is a character device/) });
  });
});
