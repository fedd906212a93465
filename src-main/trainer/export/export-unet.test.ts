/**
 * The U-Net denoising template end to end on real MNIST digits: it trains one
 * epoch (a few hundred samples), its autoencoder and encoder export to TF.js
 * and ONNX and match the trained model, and because its skips go around the
 * code the decoder export is replaced by a note saying why, and decoding a
 * code is refused with a message that says what to change.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { decodeForRun } from '../analysis/run-analysis';
import { chooseBackend } from '../backend/choose-backend';
import { loadBuiltin } from '../data/builtin';
import { writeRunOutputs } from '../train/outputs';
import { RunControl, disposeSession, runSession } from '../train/session';
import { NO_DECODER_FILE, exportRun } from './export-run';

let runDir: string;
let outDir: string;
let files: string[];
let images: tf.Tensor4D;
let trained: { autoencoder: Float32Array; encoder: Float32Array };
let losses: number[];

beforeAll(async () => {
  const backend = await chooseBackend();
  const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
  const { spec, project } = templateSpec('unet-denoising');
  runDir = await mkdtemp(join(tmpdir(), 'aes-unet-run-'));
  outDir = await mkdtemp(join(tmpdir(), 'aes-unet-export-'));
  const input = { runId: 'u', spec, dataset: { kind: 'builtin' as const, id: 'mnist' }, settings: { ...project.training, epochs: 1, batchSize: 32 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 256, progressIntervalMs: 1000, reconstructionIntervalMs: 1e6, quiet: true } };
  const result = await runSession(input, backend, mnist, () => undefined, new RunControl());
  await writeRunOutputs(runDir, input, result);
  losses = result.epochs.map((e) => e.trainLoss);
  images = tf.tensor4d(mnist.values.subarray(0, 20 * 784), [20, 28, 28, 1]);
  trained = {
    autoencoder: (result.model.inference.predict(images) as tf.Tensor).dataSync() as Float32Array,
    encoder: (result.model.encoder.predict(images) as tf.Tensor).dataSync() as Float32Array,
  };
  expect(result.model.decoder).toBeNull();
  disposeSession(result);
  files = await exportRun(runDir, outDir, ['tfjs', 'onnx', 'keras'], TEST_CACHE_DIR);
}, 180_000);

describe('the U-Net denoising template', () => {
  it('trains one epoch to a finite loss', () => {
    expect(losses).toHaveLength(1);
    expect(Number.isFinite(losses[0])).toBe(true);
  });

  it('exports the autoencoder and the encoder, and instead of a decoder a note that says why there is none', async () => {
    expect(files.sort()).toEqual(['autoencoder.onnx', 'autoencoder/model.json', 'autoencoder/weights.bin', NO_DECODER_FILE, 'encoder.onnx', 'encoder/model.json', 'encoder/weights.bin', 'model.py']);
    expect(await readFile(join(outDir, NO_DECODER_FILE), 'utf8')).toMatch(/^No decoder was exported: connections go around the code \(Bottleneck "Code 7×7×8"\)/);
  });

  it.each(['autoencoder', 'encoder'] as const)('%s.onnx matches the trained model within 1e-5 on validation digits', async (part) => {
    const session = await ort.InferenceSession.create(join(outDir, `${part}.onnx`));
    const got = (await session.run({ input: new ort.Tensor('float32', Float32Array.from(images.dataSync()), images.shape) })).output.data as Float32Array;
    const expected = trained[part];
    expect(got.length).toBe(expected.length);
    let diff = 0;
    for (let i = 0; i < expected.length; i++) diff = Math.max(diff, Math.abs(got[i] - expected[i]));
    expect(diff).toBeLessThan(1e-5);
  });

  it('refuses to decode codes, saying the skips go around the code and what to change', async () => {
    await expect(decodeForRun(runDir, new Float32Array(392), 1, TEST_CACHE_DIR)).rejects.toThrow(/Decoding codes needs the decoder alone, and this model has none: connections go around the code/);
  });
});
