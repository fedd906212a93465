/** `aestudio analyze RUN_DIR --task …`: the analysis panels without a window; each task writes <task>.json and PNGs. */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ANALYSIS_TASKS, NOISE_TYPES } from '../../src-shared/analysis/analysis-messages';
import type { AnalysisRequest, AnalysisTask, NoiseType } from '../../src-shared/analysis/analysis-messages';
import { summarizeAnalysis } from '../../src-shared/analysis/summary';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import { parseLabelList } from '../../src-shared/datasets/label-list';
import { writeAnalysisReport } from '../services/analysis-report';
import { defaultCacheDir } from '../services/app-paths';
import { datasetFromArg, runFolderAccess } from './evaluate-command';
import type { CliIo } from './io';
import { withTrainer } from './with-trainer';

/** The flags analyze reads. */
export interface AnalyzeFlags {
  task?: string;
  dataset?: string;
  anomalous?: string;
  noise?: string;
  files?: string;
  budget?: string;
}

/** Turns the flags into one request per task, or says which flag is wrong and how. */
export function buildAnalysisRequests(flags: AnalyzeFlags): { ok: true; requests: AnalysisRequest[] } | { ok: false; error: string } {
  if (!flags.task) return { ok: false, error: `analyze needs --task: one or more of ${ANALYSIS_TASKS.join(', ')}, or all.` };
  const tasks = flags.task === 'all' ? [...ANALYSIS_TASKS] : flags.task.split(',').map((t) => t.trim());
  const unknown = tasks.find((t) => !(ANALYSIS_TASKS as readonly string[]).includes(t));
  if (unknown) return { ok: false, error: `--task: "${unknown}" is not an analysis; choose from ${ANALYSIS_TASKS.join(', ')}, or all.` };
  let anomalousLabels: number[] | undefined;
  if (flags.anomalous !== undefined) {
    const parsed = flags.anomalous.trim() === '' ? ({ ok: true, labels: [] } as const) : parseLabelList(flags.anomalous);
    if (!parsed.ok) return { ok: false, error: `--anomalous: ${parsed.error}` };
    anomalousLabels = [...parsed.labels];
  }
  let noise: { type: NoiseType; level: number } | undefined;
  if (flags.noise !== undefined) {
    const [type, level] = flags.noise.split(':');
    const n = Number(level);
    if (!(NOISE_TYPES as readonly string[]).includes(type) || !(n >= 0 && n <= 1)) return { ok: false, error: `--noise must be TYPE:LEVEL with TYPE one of ${NOISE_TYPES.join(', ')} and LEVEL from 0 to 1, e.g. gaussian:0.3 (not "${flags.noise}").` };
    noise = { type: type as NoiseType, level: n };
  }
  if (flags.budget !== undefined && flags.budget !== 'uint8' && flags.budget !== 'float32') return { ok: false, error: `--budget must be uint8 or float32, not "${flags.budget}".` };
  let files: { name: string; bytes: Uint8Array<ArrayBuffer> }[] = [];
  if (flags.files) {
    try {
      files = flags.files.split(',').map((f) => ({ name: basename(f), bytes: new Uint8Array(readFileSync(resolve(f))) }));
    } catch (e) {
      return { ok: false, error: `--files: ${(e as Error).message}` };
    }
  }
  let dataset: DatasetRef | undefined;
  if (flags.dataset) {
    const named = datasetFromArg(flags.dataset);
    if (!named.ok) return named;
    dataset = named.ref;
  }
  const request = (task: AnalysisTask): AnalysisRequest => {
    switch (task) {
      case 'denoise':
        return { task, ...(noise && { noise }), files };
      case 'anomaly':
        return { task, dataset, anomalousLabels };
      case 'features':
        return { task, dataset };
      case 'compression':
        return { task, ...(flags.budget && { budget: flags.budget as 'uint8' | 'float32' }) };
      case 'latent':
      case 'pca':
      case 'generate':
        return { task }; // these take nothing beyond the run
    }
  };
  return { ok: true, requests: tasks.map((t) => request(t as AnalysisTask)) };
}

/** Runs the command; resolves to the exit code. */
export function analyzeCommand(runDir: string, requests: AnalysisRequest[], out: string | undefined, io: CliIo, dataset?: string): Promise<number> {
  const outDir = resolve(out ?? `${runDir}/analysis`);
  const access = runFolderAccess(dataset, io);
  if (!access) return Promise.resolve(2);
  return withTrainer(io, async (service) => {
    for (const request of requests) {
      io.err(`Analysing: ${request.task}…\n`);
      const result = await service.analyze(resolve(runDir), request, defaultCacheDir(), outDir, access);
      // Scores and codes were written by the trainer; the report adds the JSON and pictures.
      const data = result.task === 'anomaly' || result.task === 'features' ? result.files : [];
      const written = [...data, ...(await writeAnalysisReport(result, outDir))];
      io.out(`${JSON.stringify(summarizeAnalysis(result))}\n`);
      io.err(written.map((f) => `  wrote ${f}\n`).join(''));
    }
  });
}
