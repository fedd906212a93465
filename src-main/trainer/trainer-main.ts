/**
 * The trainer process: receives commands, runs one training session at a
 * time, streams events back. Errors become `error` events with what to try;
 * nothing a command does can crash the process.
 */
import type { z } from 'zod';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { TrainerCommandSchema } from '../../src-shared/protocol/trainer-messages';
import type { BackendName } from '../../src-shared/protocol/trainer-messages';
import { chooseBackend } from './backend/choose-backend';
import type { BackendChoice } from './backend/choose-backend';
import { chooseMeasuredBackend } from './backend/measure-backends';
import type { LoadedDataset } from './data/dataset';
import { loadDataset } from './data/load-dataset';
import { previewOf } from './data/preview';
import { selectLabels } from './data/select-labels';
import type { TrainerPort } from './port';
import { REQUEST_NAMES, describeFailure, isNamedFailure } from './describe-failure';
import { releaseAnalysisContext } from './analysis/analysis-context';
import { decodeForRun, runAnalysis } from './analysis/run-analysis';
import { evaluateModel } from './export/evaluate-model';
import { exportRun } from './export/export-run';
import { checkModelMemory } from './train/memory-check';
import { RunWriter } from './train/outputs';
import { RunControl, disposeSession, runSession, trainerMemory } from './train/session';

type StartCommand = Extract<z.output<typeof TrainerCommandSchema>, { type: 'start' }>;
type PreviewCommand = Extract<z.output<typeof TrainerCommandSchema>, { type: 'preview' }>;

/** Snapshot events are skipped while more than this many messages wait to be written to the host. */
const MAX_BACKLOG = 8;

/**
 * The backend of a run: a forced one (--backend); for a resumed run the one
 * it trained on (same arithmetic, so it ends where an uninterrupted run
 * would), where that still loads; otherwise the fastest for this model,
 * measured or remembered.
 */
async function runBackend(cmd: StartCommand, current: BackendChoice | null, resumed: { backend: BackendName | null; threads: number | null } | null): Promise<BackendChoice> {
  const forced = cmd.options.backend;
  if (forced) return current?.name === forced ? current : chooseBackend(forced);
  const resumedOn = resumed?.backend;
  if (resumedOn) {
    try {
      const kept = await chooseBackend(resumedOn);
      // Its thread split too (unless --threads asks otherwise): each thread's noise draws and sums are part of the arithmetic.
      return { ...kept, threads: cmd.options.threads ?? resumed.threads, measurement: { trials: [], reason: `${resumedOn}, kept from the run's first part`, cached: false } };
    } catch {
      // It no longer loads here: the fastest that does.
    }
  }
  return chooseMeasuredBackend(cmd.spec, cmd.settings, { cacheDir: cmd.options.cacheDir, threads: cmd.options.threads });
}

