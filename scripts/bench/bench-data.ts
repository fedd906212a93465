/**
 * The benchmark's fixed data: MNIST split exactly as the trainer splits it
 * (same seed, same indices), written as raw float32 files (784 values per
 * row in [0, 1]) for the PyTorch peer, so both train and validate on the
 * very same samples in the same order of rows.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitIndices } from '../../src-shared/util/random';
import { loadBuiltin } from '../../src-main/trainer/data/builtin';

/** Paths of the written files and the split sizes. */
export interface BenchData {
  train: string;
  val: string;
  trainCount: number;
  valCount: number;
}

export async function writeBenchData(dir: string, cacheDir: string, seed: number, validationSplit: number): Promise<BenchData> {
  const mnist = await loadBuiltin('mnist', cacheDir);
  const size = 784;
  const split = splitIndices(mnist.summary.count, validationSplit, seed);
  const rows = (idx: Int32Array) => {
    const out = new Float32Array(idx.length * size);
    idx.forEach((i, k) => out.set(mnist.values.subarray(i * size, (i + 1) * size), k * size));
    return Buffer.from(out.buffer);
  };
  await mkdir(dir, { recursive: true });
  const train = join(dir, 'train.f32');
  const val = join(dir, 'val.f32');
  await writeFile(train, rows(split.train));
  await writeFile(val, rows(split.val));
  return { train, val, trainCount: split.train.length, valCount: split.val.length };
}
