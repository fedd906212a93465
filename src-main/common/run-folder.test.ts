/** The run folder's checks that need no trainer: free space before training, records and checkpoints that are not what they claim. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputFolderError, checkOutputFolder, readCheckpoint, readRunRecord } from './run-folder';

describe('run folder', () => {
  it('refuses an output folder whose disk has less free space than the run needs, saying how much of each', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'aes-space-')), 'run');
    const err = await checkOutputFolder(dir, 2 ** 60).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(OutputFolderError);
    expect((err as Error).message).toMatch(new RegExp(`^Cannot write the run to ${dir}: the disk has [\\d.]+ MB free and the run needs about 1152921504606\\.8 MB \\(weights, checkpoint, images\\)\\. Nothing was trained\\.$`));
    await expect(checkOutputFolder(dir, 1024)).resolves.toBeUndefined();
  });

  it('refuses a metrics.json that is a FIFO or a folder instead of reading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-fifo-'));
    mkdirSync(join(dir, 'metrics.json'));
    expect(await readRunRecord(dir)).toEqual({ ok: false, missing: false, error: `${join(dir, 'metrics.json')} is a folder, not a run record` });
    const fifoDir = mkdtempSync(join(tmpdir(), 'aes-fifo-'));
    execFileSync('mkfifo', [join(fifoDir, 'metrics.json')]);
    expect(await readRunRecord(fifoDir)).toEqual({ ok: false, missing: false, error: `${join(fifoDir, 'metrics.json')} is a named pipe (FIFO), not a run record` });
  });

  it('refuses a checkpoint whose optimizer file leaves its folder or has the wrong size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-ckpt-'));
    const meta = (path: string) => JSON.stringify({ checkpoint: { epoch: 2, optimizer: { path, specs: [{ name: 'iter', shape: [], dtype: 'float32' }] } } });
    writeFileSync(join(dir, 'model.json'), meta('../../etc/passwd'));
    await expect(readCheckpoint(dir)).rejects.toThrow('(checkpoint.optimizer.path) names "../../etc/passwd", which leads out of');
    writeFileSync(join(dir, 'model.json'), meta('optimizer-2.bin'));
    writeFileSync(join(dir, 'optimizer-2.bin'), new Uint8Array(7));
    await expect(readCheckpoint(dir)).rejects.toThrow(`${join(dir, 'optimizer-2.bin')} holds 7 bytes, not the 4 its specs need; the run cannot be resumed from it`);
  });
});