/** Serves commands on `port` until the process ends. */
export function serveTrainer(port: TrainerPort): void {
  // Progress and reconstructions are snapshots: when the host reads slower than they come
  // (a busy machine), dropping some beats queueing them in memory; the next one says as much.
  const emit = (e: TrainerEvent) => {
    if ((e.type === 'progress' || e.type === 'reconstructions') && port.backlog() > MAX_BACKLOG) return;
    port.post(e);
  };
  let backend: BackendChoice | null = null;
  let active: { runId: string; control: RunControl } | null = null;
  const datasets = new Map<string, LoadedDataset>(); // loaded once per process, reused across runs

  async function run(cmd: StartCommand): Promise<void> {
    const control = new RunControl();
    active = { runId: cmd.runId, control };
    let writer: RunWriter | null = null;
    try {
      // The run folder exists from the start (a read-only --out is refused here, before any data loads).
      if (cmd.options.outDir) writer = cmd.options.resume ? await RunWriter.resume(cmd.options.outDir, cmd) : await RunWriter.begin(cmd.options.outDir, cmd);
      backend = await runBackend(cmd, backend, writer?.resumeFrom ? { backend: writer.recordedBackend, threads: writer.recordedThreads } : null);
      checkModelMemory(cmd.spec, cmd.settings, backend.name); // before the dataset loads or the model is built
      const key = JSON.stringify(cmd.dataset);
      let data = datasets.get(key);
      if (!data) {
        data = await loadDataset(cmd.dataset, cmd.options.cacheDir);
        datasets.clear(); // keep one: datasets can be hundreds of MB
        datasets.set(key, data);
      }
      const result = await runSession(cmd, backend, cmd.settings.labels ? selectLabels(data, cmd.settings.labels) : data, emit, control, writer);
      let files: string[];
      try {
        files = writer ? await writer.finish(result) : [];
      } finally {
        disposeSession(result);
      }
      emit({ type: 'done', runId: cmd.runId, status: result.status, epochs: result.epochs, files, memory: trainerMemory(), stopReason: result.stopReason, bestEpoch: result.bestEpoch, keptEpoch: result.keptEpoch });
    } catch (e) {
      if (!isNamedFailure(e)) console.error(e); // the log keeps the stack of what we cannot name
      const failure = describeFailure(e);
      // A failed run is kept too, with what it reached and why it stopped.
      if (writer) await writer.fail(failure).catch((w: unknown) => console.error(w));
      emit({ type: 'error', runId: cmd.runId, ...failure });
    } finally {
      active = null;
    }
  }

  // Previews are served one at a time (each may import a whole dataset) and kept as the one loaded
  // dataset, so training on what was just previewed does not load it again. While a run trains,
  // only the run's own dataset is previewed (from memory): loading a second one beside a training
  // run could double the trainer's memory, so any other is refused with an answer, not queued.
  let previews = Promise.resolve();
  const preview = (cmd: PreviewCommand) => {
    previews = previews.then(async () => {
      const key = JSON.stringify(cmd.dataset);
      try {
        let data = datasets.get(key);
        if (!data && active) {
          emit({ type: 'error', runId: cmd.requestId, message: `A run (${active.runId}) is training on another dataset; only its own dataset can be previewed until it ends`, hint: 'Try again when it has finished, or stop it.' });
          return;
        }
        if (!data) {
          data = await loadDataset(cmd.dataset, cmd.cacheDir);
          if (!active) {
            datasets.clear();
            datasets.set(key, data);
          }
        }
        emit({ type: 'previewed', requestId: cmd.requestId, preview: previewOf(data, cmd.query) });
      } catch (e) {
        if (!isNamedFailure(e)) console.error(e);
        emit({ type: 'error', runId: cmd.requestId, ...describeFailure(e, REQUEST_NAMES.preview) });
      }
    });
  };

  port.onMessage((raw) => {
    const parsed = TrainerCommandSchema.safeParse(raw);
    if (!parsed.success) {
      emit({ type: 'error', runId: null, message: `The trainer received an invalid command (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`, hint: 'This is a bug in the app; restart the training.' });
      return;
    }
    const cmd = parsed.data;
    if (cmd.type === 'preview') return preview(cmd);
    if (cmd.type === 'export' || cmd.type === 'evaluate' || cmd.type === 'analyze' || cmd.type === 'decode') {
      if (active) {
        emit({ type: 'error', runId: cmd.requestId, message: `A run (${active.runId}) is training`, hint: 'Try again when it has finished, or stop it.' });
        return;
      }
      void (async () => {
        try {
          // Not the last run's backend: exports and analyses read tensors synchronously, which webgpu cannot in Node.
          backend = await chooseBackend();
          if (cmd.type === 'export') emit({ type: 'exported', requestId: cmd.requestId, files: await exportRun(cmd.runDir, cmd.outDir, cmd.formats, cmd.cacheDir, cmd.access) });
          else if (cmd.type === 'evaluate') emit({ type: 'evaluated', requestId: cmd.requestId, ...(await evaluateModel(cmd.modelDir, cmd.dataset, cmd.cacheDir)) });
          else if (cmd.type === 'analyze') emit({ type: 'analyzed', requestId: cmd.requestId, result: await runAnalysis(cmd.runDir, cmd.request, cmd.cacheDir, cmd.outDir, cmd.access) });
          else emit({ type: 'decoded', requestId: cmd.requestId, images: await decodeForRun(cmd.runDir, cmd.codes, cmd.count, cmd.cacheDir, cmd.access) });
        } catch (e) {
          if (!isNamedFailure(e)) console.error(e);
          emit({ type: 'error', runId: cmd.requestId, ...describeFailure(e, REQUEST_NAMES[cmd.type]) });
        }
      })();
      return;
    }
    if (cmd.type === 'start') {
      releaseAnalysisContext(); // training needs the memory more than the explorer's kept run
      if (active) {
        emit({ type: 'error', runId: cmd.runId, message: `A run (${active.runId}) is already training`, hint: 'Stop it first, or wait for it to finish.' });
        return;
      }
      void run(cmd);
      return;
    }
    if (!active || active.runId !== cmd.runId) return; // a late command for a run that has ended: nothing to do
    if (cmd.type === 'stop') active.control.stop();
    if (cmd.type === 'watch') active.control.watch(cmd.watch);
    if (cmd.type === 'pause') {
      active.control.pause();
      emit({ type: 'paused', runId: cmd.runId });
    }
    if (cmd.type === 'resume') {
      active.control.resume();
      emit({ type: 'resumed', runId: cmd.runId });
    }
  });
  emit({ type: 'ready', pid: process.pid });
}
