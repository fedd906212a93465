/** The CLI as a person runs it: a real process, real files. */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ModelSpecSchema } from '../../src-shared/compiler/model-spec';
import { fastestTrial } from '../trainer/backend/measure-backends';
import { PROJECT_FIXTURES as FIXTURES, aestudio } from '../../tests/helpers/cli';
import { TEMPLATES_DIR, TEMPLATE_FILES } from '../../tests/helpers/templates';


describe('aestudio compile', () => {
  it.each(TEMPLATE_FILES)('prints a valid spec for %s and exits 0', async (file) => {
    const r = await aestudio('compile', join(TEMPLATES_DIR, file));
    // The U-Net's skips go around its code: a warning per skip, on stderr, and still a spec.
    if (file !== 'unet-denoising.aestudio') expect(r.stderr).toBe('');
    else expect(r.stderr.split('\n').filter((l) => l.startsWith('warning ')).map((l) => l.includes('goes around'))).toEqual([true, true]);
    expect(r.code).toBe(0);
    expect(ModelSpecSchema.safeParse(JSON.parse(r.stdout)).success).toBe(true);
  });

  it('a graph with a cycle exits 1 naming the nodes of the loop', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'cycle.aestudio'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error [node code, edge loop]: These nodes form a loop: code → dec → code');
  });

  it('a shape mismatch exits 1 naming the output node and both shapes', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'shape-mismatch.aestudio'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [node output, edge e3]: The reconstruction is 500 (500 values) but the input is 28×28×1 (784 values)');
    expect(r.stderr).toContain('→ Set the units of Decoder "Decoder 784" to 784.');
  });

  it('a malformed file exits 1 saying it is not valid JSON', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'malformed.aestudio'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/malformed\.aestudio is not valid JSON/);
  });

  it('a parameter of the wrong type exits 1 naming the field', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'wrong-param-type.aestudio'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[field graph\.nodes\[1\]\.params\.size\]/);
  });

  it('a missing file and a missing argument each get a plain message', async () => {
    expect(await aestudio('compile', 'nope.aestudio')).toMatchObject({ code: 1, stderr: 'error: nope.aestudio does not exist. Check the path.\n' });
    expect(await aestudio('compile')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^compile takes one project file/) });
    expect(await aestudio('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Unknown command "frobnicate"/) });
  });
});

