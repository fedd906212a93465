/**
 * The weights a TF.js model.json names, read as untrusted input: every path in
 * `weightsManifest` stays inside the model's folder, every file is a regular
 * file, and the bytes each manifest entry needs (shape × dtype size) must
 * equal the bytes its files hold, checked from fstat before anything is read,
 * so `../../dev/zero` or a 40 GB file never allocates. After reading, a NaN or
 * an infinity in any float weight is refused naming the layer: a model that
 * diverged would otherwise make every later request answer NaN (or hang).
 */
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { resolveConfinedPath } from '../../common/confined-path';
import { FileRefusal } from '../../common/file-refusal';
import { formatBytes } from '../../../src-shared/util/format-bytes';
import { openRegularFile } from '../../common/read-regular-file';
import type { RegularFile } from '../../common/read-regular-file';
import { DatasetError } from '../data/dataset';

/** Larger weights than this are refused before reading (Node's buffers end near 4 GB; no autoencoder here comes near). */
export const MAX_WEIGHTS_BYTES = 2 * 1024 ** 3;

/** The dtypes TF.js writes for layers models' weights, with their sizes; strings, complex numbers and quantized weights are refused. */
const DTYPE_BYTES = { float32: 4, int32: 4, bool: 1 } as const;

const WeightEntrySchema = z.object({
  name: z.string().min(1).max(1000),
  shape: z.array(z.number().int().nonnegative().max(2 ** 31)).max(8),
  dtype: z.string(),
  quantization: z.unknown().optional(),
});

const ManifestSchema = z.array(z.object({ paths: z.array(z.unknown()).max(10_000), weights: z.array(WeightEntrySchema).max(100_000) })).max(10_000);

/** Weights ready for `tf.io.fromMemory`. */
export interface ReadWeights {
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

const REDO = 'Copy the model folder again, or export (or train) the model again.';

function refuse(message: string, hint = REDO): never {
  throw new DatasetError(message, hint);
}

/** Byte length of one entry; refuses dtypes and quantizations TF.js layers models do not use. */
function entryBytes(entry: z.infer<typeof WeightEntrySchema>, where: string): number {
  if (entry.quantization !== undefined) refuse(`${where}: weight "${entry.name}" is quantized, which this app does not read`, 'Export the model without quantization.');
  const size = (DTYPE_BYTES as Record<string, number | undefined>)[entry.dtype];
  if (size === undefined) refuse(`${where}: weight "${entry.name}" has dtype ${JSON.stringify(entry.dtype)}; only ${Object.keys(DTYPE_BYTES).join(', ')} weights are read`, REDO);
  const bytes = entry.shape.reduce((a, b) => a * b, size);
  if (!Number.isSafeInteger(bytes) || bytes > MAX_WEIGHTS_BYTES) refuse(`${where}: weight "${entry.name}" of shape [${entry.shape.join(', ')}] needs more than the ${formatBytes(MAX_WEIGHTS_BYTES)} weights may be`, REDO);
  return bytes;
}

/** The layer a weight belongs to: its name up to the last "/" ("dense_Dense1/kernel" → "dense_Dense1"). */
function layerOf(weightName: string): string {
  const cut = weightName.lastIndexOf('/');
  return cut > 0 ? weightName.slice(0, cut) : weightName;
}

/** First NaN or infinity in a float32 run of `bytes`, or null. */
function firstNonFinite(data: ArrayBuffer, offset: number, count: number): { index: number; value: number } | null {
  // Float32Array needs 4-byte alignment; a bool weight before this one can shift it, then a copy is read.
  const values = offset % 4 === 0 ? new Float32Array(data, offset, count) : new Float32Array(data.slice(offset, offset + count * 4));
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return { index: i, value: values[i] };
  return null;
}

/**
 * Reads the weights `manifest` (from the model.json at `modelJsonPath`)
 * names; every refusal is a `DatasetError` naming model.json's entry, the
 * file, the layer, and what to try.
 */
export async function readManifestWeights(modelJsonPath: string, manifest: unknown): Promise<ReadWeights> {
  const parsed = ManifestSchema.safeParse(manifest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    refuse(`${modelJsonPath}: weightsManifest${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')} ${issue.message}`, 'Choose a folder exported by Autoencoder Studio (TF.js format) or a run folder.');
  }
  const groups = parsed.data;
  const expected = groups.map((g, gi) => g.weights.reduce((sum, w, wi) => sum + entryBytes(w, `${modelJsonPath} weightsManifest[${gi}].weights[${wi}]`), 0));
  const total = expected.reduce((a, b) => a + b, 0);
  if (total > MAX_WEIGHTS_BYTES) refuse(`${modelJsonPath}: its weights need ${formatBytes(total)}, more than the ${formatBytes(MAX_WEIGHTS_BYTES)} weights may be`, REDO);

  const files: RegularFile[] = [];
  try {
    // Open and fstat every file first: sizes are checked before a byte is read or allocated.
    for (const [gi, group] of groups.entries()) {
      const mine: RegularFile[] = [];
      for (const [pi, path] of group.paths.entries()) {
        const real = await resolveConfinedPath(path, { file: modelJsonPath, field: `weightsManifest[${gi}].paths[${pi}]` });
        mine.push(await openRegularFile(real, { maxBytes: MAX_WEIGHTS_BYTES, what: 'a weights file' }));
        files.push(mine[mine.length - 1]);
      }
      const actual = mine.reduce((sum, f) => sum + f.size, 0);
      if (actual !== expected[gi]) {
        const names = group.paths.map(String).join(', ') || 'no file';
        refuse(
          `${modelJsonPath} weightsManifest[${gi}] (${names}) needs ${expected[gi]} bytes for its ${group.weights.length} weight${group.weights.length === 1 ? '' : 's'}, but ${names} ${group.paths.length === 1 ? 'holds' : 'hold'} ${actual} bytes`,
          actual < expected[gi] ? `The weights file is truncated; ${REDO.charAt(0).toLowerCase()}${REDO.slice(1)}` : `The weights file belongs to another model; ${REDO.charAt(0).toLowerCase()}${REDO.slice(1)}`,
        );
      }
    }
    const data = new Uint8Array(total);
    const starts: { path: string; start: number }[] = [];
    let at = 0;
    for (const f of files) {
      starts.push({ path: f.path, start: at });
      data.set(await f.read(), at);
      at += f.size;
    }
    const weightSpecs = groups.flatMap((g) => g.weights.map(({ name, shape, dtype }) => ({ name, shape, dtype: dtype as keyof typeof DTYPE_BYTES })));
    let offset = 0;
    for (const spec of weightSpecs) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const bad = spec.dtype === 'float32' ? firstNonFinite(data.buffer, offset, count) : null;
      if (bad) {
        const file = starts.filter((s) => s.start <= offset).at(-1)?.path ?? modelJsonPath;
        refuse(`Layer "${layerOf(spec.name)}": weight "${spec.name}" in ${file} holds ${bad.value} (value ${bad.index + 1} of ${count})`, 'The model diverged while training or the file is damaged. Train again (a lower learning rate helps against divergence), or use other weights.');
      }
      offset += count * DTYPE_BYTES[spec.dtype];
    }
    return { weightSpecs, weightData: data.buffer };
  } catch (e) {
    if (e instanceof FileRefusal) throw new DatasetError(e.message, e.hint);
    throw e;
  } finally {
    await Promise.all(files.map((f) => f.close()));
  }
}
