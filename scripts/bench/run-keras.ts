/**
 * The Keras peer (../shared/reference/keras_ae_bench.py): Keras 3 on
 * TensorFlow CPU, the seed article's own framework, run with the Python of
 * the venv the export checks use (scripts/python/setup-venv.sh makes it).
 * Speed as the best of 1 and 2 threads, and the validation loss as the mean
 * of three seeds with their range, as the PyTorch peer. The script fixes its
 * seed (keras.utils.set_random_seed(0)) and takes no --seed: seed 0 runs it
 * as it is; seeds 1 and 2 run it unchanged through runpy with that one call
 * redirected to the other seed (the reference stays read-only, outside the repo).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HAS_PY_VENV, PY_PYTHON, PY_VENV } from '../../tests/helpers/python-check';
import type { PeerRun } from './run-pytorch';

const SCRIPT = join(import.meta.dirname, '../../../shared/reference/keras_ae_bench.py');

/** Why the Keras peer cannot run here, or null when it can. */
export function kerasUnavailable(): string | null {
  if (!existsSync(SCRIPT)) return `${SCRIPT} is missing`;
  if (!HAS_PY_VENV) return `no Python venv with TensorFlow at ${PY_VENV} (run scripts/python/setup-venv.sh)`;
  return null;
}

/** Seeds the validation loss is averaged over. */
const LOSS_SEEDS = [0, 1, 2];

/** Runs the script as `__main__` with keras.utils.set_random_seed given `seed` instead of the 0 it asks for. */
const reseeded = (seed: number) => `import sys, runpy, keras; f = keras.utils.set_random_seed; keras.utils.set_random_seed = lambda _s: f(${seed}); sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')`;

function runOnce(arch: string, train: string, val: string, epochs: number, batch: number, threads: number, seed: number) {
  const launch = seed === 0 ? [SCRIPT] : ['-c', reseeded(seed), SCRIPT];
  const out = execFileSync(PY_PYTHON, [...launch, '--arch', arch, '--train', train, '--val', val, '--epochs', String(epochs), '--batch', String(batch), '--threads', String(threads)], {
    encoding: 'utf8',
    // TensorFlow's start-up chatter goes to stderr; keep the bench's table readable.
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', OMP_NUM_THREADS: String(threads) },
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { samples_per_s: number; train_loss: number; val_loss: number };
}

export function runKeras(arch: 'vanilla' | 'dense' | 'conv' | 'seedconv', train: string, val: string, epochs: number, batch: number): PeerRun {
  const timed = [1, 2].map((threads) => ({ threads, ...runOnce(arch, train, val, epochs, batch, threads, LOSS_SEEDS[0]) }));
  const best = timed.reduce((a, b) => (b.samples_per_s > a.samples_per_s ? b : a));
  const losses = [best.val_loss, ...LOSS_SEEDS.slice(1).map((seed) => runOnce(arch, train, val, epochs, batch, best.threads, seed).val_loss)];
  return { samplesPerSec: best.samples_per_s, trainLoss: best.train_loss, valLoss: losses.reduce((a, b) => a + b, 0) / losses.length, valLossRange: [Math.min(...losses), Math.max(...losses)], threads: best.threads };
}
