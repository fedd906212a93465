/**
 * Exports of a trained convolutional template, read back as another tool
 * would: the three TF.js parts load and reproduce the trained model exactly
 * on real validation digits, the encoder and decoder compose to the whole,
 * and the CSVs hold what they say.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, EXPORT_FORMAT_TABLE } from '../../../src-shared/export/export-formats';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { chooseBackend } from '../backend/choose-backend';
import { loadBuiltin } from '../data/builtin';
import { writeRunOutputs } from '../train/outputs';
import { RunControl, disposeSession, runSession } from '../train/session';
import * as ort from 'onnxruntime-node';
import { exportRun } from './export-run';

let runDir: string;
let outDir: string;
let files: string[];
let images: tf.Tensor4D;
let trainedOutput: Float32Array;

async function loadPart(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const bin = await readFile(join(dir, 'weights.bin'));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer }));
}

beforeAll(async () => {
  const backend = await chooseBackend();
  const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
  const { spec, project } = templateSpec('convolutional');
  runDir = await mkdtemp(join(tmpdir(), 'aes-run-'));
  outDir = await mkdtemp(join(tmpdir(), 'aes-export-'));
  const input = { runId: 'r', spec, dataset: { kind: 'builtin' as const, id: 'mnist' }, settings: { ...project.training, epochs: 1, batchSize: 32 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 300, progressIntervalMs: 1000, reconstructionIntervalMs: 1e6, quiet: true } };
  const result = await runSession(input, backend, mnist, () => undefined, new RunControl());
  await writeRunOutputs(runDir, input, result);
  images = tf.tensor4d(mnist.values.subarray(0, 20 * 784), [20, 28, 28, 1]);
  trainedOutput = (result.model.inference.predict(images) as tf.Tensor).dataSync() as Float32Array;
  disposeSession(result);
  files = await exportRun(runDir, outDir, EXPORT_FORMATS, TEST_CACHE_DIR);
}, 120_000);

describe('exportRun', () => {
  it('writes the three TF.js parts, the Keras script and both CSVs', () => {
    expect(files.sort()).toEqual(['autoencoder.onnx', 'autoencoder/model.json', 'autoencoder/weights.bin', 'decoder.onnx', 'decoder/model.json', 'decoder/weights.bin', 'encoder.onnx', 'encoder/model.json', 'encoder/weights.bin', 'latent.csv', 'metrics.csv', 'model.py', 'reconstructions.png']);
  });

  it('writes exactly the files the export format table promises for each format', () => {
    const promised = EXPORT_FORMATS.flatMap((f) => EXPORT_FORMAT_TABLE[f].files);
    for (const file of files) expect(promised.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p))).toBe(true);
    for (const p of promised) expect(files.some((file) => (p.endsWith('/') ? file.startsWith(p) : file === p))).toBe(true);
  });

  it('the exported autoencoder gives exactly the trained model\'s outputs on validation digits', async () => {
    const ae = await loadPart(join(outDir, 'autoencoder'));
    expect(Array.from((ae.predict(images) as tf.Tensor).dataSync())).toEqual(Array.from(trainedOutput));
    expect(ae.layers.some((l) => l.getClassName() === 'AestudioNoise')).toBe(false);
  });

  it('encoder then decoder equals the autoencoder, with the spec\'s code shape between them', async () => {
    const [enc, dec, ae] = await Promise.all(['encoder', 'decoder', 'autoencoder'].map((p) => loadPart(join(outDir, p))));
    const code = enc.predict(images) as tf.Tensor;
    expect(code.shape).toEqual([20, 7, 7, 8]);
    const composed = (dec.predict(code) as tf.Tensor).dataSync();
    const whole = (ae.predict(images) as tf.Tensor).dataSync();
    let diff = 0;
    for (let i = 0; i < whole.length; i++) diff = Math.max(diff, Math.abs(composed[i] - whole[i]));
    expect(diff).toBeLessThan(1e-6);
  });

  it.each(['autoencoder', 'encoder', 'decoder'])('%s.onnx runs in onnxruntime and matches TF.js within 1e-5 on validation digits', async (part) => {
    const tfModel = await loadPart(join(outDir, part));
    const input = part === 'decoder' ? ((await loadPart(join(outDir, 'encoder'))).predict(images) as tf.Tensor) : images;
    const expected = (tfModel.predict(input) as tf.Tensor).dataSync();
    const session = await ort.InferenceSession.create(join(outDir, `${part}.onnx`));
    const result = await session.run({ input: new ort.Tensor('float32', Float32Array.from(input.dataSync()), input.shape) });
    const got = result.output.data as Float32Array;
    expect(result.output.dims).toEqual(tfModel.outputs[0].shape.map((d) => d ?? input.shape[0]));
    let diff = 0;
    for (let i = 0; i < expected.length; i++) diff = Math.max(diff, Math.abs(got[i] - expected[i]));
    expect(diff).toBeLessThan(1e-5);
  });

  it('the latent CSV has a row per sample with its label, and the metrics CSV a row per epoch', async () => {
    const latent = (await readFile(join(outDir, 'latent.csv'), 'utf8')).trim().split('\n');
    expect(latent).toHaveLength(10001);
    expect(latent[0].split(',')).toHaveLength(1 + 392);
    expect(latent[0].startsWith('label,z0,z1')).toBe(true);
    expect(latent[1].split(',')[0]).toBe('0'); // the first stored digit is a 0
    const metrics = (await readFile(join(outDir, 'metrics.csv'), 'utf8')).trim().split('\n');
    expect(metrics[0]).toBe('epoch,train_loss,val_loss,seconds,samples_per_s,learning_rate');
    expect(metrics).toHaveLength(2);
  });

  it('a folder that is not a run is refused, naming the missing file', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'aes-notrun-'));
    await expect(exportRun(empty, outDir, ['tfjs'], TEST_CACHE_DIR)).rejects.toThrow(`${join(empty, 'spec.json')} is missing`);
  });
});
