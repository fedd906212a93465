/** `aestudio train FILE`: trains a project headlessly with the app's own engine and writes the results to a folder. */
import { resolve } from 'node:path';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { RunOptions } from '../../src-shared/protocol/trainer-messages';
import { resolveConfinedPath } from '../common/confined-path';
import { isProcessAlive, readResumePlan } from '../common/run-folder';
import { datasetFromArg } from './evaluate-command';
import { compile } from '../../src-shared/compiler/compile';
import { pretrainPlan, pretrainPlanText, pretrainRefusal } from '../../src-shared/compiler/pretrain-plan';
import { projectGraph } from '../../src-shared/project/project-file';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import { plainText } from '../../src-shared/text/plain-text';
import { TrainingSettingsSchema } from '../../src-shared/project/training-settings';
import type { BackendName, PretrainStageMetrics, TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { defaultCacheDir } from '../services/app-paths';
import { projectDatasetRef } from '../services/dataset-ref';
import { TrainingService } from '../services/training-service';
import { forkLauncher } from '../trainer/host/trainer-child';
import { formatDiagnostic, formatLoadError } from './compile-command';
import type { CliIo } from './io';
import { loadProjectFile } from './load-project';
import { formatEpochLine, progressPrinter } from './progress';
import { backendChoiceText } from '../../src-shared/run/backend-choice-text';
import { countNoun } from '../../src-shared/text/count-noun';
import { continuedSettings } from '../../src-shared/run/run-record';
import { stopReasonText } from '../../src-shared/run/training-schedule';
import { flagOf } from './setting-flags';

/** Options of `aestudio train`. */
export interface TrainArgs {
  /** The project file (absent with `resume`). */
  file?: string;
  /** A run folder to continue from its last checkpoint, appending to its record. */
  resume?: string;
  /** With `resume`: the data the run trained on, when its record names a file outside the run folder. */
  dataset?: string;
  epochs?: number;
  backend?: BackendName;
  out?: string;
  seed?: number;
  maxSamples?: number;
  /** Threads to split each batch across. */
  threads?: number;
  /** A run folder or TF.js export to start from. */
  weights?: string;
  /** Train only on samples with these labels. */
  labels?: number[];
  /** Layer-wise pretraining: epochs per stage (0: off). */
  pretrain?: number;
  /** With `resume`: epochs to train after the run's checkpoint (a finished run continues too). */
  moreEpochs?: number;
  /** Training settings given as flags (setting-flags.ts), over the project's or the run's. */
  settings?: Partial<TrainingSettings>;
}

/** What one run of the trainer needs, from a project file or from a run folder to resume. */
interface PreparedRun {
  name: string;
  spec: ModelSpec;
  dataset: DatasetRef;
  settings: TrainingSettings;
  outDir: string;
  options: Partial<RunOptions>;
  /** The epochs the run already has (resume). */
  fromEpoch: number;
}

/**
 * A run folder to continue: its record (a "running" one whose trainer is
 * gone reads as interrupted), spec and settings. The folder may come from
 * anywhere, so a dataset file its record names must be inside it, or be
 * given with --dataset.
 */
async function prepareResume(args: TrainArgs, runDir: string): Promise<PreparedRun | string> {
  let plan;
  try {
    plan = await readResumePlan(runDir, (r) => r.pid !== null && isProcessAlive(r.pid), { extend: args.moreEpochs !== undefined || args.epochs !== undefined });
  } catch (e) {
    return (e as Error).message;
  }
  const { record } = plan;
  if (!record.settings) return `${runDir}/metrics.json does not keep the run's settings; it cannot be resumed.`;
  const given = args.dataset ? datasetFromArg(args.dataset) : null;
  if (given && !given.ok) return given.error;
  let dataset = given ? given.ref : record.dataset.ref;
  if (!dataset) return `${runDir}/metrics.json does not say which dataset the run trained on; pass it with --dataset.`;
  if (!args.dataset && dataset.kind !== 'builtin') {
    try {
      dataset = { ...dataset, path: await resolveConfinedPath(dataset.path, { file: `${runDir}/metrics.json`, field: 'dataset.ref.path', root: runDir }) };
    } catch (e) {
      return `${(e as Error).message}. A run folder may only name data inside itself: pass the data it trained on with --dataset.`;
    }
  }
  const fromEpoch = record.checkpointEpoch ?? 0;
  const epochs = args.moreEpochs !== undefined ? continuedSettings(record.settings, fromEpoch, args.moreEpochs).epochs : args.epochs;
  const checked = checkSettings({ ...record.settings, ...args.settings, ...(epochs !== undefined && { epochs }) });
  if (!checked.ok) return checked.error;
  const settings = checked.settings;
  if (settings.epochs <= fromEpoch) return `The run already has ${countNoun(fromEpoch, 'epoch')}; pass --more-epochs N (or --epochs with more than that) to train it further.`;
  let name = 'the run';
  try {
    name = String((JSON.parse(plan.projectText ?? '{}') as { name?: unknown }).name ?? name);
  } catch {
    // A kept project that does not parse only costs the run its name here.
  }
  return { name, spec: plan.spec, dataset, settings, outDir: runDir, fromEpoch, options: { resume: true, maxSamples: record.maxSamples ?? undefined, projectText: plan.projectText } };
}

/** The settings checked against the schema; its message names the flag that sets the field, where one does. */
function checkSettings(candidate: unknown): { ok: true; settings: TrainingSettings } | { ok: false; error: string } {
  const parsed = TrainingSettingsSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const flag = flagOf(field) ?? (field === 'epochs' || field === 'seed' || field === 'pretrain' ? `--${field}` : null);
  return { ok: false, error: `${issue?.path.join('.')}: ${issue?.message}${flag ? ` (${flag})` : ''}` };
}

/** A project file to train: compiled, its settings with the command's overrides, its dataset. */
async function prepareProject(args: TrainArgs & { file: string }, io: CliIo): Promise<PreparedRun | null> {
  const loaded = await loadProjectFile(args.file);
  if (!loaded.ok) {
    io.err(formatLoadError(loaded));
    return null;
  }
  const compiled = compile(projectGraph(loaded.project));
  if (!compiled.ok) {
    compiled.diagnostics.forEach((d) => io.err(formatDiagnostic(d)));
    return null;
  }
  const overrides: Partial<TrainingSettings> = { ...(args.epochs !== undefined && { epochs: args.epochs }), ...(args.seed !== undefined && { seed: args.seed }), ...(args.labels && { labels: args.labels }), ...(args.pretrain !== undefined && { pretrain: args.pretrain }) };
  const settings = checkSettings({ ...loaded.project.training, ...args.settings, ...overrides });
  if (!settings.ok) {
    io.err(`error: ${settings.error}\n`);
    return null;
  }
  const plan = settings.settings.pretrain ? pretrainPlan(compiled.spec) : null;
  if (plan && !plan.ok) {
    // Refused here, before a trainer starts, with the trainer's own words.
    const { message, hint } = pretrainRefusal(plan.reason);
    io.err(`error: ${plainText(message)}\n  → ${hint}\n`);
    return null;
  }
  let dataset;
  try {
    dataset = projectDatasetRef(loaded.project, compiled.spec, resolve(args.file));
  } catch (e) {
    io.err(`error: ${plainText((e as Error).message)}\n`);
    return null;
  }
  const outDir = resolve(args.out ?? `runs/${loaded.project.name.replace(/[^\w-]+/g, '-').toLowerCase()}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  return { name: loaded.project.name, spec: compiled.spec, dataset, settings: settings.settings, outDir, fromEpoch: 0, options: { initialWeights: args.weights ? resolve(args.weights) : undefined } };
}

/** One finished pretraining stage: its pair, the layers it trained, its first and last losses. */
export function pretrainStageLine(m: PretrainStageMetrics): string {
  const first = m.epochs[0];
  const last = m.epochs.at(-1);
  const seconds = m.epochs.reduce((a, e) => a + e.seconds, 0);
  const losses = first && last ? `  ${m.loss} ${first.trainLoss.toFixed(5)} → ${last.trainLoss.toFixed(5)}${last.valLoss !== null ? `  validation ${last.valLoss.toFixed(5)}` : ''}` : '';
  return plainText(`pretraining stage ${m.stage}/${m.stages}: ${m.pair[0]} ↔ ${m.pair[1]} (trains ${m.layers.join(', ')})${losses}  ${seconds.toFixed(1)} s`);
}

/** Runs the command; resolves to the exit code (0 finished, 1 failed, 130 interrupted). */
export async function trainCommand(args: TrainArgs, io: CliIo, isTty = false): Promise<number> {
  let prepared: PreparedRun | null;
  if (args.resume && args.pretrain !== undefined) {
    io.err('error: --pretrain does not apply to --resume: the checkpoint already carries the run\'s pretraining.\n');
    return 2;
  }
  if (args.resume) {
    const r = await prepareResume(args, resolve(args.resume));
    if (typeof r === 'string') {
      io.err(`error: ${r}\n`);
      return 1;
    }
    prepared = r;
  } else if (args.file) {
    prepared = await prepareProject({ ...args, file: args.file }, io);
  } else {
    io.err('error: train needs a project file, or --resume RUN_DIR.\n');
    return 2;
  }
  if (!prepared) return 1;
  const { name, spec, dataset, outDir } = prepared;
  const service = new TrainingService(forkLauncher());
  const printer = progressPrinter(io, isTty);
  const scheduled = (prepared.settings.lrSchedule ?? 'none') !== 'none';
  const finished = new Promise<TrainerEvent & { type: 'done' | 'error' }>((resolveDone) => {
    service.onEvent((e) => {
      if (e.type === 'started') {
        if (prepared.fromEpoch > 0) printer.line(`Resuming from epoch ${prepared.fromEpoch} of ${prepared.settings.epochs} in ${plainText(outDir)}.`);
        printer.line(`Training "${plainText(name)}" on ${plainText(e.dataset.name)} (${e.trainCount} train / ${e.valCount} validation samples, ${e.paramCount.toLocaleString('en-US')} parameters) with the ${e.backend} backend${e.threads > 1 ? ` on ${e.threads} threads` : ''}.`);
        if (e.backendMeasurement) printer.line(`  (${plainText(backendChoiceText(e.backendMeasurement, []))})`);
        for (const note of e.backendNotes) printer.line(`  (not ${plainText(note)})`);
        const pre = prepared.settings.pretrain;
        if (pre && prepared.fromEpoch === 0) printer.line(`Layer-wise pretraining, ${pre} epoch${pre === 1 ? '' : 's'} per stage: ${plainText(pretrainPlanText(pretrainPlan(spec)))}; then ${prepared.settings.epochs} epoch${prepared.settings.epochs === 1 ? '' : 's'} of fine-tuning.`);
      }
      if (e.type === 'pretrainStage') printer.line(pretrainStageLine(e.metrics));
      if (e.type === 'progress') printer.progress(e);
      // With a schedule the learning rate changes: each epoch line says the one it trained with.
      if (e.type === 'epoch') printer.line(`${formatEpochLine(e.metrics)}${scheduled && e.metrics.learningRate !== undefined ? `  lr ${e.metrics.learningRate.toPrecision(3)}` : ''}`);
      if (e.type === 'done' || e.type === 'error') resolveDone(e);
    });
  });
  const interrupt = () => service.activeRunId && service.stop(service.activeRunId);
  process.once('SIGINT', interrupt);
  try {
    await service.start({ spec, dataset, settings: prepared.settings, options: { backend: args.backend, outDir, cacheDir: defaultCacheDir(), maxSamples: args.maxSamples, threads: args.threads, ...prepared.options } });
    const end = await finished;
    if (end.type === 'error') {
      printer.line(`error: ${plainText(end.message)}\n  → ${plainText(end.hint)}`);
      return 1;
    }
    if (end.stopReason) printer.line(`${plainText(stopReasonText(end.stopReason, end.epochs.length, prepared.settings, { bestEpoch: end.bestEpoch ?? null, keptEpoch: end.keptEpoch ?? null }))}.`);
    printer.line(`${end.status === 'stopped' ? 'Stopped' : 'Finished'}. Wrote ${end.files.join(', ')} to ${outDir}`);
    io.out(`${outDir}\n`);
    return end.status === 'stopped' ? 130 : 0;
  } catch (e) {
    printer.line(`error: ${plainText((e as Error).message)}`);
    return 1;
  } finally {
    process.off('SIGINT', interrupt);
    service.dispose();
  }
}
