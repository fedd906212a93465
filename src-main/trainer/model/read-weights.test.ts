/**
 * A model folder someone sent: its model.json may name files outside the
 * folder, devices, truncated or oversized weights, or weights that diverged.
 * Each is refused by name before anything outside the folder is read, on real
 * files written by TF.js itself (through the app's own saveLayersModel).
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editManifest } from '../../../tests/helpers/model-json';
import { DatasetError } from '../data/dataset';
import { copyWeightsByName, readLayersModel, readNamedWeights } from './load-weights';
import { saveLayersModel } from './save-layers-model';

const posix = process.platform !== 'win32';
/** enc/kernel 4×3, enc/bias 3, dec/kernel 3×4, dec/bias 4: 31 floats, 124 bytes. */
const WEIGHT_BYTES = 124;
const SECRET = 'TOP-SECRET-'.repeat(12).slice(0, WEIGHT_BYTES); // exactly the size the weights need, so only the path check can stop it

function tinyModel(): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], name: 'enc' }), tf.layers.dense({ units: 4, name: 'dec' })] });
}

/** A folder `outer/model` holding model.json + weights.bin, with `outer/secret.txt` beside it. */
async function modelFolder(): Promise<{ dir: string; outer: string; secret: string }> {
  const outer = mkdtempSync(join(tmpdir(), 'aes-weights-'));
  const dir = join(outer, 'model');
  const model = tinyModel();
  await saveLayersModel(model, dir);
  model.dispose();
  writeFileSync(join(outer, 'secret.txt'), SECRET);
  return { dir, outer, secret: join(outer, 'secret.txt') };
}

async function refusal(dir: string): Promise<DatasetError> {
  const e: unknown = await readLayersModel(dir).then(
    (m) => {
      m.dispose();
      return new Error('loaded');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DatasetError);
  const d = e as DatasetError;
  expect(`${d.message} ${d.hint}`).not.toContain('TOP-SECRET');
  return d;
}

describe('readLayersModel on a hostile model folder', () => {
  it('loads the weights TF.js wrote, exactly', async () => {
    const { dir } = await modelFolder();
    const model = await readLayersModel(dir);
    expect(model.getWeights().map((w) => w.shape)).toEqual([[4, 3], [3], [3, 4], [4]]);
    const bytes = readFileSync(join(dir, 'weights.bin'));
    expect(Array.from(model.getWeights()[0].dataSync())).toEqual(Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 48))));
    model.dispose();
  });

  it('refuses a manifest path "../secret.txt" that leaves the model folder, and the secret never appears in the message', async () => {
    const { dir } = await modelFolder();
    editManifest(dir, (j) => (j.weightsManifest[0].paths = ['../secret.txt']));
    const e = await refusal(dir);
    expect(e.message).toBe(`${join(dir, 'model.json')} (weightsManifest[0].paths[0]) names "../secret.txt", which leads out of ${dir}`);
  });

  it('refuses an absolute manifest path, even to a file of exactly the right size', async () => {
    const { dir, secret } = await modelFolder();
    editManifest(dir, (j) => (j.weightsManifest[0].paths = [secret]));
    expect((await refusal(dir)).message).toContain(`names ${JSON.stringify(secret)}, an absolute path`);
  });

  it.skipIf(!posix)('refuses a symlink in the model folder whose target is outside it', async () => {
    const { dir, secret } = await modelFolder();
    symlinkSync(secret, join(dir, 'shard.bin'));
    editManifest(dir, (j) => (j.weightsManifest[0].paths = ['shard.bin']));
    expect((await refusal(dir)).message).toMatch(/names "shard\.bin", a symbolic link whose target \(.*secret\.txt\) is outside /);
  });

  it.skipIf(!posix)('refuses "../../dev/zero" by its path, before opening it, and /dev/zero through a link in the folder', async () => {
    const { dir } = await modelFolder();
    const depth = dir.split('/').length - 1;
    editManifest(dir, (j) => (j.weightsManifest[0].paths = [`${'../'.repeat(depth)}dev/zero`]));
    expect((await refusal(dir)).message).toMatch(/names "(\.\.\/)+dev\/zero", which leads out of /);
    symlinkSync('/dev/zero', join(dir, 'zero.bin'));
    editManifest(dir, (j) => (j.weightsManifest[0].paths = ['zero.bin']));
    expect((await refusal(dir)).message).toMatch(/names "zero\.bin", a symbolic link whose target \(\/dev\/zero\) is outside /);
  });

  it.skipIf(!posix)('refuses a FIFO in the model folder at once, naming it', async () => {
    const { dir } = await modelFolder();
    execFileSync('mkfifo', [join(dir, 'pipe.bin')]);
    editManifest(dir, (j) => (j.weightsManifest[0].paths = ['pipe.bin']));
    expect((await refusal(dir)).message).toMatch(/pipe\.bin is a named pipe \(FIFO\), not a weights file$/);
  });

  it('refuses a truncated weights.bin, naming the manifest entry with the bytes expected and found', async () => {
    const { dir } = await modelFolder();
    truncateSync(join(dir, 'weights.bin'), 100);
    const e = await refusal(dir);
    expect(e.message).toBe(`${join(dir, 'model.json')} weightsManifest[0] (weights.bin) needs ${WEIGHT_BYTES} bytes for its 4 weights, but weights.bin holds 100 bytes`);
    expect(e.hint).toMatch(/^The weights file is truncated/);
  });

  it('refuses a weights file longer than its manifest says (another model\'s weights)', async () => {
    const { dir } = await modelFolder();
    writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(WEIGHT_BYTES + 4));
    expect((await refusal(dir)).message).toMatch(/needs 124 bytes for its 4 weights, but weights\.bin holds 128 bytes$/);
  });

  it('refuses a huge weights file from its size alone: shapes claiming 3 GB over a sparse 3 GB file are never read', async () => {
    const { dir } = await modelFolder();
    const big = join(dir, 'weights.bin');
    truncateSync(big, 3 * 1024 ** 3);
    editManifest(dir, (j) => (j.weightsManifest[0].weights = [{ name: 'enc/kernel', shape: [1024, 1024, 768], dtype: 'float32' }]));
    expect((await refusal(dir)).message).toMatch(/weight "enc\/kernel" of shape \[1024, 1024, 768\] needs more than the 2\.1 GB weights may be$/);
    expect(statSync(big).size).toBe(3 * 1024 ** 3);
  });

  it.each([
    ['NaN', Number.NaN, 'NaN'],
    ['+Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['-Infinity', Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('refuses weights holding %s, naming the layer and the weight', async (_, value, shown) => {
    const { dir } = await modelFolder();
    const bytes = readFileSync(join(dir, 'weights.bin'));
    bytes.writeFloatLE(value, 60 + 4 * 5); // dec/kernel starts after enc's 12 + 3 floats; its 6th value
    writeFileSync(join(dir, 'weights.bin'), bytes);
    const e = await refusal(dir);
    expect(e.message).toBe(`Layer "dec": weight "dec/kernel" in ${join(realpathSync(dir), 'weights.bin')} holds ${shown} (value 6 of 12)`);
    expect(e.hint).toMatch(/^The model diverged while training or the file is damaged/);
  });

  it('refuses string, complex and quantized weights, and a manifest that is not one', async () => {
    const { dir } = await modelFolder();
    editManifest(dir, (j) => (j.weightsManifest[0].weights[0].dtype = 'string'));
    expect((await refusal(dir)).message).toMatch(/weight "enc\/kernel" has dtype "string"; only float32, int32, bool weights are read$/);
    editManifest(dir, (j) => {
      j.weightsManifest[0].weights[0].dtype = 'float32';
      j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 };
    });
    expect((await refusal(dir)).message).toMatch(/weight "enc\/kernel" is quantized/);
    editManifest(dir, (j) => ((j.weightsManifest[0] as unknown as { weights: number }).weights = 7));
    expect((await refusal(dir)).message).toMatch(/model\.json: weightsManifest\[0\]\.weights /);
  });
});

