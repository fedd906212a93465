/**
 * The exported Keras script, rebuilt in real Keras 3, loads the exported
 * TF.js weights and computes what TF.js computes within 1e-5: for every op of
 * the layer-op table, each variant its example does not reach, a chain of
 * every hand-placed layer kind, and the seed article's template. Keras runs
 * in one Python process for all of them (TensorFlow's import dominates).
 *
 * Needs a Python with Keras 3 (`pip install tensorflow-cpu==2.21.0` in a
 * venv): set AESTUDIO_KERAS_PYTHON to its interpreter. Without it the test
 * is skipped and says so.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { kerasScript } from '../../../src-shared/export/keras-script';
import { LAYER_OPS, LAYER_OP_TYPES } from '../../../src-shared/layers/layer-ops';
import { npyFloat32 } from '../../../tests/helpers/array-files';
import { HAND_PLACED, chainGraph } from '../../../tests/helpers/graphs';
import { OP_VARIANTS, exampleSpec, specOfOps } from '../../../tests/helpers/layer-examples';
import { templateSpec } from '../../../tests/helpers/specs';
import { buildModel } from '../model/build-model';
import { saveLayersModel } from '../model/save-layers-model';
import { HAS_PY_VENV, NO_VENV_TITLE, PY_PYTHON, PY_VENV_REQUIRED } from '../../../tests/helpers/python-check';

// The venv the other export checks use (scripts/python/setup-venv.sh; CI makes it), or a Python named by hand.
const PYTHON = process.env.AESTUDIO_KERAS_PYTHON ?? (HAS_PY_VENV ? PY_PYTHON : undefined);

/** Loads each case's script as a module, builds it, loads its TF.js weights, predicts, and prints the largest difference per case. */
const HARNESS = `
import importlib.util, json, os, sys
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import numpy as np
cases = json.load(open(sys.argv[1]))
out = {}
for c in cases:
    spec = importlib.util.spec_from_file_location('m_' + str(len(out)), c['script'])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    autoencoder, _, _ = module.build()
    module.load_tfjs_weights(autoencoder, c['folder'])
    got = autoencoder.predict(np.load(c['x']), verbose=0)
    out[c['name']] = float(np.max(np.abs(got - np.load(c['y']))))
print(json.dumps(out))
`;

function compiled(steps: Parameters<typeof chainGraph>[0]): ModelSpec {
  const r = compile(chainGraph(steps));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.spec;
}

const CASES: [string, () => ModelSpec][] = [
  // A penalty has no Keras layer (the layer before carries it), so it cannot be a model's only layer or its code.
  ...LAYER_OP_TYPES.map((t): [string, () => ModelSpec] => [t, () => (LAYER_OPS[t].role === 'penalty' ? { ...specOfOps([5], [LAYER_OPS.dense.example.op, LAYER_OPS[t].example.op]), codeLayerIndex: 0 } : exampleSpec(t))]),
  ...OP_VARIANTS.map(([name, input, ops]): [string, () => ModelSpec] => [name, () => specOfOps(input, ops)]),
  ['every hand-placed layer kind', () => compiled(HAND_PLACED)],
  ['the seed article\'s convolutional autoencoder', () => templateSpec('seedconv').spec],
];

let diffs: Record<string, number> = {};

describe.skipIf(!PYTHON && !PY_VENV_REQUIRED)(PYTHON ? 'Keras 3 rebuilds each exported layer' : `Keras 3 rebuilds each exported layer — ${NO_VENV_TITLE}`, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const dir = mkdtempSync(join(tmpdir(), 'aes-keras-parity-'));
    const cases = [];
    for (const [i, [name, specOf]] of CASES.entries()) {
      const spec = specOf();
      const m = buildModel(spec, 3);
      // Trained-looking weights (a variance stays positive), so initial zeros and ones hide nothing.
      m.inference.layers.forEach((l, j) => l.setWeights(l.getWeights().map((w, k) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', 100 + 10 * j + k))));
      const folder = join(dir, `case${i}`);
      await saveLayersModel(m.inference, folder);
      const script = join(folder, 'model.py');
      writeFileSync(script, kerasScript(spec, name));
      const x = tf.randomUniform([2, ...spec.inputShape], -1, 1, 'float32', 4);
      const y = m.inference.predict(x) as tf.Tensor;
      writeFileSync(join(folder, 'x.npy'), npyFloat32(x.shape, Array.from(x.dataSync())));
      writeFileSync(join(folder, 'y.npy'), npyFloat32(y.shape, Array.from(y.dataSync())));
      cases.push({ name, script, folder, x: join(folder, 'x.npy'), y: join(folder, 'y.npy') });
      tf.dispose([x, y]);
      m.train.dispose();
    }
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    writeFileSync(join(dir, 'harness.py'), HARNESS);
    const stdout = execFileSync(PYTHON!, [join(dir, 'harness.py'), join(dir, 'cases.json')], { encoding: 'utf8', maxBuffer: 1 << 24 });
    diffs = JSON.parse(stdout.trim().split('\n').at(-1)!);
  }, 600_000);

  it.each(CASES.map(([name]) => name))('%s: Keras computes what TF.js computes within 1e-5', (name) => {
    expect(diffs[name], `${name} did not run in Keras`).toBeDefined();
    expect(diffs[name]).toBeLessThan(1e-5);
  });
});
