/** `aestudio train FILE`: trains a project headlessly with the app's own engine and writes the results to a folder. */
import { resolve } from 'node:path';
import { compile } from '../../src-shared/compiler/compile';
import { projectGraph } from '../../src-shared/project/project-file';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import { plainText } from '../../src-shared/text/plain-text';
import { TrainingSettingsSchema } from '../../src-shared/project/training-settings';
import type { BackendName, TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { defaultCacheDir } from '../services/app-paths';
import { projectDatasetRef } from '../services/dataset-ref';
import { TrainingService } from '../services/training-service';
import { forkLauncher } from '../trainer/host/trainer-child';
import { formatDiagnostic, formatLoadError } from './compile-command';
import type { CliIo } from './io';
import { loadProjectFile } from './load-project';
import { progressPrinter } from './progress';

/** Options of `aestudio train`. */
export interface TrainArgs {
  file: string;
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
}

/** Runs the command; resolves to the exit code (0 finished, 1 failed, 130 interrupted). */
export async function trainCommand(args: TrainArgs, io: CliIo, isTty = false): Promise<number> {
  const loaded = await loadProjectFile(args.file);
  if (!loaded.ok) {
    io.err(formatLoadError(loaded));
    return 1;
  }
  const compiled = compile(projectGraph(loaded.project));
  if (!compiled.ok) {
    compiled.diagnostics.forEach((d) => io.err(formatDiagnostic(d)));
    return 1;
  }
  const overrides: Partial<TrainingSettings> = { ...(args.epochs !== undefined && { epochs: args.epochs }), ...(args.seed !== undefined && { seed: args.seed }), ...(args.labels && { labels: args.labels }) };
  const settings = TrainingSettingsSchema.safeParse({ ...loaded.project.training, ...overrides });
  if (!settings.success) {
    io.err(`error: ${settings.error.issues[0]?.path.join('.')} ${settings.error.issues[0]?.message}\n`);
    return 1;
  }
  let dataset;
  try {
    dataset = projectDatasetRef(loaded.project, compiled.spec, resolve(args.file));
  } catch (e) {
    io.err(`error: ${plainText((e as Error).message)}\n`);
    return 1;
  }
  const outDir = resolve(args.out ?? `runs/${loaded.project.name.replace(/[^\w-]+/g, '-').toLowerCase()}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const service = new TrainingService(forkLauncher());
  const printer = progressPrinter(io, isTty);
  const finished = new Promise<TrainerEvent & { type: 'done' | 'error' }>((resolveDone) => {
    service.onEvent((e) => {
      if (e.type === 'started') {
        printer.line(`Training "${plainText(loaded.project.name)}" on ${plainText(e.dataset.name)} (${e.trainCount} train / ${e.valCount} validation samples, ${e.paramCount.toLocaleString('en-US')} parameters) with the ${e.backend} backend${e.threads > 1 ? ` on ${e.threads} threads` : ''}.`);
        for (const note of e.backendNotes) printer.line(`  (not ${plainText(note)})`);
      }
      if (e.type === 'progress') printer.progress(e);
      if (e.type === 'epoch') {
        const m = e.metrics;
        const pens = Object.entries(m.penalties).map(([k, v]) => ` ${k} ${v.toExponential(2)}`).join('');
        printer.line(`epoch ${m.epoch}: train loss ${m.trainLoss.toFixed(5)}${m.valLoss !== null ? `  validation loss ${m.valLoss.toFixed(5)}` : ''}${pens}  ${Math.round(m.samplesPerSec).toLocaleString('en-US')} samples/s  ${m.seconds.toFixed(1)} s`);
      }
      if (e.type === 'done' || e.type === 'error') resolveDone(e);
    });
  });
  const interrupt = () => service.activeRunId && service.stop(service.activeRunId);
  process.once('SIGINT', interrupt);
  try {
    await service.start({ spec: compiled.spec, dataset, settings: settings.data, options: { backend: args.backend, outDir, cacheDir: defaultCacheDir(), maxSamples: args.maxSamples, threads: args.threads, initialWeights: args.weights ? resolve(args.weights) : undefined } });
    const end = await finished;
    if (end.type === 'error') {
      printer.line(`error: ${plainText(end.message)}\n  → ${plainText(end.hint)}`);
      return 1;
    }
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
