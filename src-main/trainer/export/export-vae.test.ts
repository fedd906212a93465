/**
 * The dense VAE template exported after a short real training on MNIST: the
 * encoder gives its two heads, μ and log σ², as two named outputs in TF.js
 * and ONNX; the autoencoder and the decoder give what the trained model gives
 * with z = μ (no sampling in any export); onnxruntime and the TF.js files read
 * back agree with the trained model within 1e-5.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import { readLayersModel } from '../model/load-weights';
import { writeRunOutputs } from '../train/outputs';
import { RunControl, disposeSession, runSession } from '../train/session';
import { exportRun } from './export-run';

let outDir: string;
let files: string[];
let images: tf.Tensor;
let codes: Float32Array;
/** What the trained model computes: the reconstruction (z = μ), μ, log σ², and the decoder's output from μ. */
let trained: { autoencoder: Float32Array; mean: Float32Array; logVar: Float32Array; decoder: Float32Array };

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

beforeAll(async () => {
  const { backend, mnist } = await trainerSetup();
  const { spec, project } = templateSpec('vae-dense');
  const runDir = await mkdtemp(join(tmpdir(), 'aes-vae-run-'));
  outDir = await mkdtemp(join(tmpdir(), 'aes-vae-export-'));
  const input = { runId: 'v', spec, dataset: { kind: 'builtin' as const, id: 'mnist' }, settings: { ...project.training, epochs: 1, batchSize: 32 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 256, progressIntervalMs: 1000, reconstructionIntervalMs: 1e6, quiet: true } };
  const result = await runSession(input, backend, mnist, () => undefined, new RunControl());
  await writeRunOutputs(runDir, input, result);
  images = tf.tensor4d(mnist.values.subarray(0, 20 * 784), [20, 28, 28, 1]);
  const [mean, logVar] = result.model.encoderHeads!.predict(images) as tf.Tensor[];
  codes = mean.dataSync() as Float32Array;
  trained = {
    autoencoder: (result.model.inference.predict(images) as tf.Tensor).dataSync() as Float32Array,
    mean: codes,
    logVar: logVar.dataSync() as Float32Array,
    decoder: (result.model.decoder!.predict(mean) as tf.Tensor).dataSync() as Float32Array,
  };
  // The encoder the app uses (latent view, latent CSV) gives z = μ.
  expect(maxDiff((result.model.encoder.predict(images) as tf.Tensor).dataSync(), codes)).toBe(0);
  disposeSession(result);
  files = await exportRun(runDir, outDir, ['tfjs', 'onnx', 'keras'], TEST_CACHE_DIR);
}, 180_000);

describe('the dense VAE exported', () => {
  it('writes the three parts in TF.js and ONNX, and the Keras script', () => {
    expect(files.sort()).toEqual(['autoencoder.onnx', 'autoencoder/model.json', 'autoencoder/weights.bin', 'decoder.onnx', 'decoder/model.json', 'decoder/weights.bin', 'encoder.onnx', 'encoder/model.json', 'encoder/weights.bin', 'model.py']);
  });

  it('TF.js: the encoder\'s two outputs are the heads code_mean and code_log_var; each part read back computes what the trained model computes', async () => {
    const topology = JSON.parse(await readFile(join(outDir, 'encoder/model.json'), 'utf8')).modelTopology;
    expect(topology.config.output_layers.map((o: [string]) => o[0])).toEqual(['code_mean', 'code_log_var']);
    const encoder = await readLayersModel(join(outDir, 'encoder'));
    const [mean, logVar] = encoder.predict(images) as tf.Tensor[];
    expect(maxDiff(mean.dataSync(), trained.mean)).toBeLessThan(1e-6);
    expect(maxDiff(logVar.dataSync(), trained.logVar)).toBeLessThan(1e-6);
    const autoencoder = await readLayersModel(join(outDir, 'autoencoder'));
    expect(maxDiff((autoencoder.predict(images) as tf.Tensor).dataSync(), trained.autoencoder)).toBeLessThan(1e-6);
    const decoder = await readLayersModel(join(outDir, 'decoder'));
    expect(maxDiff((decoder.predict(tf.tensor2d(codes, [20, 2])) as tf.Tensor).dataSync(), trained.decoder)).toBeLessThan(1e-6);
    tf.dispose([mean, logVar]);
    for (const m of [encoder, autoencoder, decoder]) m.dispose();
  });

  it('ONNX: encoder.onnx has outputs "mean" and "log_var"; all three match the trained model within 1e-5 in onnxruntime', async () => {
    const feed = (t: tf.Tensor) => ({ input: new ort.Tensor('float32', Float32Array.from(t.dataSync()), t.shape) });
    const encoder = await ort.InferenceSession.create(join(outDir, 'encoder.onnx'));
    expect(encoder.outputNames).toEqual(['mean', 'log_var']);
    const heads = await encoder.run(feed(images));
    expect(maxDiff(heads.mean.data as Float32Array, trained.mean)).toBeLessThan(1e-5);
    expect(maxDiff(heads.log_var.data as Float32Array, trained.logVar)).toBeLessThan(1e-5);
    const autoencoder = await ort.InferenceSession.create(join(outDir, 'autoencoder.onnx'));
    expect(maxDiff((await autoencoder.run(feed(images))).output.data as Float32Array, trained.autoencoder)).toBeLessThan(1e-5);
    const decoder = await ort.InferenceSession.create(join(outDir, 'decoder.onnx'));
    expect(maxDiff((await decoder.run(feed(tf.tensor2d(codes, [20, 2])))).output.data as Float32Array, trained.decoder)).toBeLessThan(1e-5);
  });
});
