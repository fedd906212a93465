/**
 * The PyTorch peer (../shared/reference/pytorch_ae_bench.py) on the same
 * files: speed as the best of 1 and 2 threads; validation loss as the mean
 * over three seeds, with their range, because one seed's loss after a few
 * epochs is not a reference (the convolutional one moves 0.12–0.17 by seed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What the peer printed. */
export interface PeerRun {
  samplesPerSec: number;
  trainLoss: number;
  /** Mean validation loss over {@link LOSS_SEEDS}. */
  valLoss: number;
  /** Lowest and highest of those. */
  valLossRange: [number, number];
  threads: number;
}

/** Seeds the validation loss is averaged over. */
const LOSS_SEEDS = [0, 1, 2];

const VENV_PYTHON = join(process.env.AESTUDIO_PY_VENV ?? join(import.meta.dirname, '../../.venv-py'), 'bin', 'python');
/** The venv's Python where torch is installed there (`.venv-py/bin/python -m pip install torch==2.13.0+cpu`), else the system's (Debian's python3-torch). */
const PYTHON = [VENV_PYTHON, '/usr/bin/python3', 'python3'].find((p) => (p === 'python3' || existsSync(p)) && spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) ?? 'python3';
const SCRIPT = join(import.meta.dirname, '../../../shared/reference/pytorch_ae_bench.py');

/** Why the peer cannot run here, or null when it can. */
export function peerUnavailable(): string | null {
  if (!existsSync(SCRIPT)) return `${SCRIPT} is missing`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'no Python here imports torch (.venv-py/bin/python -m pip install torch==2.13.0+cpu, or apt-get install -y python3-torch libopenblas0-pthread)';
}

function runOnce(arch: string, train: string, val: string, epochs: number, batch: number, threads: number, seed: number) {
  const out = execFileSync(PYTHON, [SCRIPT, '--arch', arch, '--train', train, '--val', val, '--epochs', String(epochs), '--batch', String(batch), '--threads', String(threads), '--seed', String(seed)], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { samples_per_s: number; train_loss: number; val_loss: number };
}

export function runPytorch(arch: 'vanilla' | 'dense' | 'conv', train: string, val: string, epochs: number, batch: number): PeerRun {
  const timed = [1, 2].map((threads) => ({ threads, ...runOnce(arch, train, val, epochs, batch, threads, LOSS_SEEDS[0]) }));
  const best = timed.reduce((a, b) => (b.samples_per_s > a.samples_per_s ? b : a));
  const losses = [best.val_loss, ...LOSS_SEEDS.slice(1).map((seed) => runOnce(arch, train, val, epochs, batch, best.threads, seed).val_loss)];
  return { samplesPerSec: best.samples_per_s, trainLoss: best.train_loss, valLoss: losses.reduce((a, b) => a + b, 0) / losses.length, valLossRange: [Math.min(...losses), Math.max(...losses)], threads: best.threads };
}
