/** Reads an import file with errors that say what to do, not errno codes. */
import { gunzipSync } from 'node:zlib';
import { FileRefusal } from '../../common/file-refusal';
import { readRegularFile } from '../../common/read-regular-file';
import { DatasetError } from './dataset';

/** Larger imports than this are refused before reading: they would not fit in memory as float32 anyway. */
export const MAX_IMPORT_BYTES = 2 * 1024 ** 3;

/**
 * The bytes of `path` (gunzipped when it ends in .gz). Only regular files are
 * read (a FIFO or a device is refused at once), at most 2 GB, and a .gz file
 * may unpack to at most 2 GB too (a small gzip bomb would otherwise fill memory).
 */
export async function readSource(path: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, { maxBytes: MAX_IMPORT_BYTES, what: 'a data file', tooLargeHint: 'Use a subset of the data.' });
  } catch (e) {
    if (e instanceof FileRefusal) throw new DatasetError(e.message, e.hint);
    throw e;
  }
  if (bytes.length === 0) throw new DatasetError(`${path} is empty (0 bytes)`, 'It may not have finished downloading or copying; choose a complete file.');
  if (!path.endsWith('.gz')) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_IMPORT_BYTES });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new DatasetError(`${path} unpacks to more than the 2 GB an import may be`, 'Use a subset of the data.');
    throw new DatasetError(`${path} ends in .gz but is not valid gzip data`, 'Decompress it yourself, or download it again.');
  }
}
