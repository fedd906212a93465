/** Reads an import file with errors that say what to do, not errno codes. */
import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset';

/** Larger imports than this are refused before reading: they would not fit in memory as float32 anyway. */
export const MAX_IMPORT_BYTES = 2 * 1024 ** 3;

/** The bytes of `path` (gunzipped when it ends in .gz). */
export async function readSource(path: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new DatasetError(`${path} is a folder, not a file`, 'Choose the file itself.');
    if (info.size === 0) throw new DatasetError(`${path} is empty (0 bytes)`, 'It may not have finished downloading or copying; choose a complete file.');
    if (info.size > MAX_IMPORT_BYTES) throw new DatasetError(`${path} is ${(info.size / 1024 ** 3).toFixed(1)} GB, more than the 2 GB an import may be`, 'Use a subset of the data.');
    const bytes = await readFile(path);
    if (!path.endsWith('.gz')) return bytes;
    try {
      return gunzipSync(bytes);
    } catch {
      throw new DatasetError(`${path} ends in .gz but is not valid gzip data`, 'Decompress it yourself, or download it again.');
    }
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError(`${path} does not exist`, 'Check the path.');
    if (code === 'EACCES' || code === 'EPERM') throw new DatasetError(`${path} cannot be read: permission denied`, 'Check the file permissions.');
    throw new DatasetError(`${path} cannot be read: ${(e as Error).message}`, 'Check the file.');
  }
}
