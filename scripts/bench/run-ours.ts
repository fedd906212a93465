/** One benchmark run of ours: a real trainer process, as the app runs it, with its memory read from /proc. */
import { readFileSync } from 'node:fs';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import type { BackendMeasurement, BackendName, EpochMetrics } from '../../src-shared/protocol/trainer-messages';
import { TrainingService } from '../../src-main/services/training-service';
import type { TrainerChild } from '../../src-main/trainer/host/trainer-child';
import { forkLauncher } from '../../src-main/trainer/host/trainer-child';

/** What one run measured. */
export interface OurRun {
  /** The backend it trained on (for an 'auto' run, the one the app chose). */
  backend: BackendName;
  /** What the app measured to choose it ('auto' runs; null when forced). */
  measurement: BackendMeasurement | null;
  /** Threads each batch was split across. */
  threads: number;
  samplesPerSec: number;
  trainLoss: number;
  valLoss: number | null;
  epochs: EpochMetrics[];
  /** Peak resident memory of the trainer process, MB. */
  peakRssMb: number;
  /** RSS after each epoch, MB (flat means no leak). */
  rssPerEpochMb: number[];
}

function procKb(pid: number, field: string): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

/** A forced backend, or 'auto': the app's own choice by measurement. */
export async function runOurs(spec: ModelSpec, settings: TrainingSettings, backend: BackendName | 'auto', cacheDir: string, quiet: boolean, initialWeights?: string, dataset: DatasetRef = { kind: 'builtin', id: 'mnist' }): Promise<OurRun> {
  let child: TrainerChild | undefined;
  // --expose-gc: the trainer collects garbage before it reports an epoch (after
  // the epoch's clock stops), so the RSS-growth column measures what the
  // trainer keeps, not when V8 last collected. Measured on the multilayer
  // template, 12 epochs, same code: +1.3 and +4.7 MB an epoch in two runs
  // without it, while an isolated loop's heap and tensors stay constant.
  const launch = forkLauncher(['--expose-gc']);
  const service = new TrainingService(() => (child = launch()));
  const rss: number[] = [];
  let threads = 1;
  let chosen: BackendName = backend === 'auto' ? 'wasm' : backend;
  let measurement: BackendMeasurement | null = null;
  try {
    const end = new Promise<{ epochs: EpochMetrics[] } | { error: string }>((resolve) => {
      service.onEvent((e) => {
        if (e.type === 'started') ({ threads, backend: chosen, backendMeasurement: measurement } = e);
        if (e.type === 'epoch' && child?.pid) rss.push(procKb(child.pid, 'VmRSS') / 1024);
        if (e.type === 'done') resolve({ epochs: e.epochs });
        if (e.type === 'error') resolve({ error: `${e.message} (${e.hint})` });
      });
    });
    await service.start({ spec, dataset, settings, options: { backend: backend === 'auto' ? undefined : backend, cacheDir, quiet, progressIntervalMs: 100, initialWeights } });
    const result = await end;
    if ('error' in result) throw new Error(result.error);
    const peak = child?.pid ? procKb(child.pid, 'VmHWM') / 1024 : Number.NaN;
    const seen = result.epochs.reduce((a, e) => a + e.samplesPerSec * e.seconds, 0);
    const seconds = result.epochs.reduce((a, e) => a + e.seconds, 0);
    const last = result.epochs.at(-1)!;
    return { backend: chosen, measurement, threads, samplesPerSec: seen / seconds, trainLoss: last.trainLoss, valLoss: last.valLoss, epochs: result.epochs, peakRssMb: peak, rssPerEpochMb: rss };
  } finally {
    service.dispose();
  }
}
