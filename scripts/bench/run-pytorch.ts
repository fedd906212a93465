/** The PyTorch peer (../shared/reference/pytorch_ae_bench.py) on the same files, best of 1 and 2 threads. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What the peer printed. */
export interface PeerRun {
  samplesPerSec: number;
  trainLoss: number;
  valLoss: number;
  threads: number;
}

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SCRIPT = join(import.meta.dirname, '../../../shared/reference/pytorch_ae_bench.py');

/** Why the peer cannot run here, or null when it can. */
export function peerUnavailable(): string | null {
  if (!existsSync(SCRIPT)) return `${SCRIPT} is missing`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'python3 cannot import torch (apt-get install -y python3-torch libopenblas0-pthread)';
}

export function runPytorch(arch: 'vanilla' | 'dense' | 'conv', train: string, val: string, epochs: number, batch: number): PeerRun {
  const runs = [1, 2].map((threads) => {
    const out = execFileSync(PYTHON, [SCRIPT, '--arch', arch, '--train', train, '--val', val, '--epochs', String(epochs), '--batch', String(batch), '--threads', String(threads)], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
    });
    const j = JSON.parse(out.trim().split('\n').at(-1)!) as { samples_per_s: number; train_loss: number; val_loss: number };
    return { samplesPerSec: j.samples_per_s, trainLoss: j.train_loss, valLoss: j.val_loss, threads };
  });
  return runs.reduce((a, b) => (b.samplesPerSec > a.samplesPerSec ? b : a));
}
