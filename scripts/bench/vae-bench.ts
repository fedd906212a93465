/**
 * The benchmark's VAE line: the convolutional VAE template (Keras's own VAE
 * example, layer for layer) trained by ours and by Keras (peers/keras_vae.py)
 * on the same MNIST rows and epochs: the negative ELBO of the last epoch
 * (reconstruction summed per sample + KL, averaged over the epoch's batches,
 * as Keras reports its loss) and the validation reconstruction with z = μ.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BackendName } from '../../src-shared/protocol/trainer-messages';
import { HAS_PY_VENV, PY_PYTHON } from '../../tests/helpers/python-check';
import { templateSpec } from '../../tests/helpers/specs';
import type { BenchData } from './bench-data';
import { runOurs } from './run-ours';

const SCRIPT = join(import.meta.dirname, 'peers/keras_vae.py');

/** What the line compares. */
export interface VaeComparison {
  epochs: number;
  ours: { backend: string; samplesPerSec: number; negativeElbo: number | null; valReconstruction: number | null };
  keras: { samplesPerSec: number; negativeElbo: number; valReconstruction: number; threads: number } | null;
  kerasMissing: string | null;
}

export async function compareVae(data: BenchData, backend: BackendName | 'auto', cacheDir: string, epochs: number): Promise<VaeComparison> {
  const { spec, project } = templateSpec('vae-conv');
  const settings = { ...project.training, epochs, batchSize: 128, learningRate: 0.001, optimizer: 'adam' as const };
  const run = await runOurs(spec, settings, backend, cacheDir, true);
  const last = run.epochs.at(-1)!;
  const ours = { backend: `${backend === 'auto' ? 'auto→' : ''}${run.backend}${run.threads > 1 ? `×${run.threads}` : ''}`, samplesPerSec: run.samplesPerSec, negativeElbo: last.vae?.negativeElbo ?? null, valReconstruction: last.valLoss };
  if (!HAS_PY_VENV) return { epochs, ours, keras: null, kerasMissing: 'no Python venv with Keras (scripts/python/setup-venv.sh)' };
  const runs = [1, 2].map((threads) => {
    const out = execFileSync(PY_PYTHON, [SCRIPT, '--train', data.train, '--val', data.val, '--epochs', String(epochs), '--batch', '128', '--threads', String(threads)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', OMP_NUM_THREADS: String(threads) },
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { samples_per_s: number; train_neg_elbo: number; val_reconstruction: number };
    return { threads, samplesPerSec: r.samples_per_s, negativeElbo: r.train_neg_elbo, valReconstruction: r.val_reconstruction };
  });
  const keras = runs.reduce((a, b) => (b.samplesPerSec > a.samplesPerSec ? b : a));
  return { epochs, ours, keras, kerasMissing: null };
}

/** The printed line. */
export function vaeLine(c: VaeComparison): string {
  const f = (n: number | null, d = 1) => (n === null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const ours = `ours (${c.ours.backend}) −ELBO ${f(c.ours.negativeElbo)}, validation reconstruction ${f(c.ours.valReconstruction)}, ${f(c.ours.samplesPerSec, 0)} samples/s`;
  if (!c.keras) return `VAE (convolutional, Keras's example architecture), ${c.epochs} epochs: ${ours}; Keras not run: ${c.kerasMissing}.`;
  const ratio = c.ours.negativeElbo !== null ? ` (ours/Keras ${f(c.ours.negativeElbo / c.keras.negativeElbo, 3)}×)` : '';
  return `VAE (convolutional, Keras's example architecture), ${c.epochs} epochs, same rows: ${ours}; Keras ×${c.keras.threads} −ELBO ${f(c.keras.negativeElbo)}, validation reconstruction ${f(c.keras.valReconstruction)}, ${f(c.keras.samplesPerSec, 0)} samples/s${ratio}`;
}
