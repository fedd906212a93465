/**
 * A finished run made ready for analysis: its models with the trained
 * weights, its dataset as it trained on it (label filter applied) and the
 * same train/validation split (same seed). The latest one is kept, so the
 * latent explorer's many small decode requests do not reload anything.
 */
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { DatasetRef } from '../../../src-shared/datasets/dataset-ref';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import { splitIndices } from '../../../src-shared/util/random';
import { DatasetError } from '../data/dataset';
import type { LoadedDataset } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { valueRange } from '../data/normalize';
import { selectLabels } from '../data/select-labels';
import type { RunFolderAccess } from '../../../src-shared/protocol/trainer-messages';
import { loadRun } from '../export/load-run';
import type { BuiltModel } from '../model/build-model';
import { disposeSession } from '../train/session';

/** Everything an analysis of one run needs. */
export interface AnalysisContext {
  runDir: string;
  spec: ModelSpec;
  model: BuiltModel;
  settings: TrainingSettings | null;
  /** The dataset the run named, without its label filter. */
  datasetRef: DatasetRef;
  /** That dataset in full. */
  full: LoadedDataset;
  /** The samples the run trained and validated on (label filter applied). */
  data: LoadedDataset;
  split: { train: Int32Array; val: Int32Array };
  sampleShape: number[];
  size: number;
  codeSize: number;
  /** The range of the values: [0, 1] for images scaled to it, else what the data spans. */
  range: [number, number];
}

let cached: { runDir: string; cacheDir: string; access: string; ctx: AnalysisContext } | null = null;

/** The range pixels and PSNR are measured against. */
export function dataRange(data: LoadedDataset): [number, number] {
  return data.summary.normalization === 'scaled-0-1' ? [0, 1] : valueRange(data.values);
}

/** Loads (or reuses) the run in `runDir` and its data. */
export async function analysisContext(runDir: string, cacheDir: string, access: RunFolderAccess = {}): Promise<AnalysisContext> {
  const accessKey = JSON.stringify(access);
  if (cached && cached.runDir === runDir && cached.cacheDir === cacheDir && cached.access === accessKey) return cached.ctx;
  releaseAnalysisContext();
  const run = await loadRun(runDir, access);
  try {
    if (!run.dataset) throw run.datasetProblem ?? new DatasetError(`${runDir}/metrics.json does not say which dataset the run trained on`, 'Choose the dataset it trained on.');
    const full = await loadDataset(run.dataset, cacheDir);
    const data = run.settings?.labels ? selectLabels(full, run.settings.labels) : full;
    const sampleShape = [...run.spec.inputShape];
    const size = sampleShape.reduce((a, b) => a * b, 1);
    if (data.summary.shape.reduce((a, b) => a * b, 1) !== size) throw new DatasetError(`The dataset's samples are ${data.summary.shape.join('×')}, but the run's model takes ${sampleShape.join('×')}`, 'The dataset may have changed since the run; analyse it with the data it trained on.');
    const settings = run.settings;
    const split = splitIndices(data.summary.count, settings?.validationSplit ?? 0.1, settings?.seed ?? 42, run.maxSamples ?? undefined);
    const ctx: AnalysisContext = {
      runDir,
      spec: run.spec,
      model: run.model,
      settings,
      datasetRef: run.dataset,
      full,
      data,
      split,
      sampleShape,
      size,
      codeSize: run.spec.codeShape.reduce((a, b) => a * b, 1),
      range: dataRange(full),
    };
    cached = { runDir, cacheDir, access: accessKey, ctx };
    return ctx;
  } catch (e) {
    disposeSession(run);
    throw e;
  }
}

/** Frees the kept run's models (before training, or when another run is analysed). */
export function releaseAnalysisContext(): void {
  if (cached) disposeSession(cached.ctx);
  cached = null;
}

/** Held-out samples to measure on: the validation split (or the training split when the run kept none), at most `max`. */
export function heldOut(ctx: AnalysisContext, max: number): Int32Array {
  const pool = ctx.split.val.length > 0 ? ctx.split.val : ctx.split.train;
  return pool.subarray(0, Math.min(max, pool.length));
}

/** Labels of the samples at `indices` of `data`, or null when it has none. */
export function labelsAt(data: LoadedDataset, indices: ArrayLike<number>): Int32Array<ArrayBuffer> | null {
  return data.labels ? Int32Array.from(indices, (i) => data.labels![i]) : null;
}
