/**
 * The StudioApi calls implemented on the services, shared by the Electron
 * IPC binding and the browser mode's WebSocket binding. What differs between
 * shells (native dialogs, folders) comes in through the context.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PickResult, StudioHandlers } from '../../src-shared/protocol/studio-api';
import { RecentFiles, RecoveryFile, readProjectText, writeProjectText } from './project-files';
import { annotateRun, checkRunId, deleteRun, listRuns, resumeRequest, runProject, runReconstructions } from './runs';
import type { TrainingService } from './training-service';

/** Where the services keep things, and what the shell provides. */
export interface HandlerContext {
  version: string;
  shell: 'electron' | 'browser';
  cacheDir: string;
  /** Each run writes its metrics, weights and reconstructions to a folder of its own here. */
  runsDir: string;
  /** Small app state: the recent-files list. */
  stateDir: string;
  /** Default folder for projects. */
  projectsDir: string;
  training: TrainingService;
  /** Native file dialogs; browser mode has none and answers "unsupported". */
  pickPath(options: { mode: 'open' | 'save'; defaultPath?: string }): Promise<PickResult>;
}

/** Runs in the app's own runs folder were written by the app: their records' dataset refs are used as written. */
const OWN_RUN = { trusted: true } as const;

/** Every call of the contract, bound to the services. */
export function createStudioHandlers(ctx: HandlerContext): StudioHandlers {
  const recent = new RecentFiles(ctx.stateDir);
  const recovery = new RecoveryFile(ctx.stateDir);
  return {
    'app.getInfo': async () => ({ version: ctx.version, shell: ctx.shell, platform: process.platform }),
    'training.start': async (req) => {
      const runId = randomUUID();
      const options = { cacheDir: ctx.cacheDir, outDir: join(ctx.runsDir, runId), backend: req.backend, maxSamples: req.maxSamples, projectText: req.projectText, initialWeights: req.initialWeights };
      return ctx.training.start({ runId, spec: req.spec, dataset: req.dataset, settings: req.settings, options });
    },
    'training.pause': async (runId) => ctx.training.pause(runId),
    'training.resume': async (runId) => ctx.training.resume(runId),
    'training.stop': async (runId) => ctx.training.stop(runId),
    'training.watch': async (runId, watch) => ctx.training.watch(runId, watch),
    'training.current': async () => ctx.training.snapshot(),
    'project.read': (path) => readProjectText(path),
    'project.write': (path, text) => writeProjectText(path, text),
    'project.pickPath': (options) => ctx.pickPath(options),
    'project.recent': () => recent.list(),
    'project.noteRecent': (path) => recent.note(path),
    'project.defaultDir': async () => ctx.projectsDir,
    'project.writeRecovery': (r) => recovery.write(r),
    'project.readRecovery': () => recovery.read(),
    'datasets.preview': (ref, query) => ctx.training.preview(ref, ctx.cacheDir, query), // loading a dataset is the trainer's work
    'runs.list': () => listRuns(ctx.runsDir, ctx.training.activeRunId),
    'runs.delete': (runId) => deleteRun(ctx.runsDir, runId),
    'runs.reconstructions': (runId) => runReconstructions(ctx.runsDir, runId),
    'runs.annotate': (runId, labels) => annotateRun(ctx.runsDir, runId, labels, ctx.training.activeRunId),
    'runs.project': (runId) => runProject(ctx.runsDir, runId),
    'runs.resume': async (runId, more) => {
      // The app's own runs folder: the record was written by this app, so its dataset ref is used as it is.
      const { plan, dir, dataset, settings } = await resumeRequest(ctx.runsDir, runId, ctx.training.activeRunId, more?.moreEpochs);
      const options = { cacheDir: ctx.cacheDir, outDir: dir, maxSamples: plan.record.maxSamples ?? undefined, projectText: plan.projectText, resume: true };
      return ctx.training.start({ runId, spec: plan.spec, dataset, settings, options });
    },
    'runs.export': async (runId, formats, folder) => {
      checkRunId(runId); // it becomes a path below
      const target = folder ?? join(ctx.runsDir, runId, 'export');
      return { folder: target, files: await ctx.training.exportRun(join(ctx.runsDir, runId), target, formats, ctx.cacheDir, OWN_RUN) };
    },
    'runs.analyze': (runId, request) => ctx.training.analyze(join(ctx.runsDir, checkRunId(runId)), request, ctx.cacheDir, join(ctx.runsDir, runId, 'analysis'), OWN_RUN),
    'runs.decode': (runId, { codes, count }) => ctx.training.decode(join(ctx.runsDir, checkRunId(runId)), codes, count, ctx.cacheDir, OWN_RUN),
  };
}
