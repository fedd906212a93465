/** Failures a person can act on are named, with real errors from the file system, TF.js and V8; only an unknown error is called a bug. */
import * as tf from '@tensorflow/tfjs';
import { writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteError, writeFileAtomic } from '../common/atomic-write';
import { NonFiniteError } from './analysis/finite';
import { DatasetError } from './data/dataset';
import { describeFailure, isNamedFailure } from './describe-failure';

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

const BUG = /looks like a bug/;

describe('describeFailure', () => {
  it('passes typed errors through with their own hint', () => {
    expect(describeFailure(new DatasetError('x.csv row 3 has 2 columns', 'Fix row 3.'))).toEqual({ message: 'x.csv row 3 has 2 columns', hint: 'Fix row 3.' });
    expect(describeFailure(new NonFiniteError("The model's code for sample 4 is NaN"))).toMatchObject({ hint: expect.stringMatching(/train again/) });
  });

  it('names a missing output parent (ENOENT inside a WriteError), without calling it a bug', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-fail-'));
    const e = await caught(writeFileAtomic(join(dir, 'no-such-folder', 'metrics.json'), '{}'));
    expect(e).toBeInstanceOf(WriteError);
    const f = describeFailure(e, 'The export');
    expect(f.message).toMatch(/^Could not save .*no-such-folder\/metrics\.json/);
    expect(f.hint).toBe('The folder does not exist: create it first, or choose one that exists.');
    expect(isNamedFailure(e)).toBe(true);
  });

  it('names a full disk (ENOSPC from /dev/full) anywhere in the cause chain', async () => {
    const enospc = await caught(writeFile('/dev/full', 'x'));
    const wrapped = new Error('saving the checkpoint', { cause: new WriteError('/out/weights.bin', 'no space', enospc) });
    for (const e of [enospc, wrapped]) {
      const f = describeFailure(e);
      expect(f.hint).toMatch(/free disk space/);
      expect(`${f.message} ${f.hint}`).not.toMatch(BUG);
    }
    expect(describeFailure(enospc, 'The export').message).toBe('The export failed: a file could not be written: the disk is full');
    expect(describeFailure(wrapped)).toEqual({ message: 'Could not save /out/weights.bin: no space. The previous version, if any, is unchanged.', hint: 'The disk is full: free disk space, or choose an output folder on another disk.' });
  });

  it('names read-only and permission-denied folders by their code', () => {
    // Root (these tests' user) may write anywhere, so these two codes are built as Node builds them.
    const erofs = Object.assign(new Error('EROFS: read-only file system, open /mnt/ro/x'), { code: 'EROFS', path: '/mnt/ro/x' });
    const eacces = Object.assign(new Error('EACCES: permission denied, open /srv/x'), { code: 'EACCES', path: '/srv/x' });
    expect(describeFailure(erofs)).toEqual({ message: 'Training failed: /mnt/ro/x is on a read-only file system', hint: 'The disk is read-only: choose an output folder on a disk you can write to.' });
    expect(describeFailure(eacces).message).toBe('Training failed: /srv/x cannot be accessed (permission denied)');
  });

  it('names truncated weights from TF.js own loader error', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [8] })] });
    const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) => void model.save(tf.io.withSaveHandler(async (a) => (resolve(a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }))));
    const short = (artifacts.weightData as ArrayBuffer).slice(0, 40);
    const e = await caught(tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, weightData: short })));
    const f = describeFailure(e, 'The evaluation');
    expect(f.message).toMatch(/^The weights file does not hold the weights the model describes/);
    expect(f.hint).toMatch(/train again/);
    model.dispose();
  });

  it('names running out of memory (a real V8 allocation failure)', () => {
    let e: unknown;
    try {
      new ArrayBuffer(Number.MAX_SAFE_INTEGER);
    } catch (x) {
      e = x;
    }
    expect(describeFailure(e).message).toMatch(/^Training ran out of memory/);
  });

  it('keeps the catch-all, and the stack in the log, for an error it cannot name', () => {
    const e = new Error('the flux capacitor is off');
    expect(describeFailure(e, 'The analysis')).toEqual({ message: 'The analysis failed: the flux capacitor is off', hint: 'This looks like a bug in Autoencoder Studio; the trainer log has the details.' });
    expect(isNamedFailure(e)).toBe(false);
  });
});
