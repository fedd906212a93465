/**
 * Dataset files that are not regular files are refused at once by name, as
 * the trainer's importers read them: a FIFO (which would block the import
 * forever with no writer) and /dev/zero (which never ends), named directly or
 * through a symlink with a dataset's extension.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetRefFromPath } from '../../../src-shared/datasets/dataset-ref';
import { DatasetError } from './dataset';
import { loadDataset } from './load-dataset';

const CACHE = join(tmpdir(), 'aes-unused-cache');
/** A valid 3×4 float32 array, so only the labels file can be what is refused. */
const GOOD_NPY = join(import.meta.dirname, '../../../tests/fixtures/numpy/f4-3x4.npy');

async function refusal(path: string): Promise<DatasetError> {
  const e: unknown = await loadDataset(datasetRefFromPath(path, false), CACHE).then(
    () => new Error(`${path} loaded`),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
}

describe.skipIf(process.platform === 'win32')('dataset files that are not regular files', () => {
  it.each(['data.csv', 'data.npy', 'train-images-idx3-ubyte'])('a FIFO named %s is refused at once as a named pipe', async (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-fifo-data-'));
    const fifo = join(dir, name);
    execFileSync('mkfifo', [fifo]);
    const e = await refusal(fifo);
    expect(e.message).toBe(`${fifo} is a named pipe (FIFO), not a data file`);
    expect(e.hint).toMatch(/^Choose a data file \(a regular file\); pipes, devices and sockets are refused/);
  });

  it('/dev/zero given through a symlink named data.npy is refused as a character device, not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-zero-data-'));
    symlinkSync('/dev/zero', join(dir, 'data.npy'));
    expect((await refusal(join(dir, 'data.npy'))).message).toBe(`${join(dir, 'data.npy')} is a character device, not a data file`);
  });

  it('a FIFO as the labels file of an NPY dataset is refused too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-fifo-labels-'));
    execFileSync('mkfifo', [join(dir, 'labels.npy')]);
    const e: unknown = await loadDataset({ kind: 'npy', path: GOOD_NPY, options: { labelsPath: join(dir, 'labels.npy') } }, CACHE).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as Error).message).toMatch(/labels\.npy is a named pipe \(FIFO\)/);
  });
});