describe('readNamedWeights: starting weights and run folders without building the sender\'s topology', () => {
  it('reads the weights by name and ignores a topology that declares a 65,536-unit layer (nothing of that size is allocated)', async () => {
    const { dir } = await modelFolder();
    editManifest(dir, (json) => {
      const layers = (json.modelTopology as { config: { layers: { config: { units?: number } }[] } }).config.layers;
      for (const l of layers) l.config.units = 65_536; // building this would allocate 4 × 65,536 × 65,536 bytes
    });
    const before = tf.memory().numBytes;
    const named = await readNamedWeights(dir);
    expect(Object.fromEntries(Object.entries(named).map(([k, t]) => [k, t.shape]))).toEqual({ 'enc/kernel': [4, 3], 'enc/bias': [3], 'dec/kernel': [3, 4], 'dec/bias': [4] });
    expect(tf.memory().numBytes - before).toBe(WEIGHT_BYTES);
    const target = tinyModel();
    copyWeightsByName(named, target, dir);
    expect(Array.from(target.getWeights()[2].dataSync())).toEqual(Array.from(named['dec/kernel'].dataSync()));
    tf.dispose(named);
    target.dispose();
  });

  it('refuses, naming the layer, weights that do not fit the model built here', async () => {
    const { dir } = await modelFolder();
    const named = await readNamedWeights(dir);
    const wider = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [4], name: 'enc' }), tf.layers.dense({ units: 4, name: 'dec' })] });
    expect(() => copyWeightsByName(named, wider, dir)).toThrow(`The weights in ${dir} do not fit layer "enc": 4×3 there, 4×5 here`);
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], name: 'other' })] });
    expect(() => copyWeightsByName(named, other, dir)).toThrow(`The weights in ${dir} have no layer "other"`);
    tf.dispose(named);
    wider.dispose();
    other.dispose();
  });
});
