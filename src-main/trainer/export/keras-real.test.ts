/**
 * The exported Keras script in real Keras 3, on graphs: for each merge mode
 * (behind a skip around the code, so the script builds no decoder, and in
 * branches after the code, where it does) and for the U-Net template, the
 * script rebuilds the model, loads the TF.js export's weights and computes
 * what TF.js computes within 1e-5, autoencoder, encoder and decoder alike.
 *
 * Runs in the venv of scripts/python/setup-venv.sh (or the Python that
 * AESTUDIO_KERAS_PYTHON names); without one the test is skipped, saying so,
 * except in CI, which requires the venv.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { kerasScript } from '../../../src-shared/export/keras-script';
import { dagGraph } from '../../../tests/helpers/graphs';
import { HAS_PY_VENV, NO_VENV_TITLE, PY_PYTHON, PY_VENV_REQUIRED } from '../../../tests/helpers/python-check';
import { templateSpec } from '../../../tests/helpers/specs';
import { buildModel } from '../model/build-model';
import { saveLayersModel } from '../model/save-layers-model';

// The venv the other export checks use (scripts/python/setup-venv.sh; CI makes it), or a Python named by hand.
const PYTHON = process.env.AESTUDIO_KERAS_PYTHON ?? (HAS_PY_VENV ? PY_PYTHON : undefined);

const DRIVER = `
import importlib.util, json, sys
import numpy as np
for case in json.load(open(sys.argv[1])):
    spec = importlib.util.spec_from_file_location('exported', case['script'])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    ae, enc, dec = mod.build()
    mod.load_tfjs_weights(ae, case['weights'])
    x = np.fromfile(case['x'], dtype='<f4').reshape(case['shape'])
    ae.predict(x, verbose=0).astype('<f4').tofile(case['x'] + '.ae')
    code = enc.predict(x, verbose=0)
    code.astype('<f4').tofile(case['x'] + '.enc')
    if dec is not None:
        dec.predict(code, verbose=0).astype('<f4').tofile(case['x'] + '.dec')
    print(case['name'], 'decoder' if dec is not None else 'no decoder')
`;

function specOf(steps: Parameters<typeof dagGraph>[0], edges: Parameters<typeof dagGraph>[1]): ModelSpec {
  const r = compile(dagGraph(steps, edges));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.spec;
}

const skipped = (mode: string) => specOf([
  ['in', 'input', { dataset: 'custom', height: 8, width: 8, channels: 1 }],
  ['n', 'noise', { gaussianStd: 0.2 }],
  ['e1', 'encoder', { layer: 'conv', filters: 3, pool: 1, activation: 'tanh' }],
  ['code', 'bottleneck', { form: 'conv', size: 2, pool: 2 }],
  ['up', 'decoder', { layer: 'deconv', filters: 3, kernel: 2, stride: 2, activation: 'elu' }],
  ['m', 'merge', { mode }],
  ['last', 'decoder', { layer: 'upconv', upsample: 1, filters: 1, activation: 'linear' }],
  ['out', 'output'],
], [['in', 'n'], ['n', 'e1'], ['e1', 'code'], ['code', 'up'], ['up', 'm'], ['e1', 'm'], ['m', 'last'], ['last', 'out']]);

const branched = (mode: string) => specOf([
  ['in', 'input', { dataset: 'custom', height: 6, width: 1, channels: 1, flat: true }],
  ['code', 'bottleneck', { size: 3, activation: 'tanh' }],
  ['reg', 'regularizer', { l1: 0.01 }],
  ['a', 'decoder', { units: 5, activation: 'sigmoid' }],
  ['b', 'decoder', { units: 5, activation: 'elu' }],
  ['m', 'merge', { mode }],
  ['last', 'decoder', { units: 6, activation: 'linear' }],
  ['out', 'output', { activation: 'linear' }],
], [['in', 'code'], ['code', 'reg'], ['reg', 'a'], ['reg', 'b'], ['a', 'm'], ['b', 'm'], ['m', 'last'], ['last', 'out']]);

const maxDiff = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length);
  return a.reduce((d, v, i) => Math.max(d, Math.abs(v - b[i])), 0);
};

describe.skipIf(!PYTHON && !PY_VENV_REQUIRED)(PYTHON ? 'the Keras script of a graph in real Keras' : `the Keras script of a graph in real Keras — ${NO_VENV_TITLE}`, () => {
  it('rebuilds every merge mode and the U-Net, loads the TF.js weights and matches TF.js within 1e-5', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aes-keras-real-'));
    const specs: [string, ModelSpec][] = [
      ...['add', 'concat', 'multiply'].flatMap((mode): [string, ModelSpec][] => [[`skip-${mode}`, skipped(mode)], [`branch-${mode}`, branched(mode)]]),
      ['unet', templateSpec('unet-denoising').spec],
    ];
    const cases = [];
    const expected = new Map<string, { ae: Float32Array; enc: Float32Array; dec: Float32Array | null }>();
    for (const [name, spec] of specs) {
      const m = buildModel(spec, 11);
      const x = tf.randomUniform([3, ...spec.inputShape], 0, 1, 'float32', 13);
      const code = m.encoder.predict(x) as tf.Tensor;
      expected.set(name, {
        ae: (m.inference.predict(x) as tf.Tensor).dataSync() as Float32Array,
        enc: code.dataSync() as Float32Array,
        dec: m.decoder ? ((m.decoder.predict(code) as tf.Tensor).dataSync() as Float32Array) : null,
      });
      await saveLayersModel(m.inference, join(dir, name));
      writeFileSync(join(dir, `${name}.py`), kerasScript(spec, name));
      writeFileSync(join(dir, `${name}.x`), x.dataSync() as Float32Array);
      cases.push({ name, script: join(dir, `${name}.py`), weights: join(dir, name), x: join(dir, `${name}.x`), shape: x.shape });
      m.train.dispose();
    }
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    writeFileSync(join(dir, 'driver.py'), DRIVER);
    const printed = execFileSync(PYTHON!, [join(dir, 'driver.py'), join(dir, 'cases.json')], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', KERAS_BACKEND: 'tensorflow' } });
    const read = (file: string) => { const b = readFileSync(file); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };
    for (const { name, x } of cases) {
      const want = expected.get(name)!;
      expect(printed).toContain(`${name} ${want.dec ? 'decoder' : 'no decoder'}`);
      expect(maxDiff(read(`${x}.ae`), want.ae), `${name} autoencoder`).toBeLessThan(1e-5);
      expect(maxDiff(read(`${x}.enc`), want.enc), `${name} encoder`).toBeLessThan(1e-5);
      if (want.dec) expect(maxDiff(read(`${x}.dec`), want.dec), `${name} decoder`).toBeLessThan(1e-5);
    }
  }, 300_000);
});
