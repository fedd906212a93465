/**
 * The Keras script of a VAE trains in real Keras 3 (tensorflow-cpu 2.21.0):
 * the dense VAE template's model.py, built from scratch, fits two epochs on
 * 512 real MNIST digits with the Sampling layer's KL term in the loss, on
 * the app's scale (the reconstruction summed over a digit's pixels), and its
 * encoder gives the two heads. Skips, saying so, where the venv is missing.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kerasScript } from '../src-shared/export/keras-script';
import { loadBuiltin } from '../src-main/trainer/data/builtin';
import { npyBytes } from './helpers/array-files';
import { HAS_PY_VENV, NO_VENV_TITLE, PY_PYTHON } from './helpers/python-check';
import { TEST_CACHE_DIR, templateSpec } from './helpers/specs';

const FIT = `
import json, runpy, sys
import numpy as np
folder = sys.argv[1]
scope = runpy.run_path(f'{folder}/model.py', run_name='model')
autoencoder, encoder, decoder = scope['build']()
x = np.load(f'{folder}/digits.npy')
history = autoencoder.fit(x, x, epochs=2, batch_size=128, shuffle=False, verbose=0)
autoencoder(x[:64], training=True)  # a training call: the Sampling layer adds its KL term
kl = [float(l) for l in autoencoder.losses]
heads = encoder.predict(x[:4], verbose=0)
z = autoencoder(x[:4], training=False)
print(json.dumps({'loss': history.history['loss'], 'kl': kl, 'heads': [list(h.shape) for h in heads], 'decoded': list(decoder.predict(heads[0], verbose=0).shape), 'reconstruction': list(z.shape)}))
`;

describe.skipIf(!HAS_PY_VENV)(HAS_PY_VENV ? 'the VAE\'s Keras script in real Keras 3' : NO_VENV_TITLE, () => {
  it('fits two epochs on MNIST digits: the loss is the negative ELBO\'s scale and falls, the KL term is in it, the encoder gives μ and log σ²', async () => {
    const { spec } = templateSpec('vae-dense');
    const dir = await mkdtemp(join(tmpdir(), 'aes-vae-keras-'));
    await writeFile(join(dir, 'model.py'), kerasScript(spec, 'VAE'));
    const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
    const digits = mnist.values.slice(0, 512 * 784);
    await writeFile(join(dir, 'digits.npy'), npyBytes('<f4', [512, 28, 28, 1], new Uint8Array(digits.buffer, digits.byteOffset, digits.byteLength)));
    await writeFile(join(dir, 'fit.py'), FIT);
    const { stdout } = await promisify(execFile)(PY_PYTHON, [join(dir, 'fit.py'), dir], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { loss: number[]; kl: number[]; heads: number[][]; decoded: number[]; reconstruction: number[] };
    // BCE summed over 784 pixels starts in the hundreds of nats (a mean over pixels would be below 1).
    expect(r.loss[0]).toBeGreaterThan(100);
    expect(r.loss[1]).toBeLessThan(r.loss[0]);
    expect(r.kl).toHaveLength(1);
    expect(r.kl[0]).toBeGreaterThan(0);
    expect(r.heads).toEqual([[4, 2], [4, 2]]);
    expect(r.decoded).toEqual([4, 28, 28, 1]);
    expect(r.reconstruction).toEqual([4, 28, 28, 1]);
  }, 120_000);
});