describe('aestudio train', () => {
  it('trains the vanilla template 5 epochs on MNIST to a validation MSE under 0.03 and writes every output', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aes-run-'));
    const r = await aestudio('train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--epochs', '5', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    expect(r.stderr).toMatch(/Training "Vanilla autoencoder" on MNIST digits \(9000 train \/ 1000 validation samples, 101,200 parameters\) with the (node|wasm|cpu) backend/);
    expect(r.stderr).toMatch(/epoch 5: train loss/);

    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ status: 'finished', paramCount: 101200, seed: 42, dataset: { ref: { kind: 'builtin', id: 'mnist' }, count: 10000 } });
    // The threads the run measured fastest (the backends are timed before the first epoch), else one per core (at most 4) for a dense chain on wasm.
    const best = metrics.backendMeasurement ? fastestTrial(metrics.backendMeasurement.trials) : null;
    expect(metrics.threads).toBe(best ? best.threads : metrics.backend === 'wasm' ? Math.min(availableParallelism(), 4) : 1);
    expect(metrics.epochs).toHaveLength(5);
    expect(metrics.epochs[4].valLoss).toBeLessThan(0.03);
    expect(metrics.epochs[4].valLoss).toBeLessThan(metrics.epochs[0].valLoss);

    const spec = ModelSpecSchema.parse(JSON.parse(await readFile(join(out, 'spec.json'), 'utf8')));
    expect(spec.totalParams).toBe(101200);
    expect(await readFile(join(out, 'model.py'), 'utf8')).toMatch(/load_tfjs_weights\(autoencoder, sys\.argv\[1\]\)/);
    const png = await sharp(join(out, 'reconstructions.png')).metadata();
    expect([png.format, png.width, png.height]).toEqual(['png', (16 * 30 + 2) * 2, (2 * 30 + 2) * 2]);

    const modelJson = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
    const weights = await readFile(join(out, 'weights.bin'));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
    expect(model.countParams()).toBe(101200);
    expect(model.outputs[0].shape).toEqual([null, 28, 28, 1]);

    // The run folder exports through the trainer process.
    const exported = await aestudio('export', out, '--format', 'tfjs,metrics-csv', '--out', join(out, 'exp'));
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('Wrote 7 files');
    expect((await readFile(join(out, 'exp/metrics.csv'), 'utf8')).trim().split('\n')).toHaveLength(6);
    const encoder = JSON.parse(await readFile(join(out, 'exp/encoder/model.json'), 'utf8'));
    expect(encoder.modelTopology.config.name).toBe('encoder');

    // The exported autoencoder evaluates on the whole dataset; the encoder alone is refused.
    const evaluated = await aestudio('evaluate', join(out, 'exp/autoencoder'), '--dataset', 'mnist');
    expect(evaluated.code).toBe(0);
    const scores = JSON.parse(evaluated.stdout);
    expect(scores.count).toBe(10000);
    expect(scores.mse).toBeLessThan(0.035);
    expect(scores.bce).toBeGreaterThan(scores.mse);
    expect(await aestudio('evaluate', join(out, 'exp/encoder'))).toMatchObject({ code: 1, stderr: expect.stringMatching(/not an autoencoder/) });
  }, 120_000);

  it('analyze writes JSON and PNGs per task for a run trained on labels 0-8, and treats the left-out 9s as the anomalies', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aes-run-'));
    const trained = await aestudio('train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--epochs', '2', '--labels', '0-8', '--max-samples', '3000', '--out', out);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/on MNIST digits \(labels 0-8\) \(2700 train \/ 300 validation samples/);
    const r = await aestudio('analyze', out, '--task', 'anomaly,compression', '--out', join(out, 'a'));
    expect(r.code).toBe(0);
    const [anomaly, compression] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(anomaly).toMatchObject({ task: 'anomaly', count: 10000, anomalousLabels: [9], threshold: { percentile: 95, flagged: 500 } });
    expect(compression.scores.jpeg.bytes).toBeLessThanOrEqual(compression.budget);
    for (const f of ['anomaly.json', 'anomaly.png', 'anomaly-histogram.png', 'anomaly-scores-mnist-digits.csv', 'compression.json', 'compression.png']) {
      expect(r.stderr).toContain(join(out, 'a', f));
    }
    expect((await sharp(join(out, 'a/anomaly-histogram.png')).metadata()).format).toBe('png');
    expect(JSON.parse(await readFile(join(out, 'a/compression.json'), 'utf8'))).toEqual(compression);
  }, 120_000);

  it('analyze refuses unknown tasks and malformed flags, saying what to write instead', async () => {
    expect(await aestudio('analyze', '/tmp')).toMatchObject({ code: 2, stderr: expect.stringContaining('analyze needs --task') });
    expect(await aestudio('analyze', '/tmp', '--task', 'cluster')).toMatchObject({ code: 2, stderr: expect.stringContaining('"cluster" is not an analysis') });
    expect(await aestudio('analyze', '/tmp', '--task', 'denoise', '--noise', 'pink:2')).toMatchObject({ code: 2, stderr: expect.stringContaining('e.g. gaussian:0.3') });
    expect(await aestudio('analyze', '/tmp', '--task', 'anomaly', '--anomalous', 'nine')).toMatchObject({ code: 2, stderr: expect.stringContaining('"nine" is not a label') });
    expect(await aestudio('train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--labels', '9-0')).toMatchObject({ code: 2, stderr: expect.stringContaining('runs backwards') });
    const notRun = await mkdtemp(join(tmpdir(), 'aes-notrun-'));
    expect(await aestudio('analyze', notRun, '--task', 'pca')).toMatchObject({ code: 1, stderr: expect.stringContaining('spec.json is missing') });
  });

  it('export refuses unknown formats and folders that are not runs', async () => {
    expect(await aestudio('export', '/tmp', '--format', 'pickle')).toMatchObject({ code: 2, stderr: '--format must be all or a comma-separated list of tfjs, onnx, keras, latent-csv, metrics-csv, reconstructions-png, not "pickle".\n' });
    const notRun = await mkdtemp(join(tmpdir(), 'aes-notrun-'));
    expect(await aestudio('export', notRun, '--format', 'tfjs')).toMatchObject({ code: 1, stderr: expect.stringContaining('spec.json is missing') });
  });

  it('refuses bad options with a plain message', async () => {
    expect(await aestudio('train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--epochs', 'many')).toMatchObject({ code: 2, stderr: '--epochs must be a whole number of at least 1, not "many".\n' });
    expect(await aestudio('train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--threads', '0')).toMatchObject({ code: 2, stderr: '--threads must be a whole number of at least 1, not "0".\n' });
    expect(await aestudio('train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--threads', '64')).toMatchObject({ code: 2, stderr: '--threads must be at most 16, not 64.\n' });
    expect(await aestudio('train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--backend', 'gpu')).toMatchObject({ code: 2, stderr: '--backend must be one of node, wasm, webgpu, cpu, not "gpu".\n' });
    expect(await aestudio('train', join(FIXTURES, 'cycle.aestudio'))).toMatchObject({ code: 1, stderr: expect.stringMatching(/These nodes form a loop/) });
  });

  it('a backend that cannot load is an error that says so, not a silent fallback', async () => {
    const r = await aestudio('train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--backend', 'node', '--epochs', '1', '--max-samples', '100', '--out', await mkdtemp(join(tmpdir(), 'aes-run-')));
    // Where tfjs-node is installed and loads, the run succeeds; where it is not, the error names the reason.
    if (r.code === 0) expect(r.stderr).toMatch(/with the node backend/);
    else expect(r.stderr).toMatch(/error: The node backend cannot be used: tfjs-node is not installed .*\n {2}→ Choose another backend \(wasm or cpu\)/);
  });
});
