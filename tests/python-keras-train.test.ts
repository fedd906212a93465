/**
 * Design here, train on a large machine, analyse here: the exported Keras
 * script's `train` command, run for real in Keras 3 (the .venv-py venv, as
 * tests/python-exports.test.ts), reads the app's import formats normalised as
 * the app reads them, trains, and writes weights the app imports back
 * ("Start from weights"), where TF.js and Keras then give the same outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kerasScript } from '../src-shared/export/keras-script';
import { chooseBackend } from '../src-main/trainer/backend/choose-backend';
import { loadBuiltin } from '../src-main/trainer/data/builtin';
import { loadDataset } from '../src-main/trainer/data/load-dataset';
import { buildModel } from '../src-main/trainer/model/build-model';
import { disposeBuiltModel } from '../src-main/trainer/model/dispose-model';
import { copyWeightsByName, readNamedWeights } from '../src-main/trainer/model/load-weights';
import { idxUint8, npyBytes, npyFloat32 } from './helpers/array-files';
import { HAS_PY_VENV, NO_VENV_TITLE, PY_PYTHON, runPythonChecks, writeExpected } from './helpers/python-check';
import { TEST_CACHE_DIR, templateSpec } from './helpers/specs';

/** Runs Python with `args`; resolves with its exit code and output. */
function python(args: string[], cwd: string, backend: 'tensorflow' | 'jax' = 'tensorflow'): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PY_PYTHON, args, { cwd, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', KERAS_BACKEND: backend }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const ROWS = 1024;
let dir: string;

describe.skipIf(!HAS_PY_VENV)(HAS_PY_VENV ? 'the Keras script trains beyond the app' : NO_VENV_TITLE, () => {
  beforeAll(async () => {
    await chooseBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'aes-keras-train-'));
    const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
    // MNIST rows as the 8-bit NPY a person would bring (values 0–255).
    const bytes = Uint8Array.from(mnist.values.subarray(0, ROWS * 784), (v) => Math.round(v * 255));
    await writeFile(join(dir, 'digits.npy'), npyBytes('|u1', [ROWS, 28, 28], bytes));
  });

  /** Imports `out` into a model built here, as "Start from weights" does, and checks Keras's outputs from `script` against TF.js's. */
  async function importedAgree(spec: ReturnType<typeof templateSpec>['spec'], script: string, out: string): Promise<void> {
    const saved = await readNamedWeights(out);
    const model = buildModel(spec, 0);
    try {
      copyWeightsByName(saved, model.inference, out);
      const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
      const x = tf.tensor(mnist.values.subarray(ROWS * 784, (ROWS + 16) * 784), [16, 28, 28, 1]);
      await cp(join(dir, script), join(out, 'model.py'));
      await writeExpected(out, x, { autoencoder: model.inference.predict(x) as tf.Tensor, encoder: model.encoder.predict(x) as tf.Tensor });
      const report = await runPythonChecks([out]);
      expect(report.cases[0].checks.filter((c) => !c.ok), JSON.stringify(report.cases[0].checks)).toEqual([]);
      expect(report.cases[0].checks.map((c) => c.name)).toEqual(expect.arrayContaining(['Keras autoencoder matches TF.js', 'Keras encoder matches TF.js']));
    } finally {
      tf.dispose(Object.values(saved));
      disposeBuiltModel(model);
    }
  }

  /** The script's split of ROWS samples as it reports it: Keras's validation_split, each part cut to a multiple of the devices. */
  const parts = (split: number, devices: number): string => {
    const train = Math.floor(ROWS * (1 - split));
    return `${train - (train % devices)} to train, ${ROWS - train - ((ROWS - train) % devices)} to validate`;
  };

  /** Keras's own epoch lines: the losses of each epoch. */
  const epochLosses = (out: string): number[] => [...out.matchAll(/ - loss: ([\d.e-]+)/g)].map((m) => Number(m[1]));

  it('python model.py train reads an NPY file, trains, and writes weights the app imports: TF.js and Keras then agree within 1e-5', async () => {
    const { spec, project } = templateSpec('vanilla');
    await writeFile(join(dir, 'model.py'), kerasScript(spec, 'Vanilla', { ...project.training, batchSize: 64 }));
    const out = join(dir, 'trained');
    const r = await python(['model.py', 'train', '--data', 'digits.npy', '--epochs', '2', '--out', out], dir);
    expect(r.code, r.err.slice(-3000)).toBe(0);
    expect(r.out).toMatch(new RegExp(`Training on the CPU \\(TensorFlow\\): ${ROWS} samples from digits.npy \\(${parts(project.training.validationSplit, 1)}\\), 2 epochs, batch 64`));
    expect(r.out).toContain('weights held on 1 device(s) while training');
    const losses = epochLosses(r.out);
    expect(losses).toHaveLength(2);
    expect(losses[1]).toBeLessThan(losses[0]);
    await importedAgree(spec, 'model.py', out);
  });

  // The multi-GPU path, on a machine without GPUs: the CPU split into two devices, data-parallel over them
  // (tf.distribute.MirroredStrategy on TensorFlow, keras.distribution.DataParallel on JAX); the weights must still come back whole.
  it.each([
    ['tensorflow', 'tf.distribute.MirroredStrategy'],
    ['jax', 'keras.distribution.DataParallel on JAX'],
  ] as const)('on %s, --cpu-devices 2 trains data-parallel over two devices (%s) and its weights import back', async (backend, how) => {
    const { spec, project } = templateSpec('multilayer');
    const script = `parallel-${backend}.py`;
    await writeFile(join(dir, script), kerasScript(spec, 'Multilayer', { ...project.training, batchSize: 64 }));
    const out = join(dir, `parallel-${backend}`);
    const r = await python([script, 'train', '--data', 'digits.npy', '--epochs', '2', '--out', out, '--cpu-devices', '2'], dir, backend);
    expect(r.code, r.err.slice(-3000)).toBe(0);
    expect(r.out).toContain(`Training on data-parallel over 2 CPU devices (${how}): ${ROWS} samples from digits.npy (${parts(project.training.validationSplit, 2)}), 2 epochs, batch 64`);
    expect(r.out).toContain('weights held on 2 device(s) while training');
    const losses = epochLosses(r.out);
    expect(losses).toHaveLength(2);
    expect(losses[1]).toBeLessThan(losses[0]);
    await importedAgree(spec, script, out);
  });

  it('refuses a batch that does not split evenly over the devices, saying which multiple to give', async () => {
    const r = await python(['parallel-tensorflow.py', 'train', '--data', 'digits.npy', '--epochs', '1', '--out', join(dir, 'uneven'), '--cpu-devices', '2', '--batch-size', '63'], dir);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('--batch-size 63 does not split evenly over 2 devices: give a multiple of 2');
  });

  it("trains with the project's learning-rate schedule, early stopping and best epoch as Keras callbacks", async () => {
    const { spec, project } = templateSpec('vanilla');
    // As the app's test (src-main/trainer/train/epoch-controls.test.ts): no epoch beats the first by more than 1000, so patience 1 stops after epoch 2 and keeps epoch 1.
    await writeFile(join(dir, 'controls.py'), kerasScript(spec, 'Vanilla', { ...project.training, batchSize: 64, lrSchedule: 'step', lrStepEvery: 1, lrFactor: 0.5, earlyStopping: true, earlyStopPatience: 1, minDelta: 1000, keepBest: true }));
    const r = await python(['controls.py', 'train', '--data', 'digits.npy', '--epochs', '5', '--out', join(dir, 'controls-out')], dir);
    expect(r.code, r.err.slice(-3000)).toBe(0);
    const text = r.out + r.err;
    expect(text).toContain('Epoch 2: early stopping');
    expect(text).toContain('Restoring model weights from the end of the best epoch: 1.');
    expect([...text.matchAll(/learning_rate: ([\d.e+-]+)/g)].map((m) => Number(m[1]))).toEqual([0.001, 0.0005]);
  });

  it("reads NPY, IDX and CSV files normalised exactly as the app's importers read them", async () => {
    // An 8-bit IDX image file (÷255), a float NPY outside [0, 1] (min–max), a CSV table (standardised per column).
    await writeFile(join(dir, 'small.idx'), idxUint8([3, 2, 2], [0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]));
    await writeFile(join(dir, 'wide.npy'), npyFloat32([2, 2, 3], [-3, 1, 5, 2, 0, 7, 1, 1, 2, 9, -1, 4]));
    await writeFile(join(dir, 'table.csv'), 'a,b,c\n1,-2,3.5\n4,5,6\n-7,8,0.25\n10,11,12\n');
    const cases = [
      { file: 'small.idx', ref: { kind: 'idx', path: join(dir, 'small.idx'), options: {} }, shape: [2, 2, 1] },
      { file: 'wide.npy', ref: { kind: 'npy', path: join(dir, 'wide.npy'), options: {} }, shape: [2, 3, 1] },
      { file: 'table.csv', ref: { kind: 'csv', path: join(dir, 'table.csv'), options: { header: 'auto' } }, shape: [3] },
    ] as const;
    const script = cases.map((c) => `np.save(${JSON.stringify(`${c.file}.read.npy`)}, model.read_dataset(${JSON.stringify(c.file)}, ${JSON.stringify(c.shape)}))`).join('\n');
    const r = await python(['-c', `import numpy as np\nimport model\n${script}`], dir);
    expect(r.code, r.err.slice(-3000)).toBe(0);
    for (const c of cases) {
      const app = await loadDataset(c.ref as Parameters<typeof loadDataset>[0], TEST_CACHE_DIR);
      const npy = await readFile(join(dir, `${c.file}.read.npy`));
      const headerLength = npy.readUInt16LE(8);
      const keras = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + npy.byteLength));
      expect(keras.length, c.file).toBe(app.values.length);
      for (let i = 0; i < keras.length; i++) expect(Math.abs(keras[i] - app.values[i]), `${c.file}[${i}]`).toBeLessThan(1e-6);
    }
  });
});
