/**
 * Starts and stops training in the trainer process and relays its events.
 * Plain Node (no Electron), so the desktop app, browser mode and the CLI
 * share it; each passes the launcher that fits its shell. If the trainer
 * dies, the run it was serving is reported failed and the next start gets
 * a fresh process.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import type { DatasetPreview, PageRequest } from '../../src-shared/datasets/dataset-preview';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import { TrainerCommandSchema, TrainerEventSchema } from '../../src-shared/protocol/trainer-messages';
import { failureText } from '../../src-shared/protocol/failure-text';
import type { ExportFormat, RequestAnswer, RunFolderAccess, RunOptions, TrainerCommand, TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import type { ActivationWatch } from '../../src-shared/protocol/live-views';
import type { AnalysisRequest, AnalysisResult, ImageRow } from '../../src-shared/analysis/analysis-messages';
import type { TrainerChild, TrainerLauncher } from '../trainer/host/trainer-child';

/** What to train. */
export interface StartRequest {
  /** Id for the run; generated when absent. */
  runId?: string;
  spec: ModelSpec;
  dataset: DatasetRef;
  settings: TrainingSettings;
  options: RunOptions;
}

/** Listener of trainer events. */
export type TrainingListener = (event: TrainerEvent) => void;

/** What a request was doing when the trainer died, for the message (keyed: a new request kind must say). */
const DOING: Record<RequestAnswer, string> = { exported: 'an export', evaluated: 'an evaluation', analyzed: 'an analysis', decoded: 'decoding', previewed: 'a dataset preview' };

export class TrainingService {
  private child: TrainerChild | null = null;
  private ready: Promise<void> | null = null;
  private readonly listeners = new Set<TrainingListener>();
  /** The run in progress, if any. */
  activeRunId: string | null = null;
  /** One-off requests (export, evaluate, analyze, decode) waiting for their answer, by request id. Their answers go to the caller only, not to every listener. */
  private readonly pending = new Map<string, { answer: RequestAnswer; resolve: (e: TrainerEvent) => void; reject: (e: Error) => void }>();
  /** Runs ended here because an event of theirs was invalid: their later events are dropped. */
  private readonly abandoned = new Set<string>();
  /** The latest run's events, compacted, so a window that reloads can pick the run up again. */
  private replay: TrainerEvent[] = [];

  constructor(private readonly launch: TrainerLauncher) {}

  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: TrainingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many listeners are subscribed (a window that closes must leave none behind). */
  listenerCount(): number {
    return this.listeners.size;
  }

  private emit(event: TrainerEvent): void {
    if ((event.type === 'done' || event.type === 'error') && event.runId === this.activeRunId) this.activeRunId = null;
    this.record(event);
    for (const l of this.listeners) l(event);
  }

  private ensureChild(): Promise<void> {
    if (this.child && this.ready) return this.ready;
    const child = this.launch();
    this.child = child;
    this.ready = new Promise<void>((resolve, reject) => {
      child.onMessage((raw) => {
        const parsed = TrainerEventSchema.safeParse(raw);
        if (!parsed.success) return this.refuseInvalid(raw, parsed.error.issues[0], reject);
        const event = parsed.data;
        if ('runId' in event && event.runId !== null && this.abandoned.has(event.runId)) {
          // The rest of a run already ended for an invalid event: its listeners have their end.
          if (event.type === 'done' || event.type === 'error') this.abandoned.delete(event.runId);
          return;
        }
        if (event.type === 'ready') resolve();
        else if (!this.settleRequest(event)) this.emit(event);
      });
      child.onExit((description) => {
        if (this.child !== child) return;
        this.child = null;
        this.ready = null;
        reject(new Error(`The trainer process ended before it was ready (${description})`));
        for (const [requestId, p] of this.pending) {
          this.pending.delete(requestId);
          p.reject(new Error(`The trainer process stopped during ${DOING[p.answer]} (${description}). Try again; if it keeps happening, the machine may be out of memory.`));
        }
        const runId = this.activeRunId;
        if (runId) {
          this.emit({
            type: 'error',
            runId,
            message: `The trainer process stopped unexpectedly (${description}); the run was not finished`,
            hint: 'Start it again. If it keeps happening, lower the batch size or the model size: the machine may be out of memory.',
          });
        }
      });
    });
    return this.ready;
  }

  /**
   * Keeps what a window needs to redraw a run: its start, every epoch, the
   * latest progress, reconstructions and latent points, pause state and end.
   */
  private record(event: TrainerEvent): void {
    if (!('runId' in event) || event.runId === null) return;
    if (event.type === 'started') {
      this.replay = [event];
      return;
    }
    const ours = this.replay[0]?.type === 'started' && (this.replay[0] as { runId: string }).runId === event.runId;
    if (!ours) return;
    const latestOnly = ['progress', 'reconstructions', 'latent', 'activations', 'paused', 'resumed'];
    if (latestOnly.includes(event.type)) {
      const kinds = event.type === 'paused' || event.type === 'resumed' ? ['paused', 'resumed'] : [event.type];
      this.replay = this.replay.filter((e) => !kinds.includes(e.type));
    }
    this.replay.push(event);
  }

  /** The latest run's events, compacted (empty before any run): a reloaded window replays them. */
  snapshot(): TrainerEvent[] {
    return [...this.replay];
  }

  /** Starts a run; resolves to its id once the trainer has it. Only one run trains at a time. */
  async start(request: StartRequest): Promise<string> {
    if (this.activeRunId) throw new Error(`A run is already training (${this.activeRunId}); stop it first.`);
    const { runId = randomUUID(), ...rest } = request;
    const command: TrainerCommand = { type: 'start', runId, ...rest };
    const checked = TrainerCommandSchema.safeParse(command);
    if (!checked.success) throw new Error(`Cannot start training: ${checked.error.issues[0]?.path.join('.')} ${checked.error.issues[0]?.message}`);
    await this.ensureChild();
    this.activeRunId = runId;
    this.child!.send(checked.data);
    return runId;
  }

  private send(type: 'pause' | 'resume' | 'stop', runId: string): void {
    if (this.child && this.activeRunId === runId) this.child.send({ type, runId });
  }

  /**
   * Exports a finished run folder in the trainer process (where TF.js lives);
   * resolves to the files written, relative to `outDir`.
   */
  async exportRun(runDir: string, outDir: string, formats: ExportFormat[], cacheDir: string, access?: RunFolderAccess): Promise<string[]> {
    const done = await this.request((requestId) => ({ type: 'export', requestId, runDir, outDir, formats, cacheDir, access }), 'exported');
    return done.files;
  }

  /** Mean reconstruction losses of a saved autoencoder on a dataset, computed in the trainer process. */
  async evaluate(modelDir: string, dataset: DatasetRef, cacheDir: string): Promise<{ count: number; mse: number; bce: number }> {
    const { count, mse, bce } = await this.request((requestId) => ({ type: 'evaluate', requestId, modelDir, dataset, cacheDir }), 'evaluated');
    return { count, mse, bce };
  }

  /**
   * An event that failed validation still settles what it answers: the
   * request it names is rejected, the active run it names ends as an error
   * (and is stopped), so nobody waits forever on an answer that never comes.
   */
  private refuseInvalid(raw: unknown, issue: z.core.$ZodIssue | undefined, rejectReady: (e: Error) => void): void {
    const fields = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const type = typeof fields.type === 'string' ? fields.type : 'unknown';
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'type';
    const message = `The trainer's "${type}" message is not valid: ${field}: ${issue?.message ?? 'unreadable'}`;
    // NaN and Infinity come from broken or diverged weights; anything else is our own mistake.
    const hint = /NaN|Infinity/.test(issue?.message ?? '') ? "The run's weights are probably broken or diverged (NaN, or values too large for float32); train again." : 'This is a bug in Autoencoder Studio; the trainer log has the details. Try again, or restart the app.';
    console.error(message, issue);
    if (type === 'ready') {
      // Else every caller would wait for a ready that never comes; the next call starts a fresh process.
      rejectReady(new Error(failureText({ message, hint })));
      this.dispose();
      return;
    }
    const id = typeof fields.requestId === 'string' ? fields.requestId : typeof fields.runId === 'string' ? fields.runId : null;
    if (id === null) return;
    const p = this.pending.get(id);
    if (p) {
      this.pending.delete(id);
      p.reject(new Error(failureText({ message, hint })));
    } else if (id === this.activeRunId) {
      this.send('stop', id);
      this.abandoned.add(id);
      this.emit({ type: 'error', runId: id, message, hint });
    }
  }

  /** Resolves or rejects the request an event answers; false when it answers none. */
  private settleRequest(event: TrainerEvent): boolean {
    const id = 'requestId' in event ? event.requestId : event.type === 'error' ? event.runId : null;
    const p = id !== null ? this.pending.get(id) : undefined;
    if (!p || id === null) return false;
    this.pending.delete(id);
    if (event.type === 'error') p.reject(new Error(failureText(event)));
    else if (event.type === p.answer) p.resolve(event);
    else p.reject(new Error(`The trainer answered a ${p.answer} request with ${event.type}`));
    return true;
  }

  /** Sends a one-off command to the trainer and waits for its answer (or its error, or the trainer's death); `duringRun`: the trainer decides whether to serve it while a run trains. */
  private async request<T extends RequestAnswer>(command: (requestId: string) => TrainerCommand, answer: T, duringRun = false): Promise<Extract<TrainerEvent, { type: T }>> {
    if (this.activeRunId && !duringRun) throw new Error(`A run is training (${this.activeRunId}); try again when it has finished.`);
    await this.ensureChild();
    const requestId = randomUUID();
    const checked = TrainerCommandSchema.safeParse(command(requestId));
    if (!checked.success) throw new Error(`Invalid request: ${checked.error.issues[0]?.path.join('.')} ${checked.error.issues[0]?.message}`);
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { answer, resolve: (e) => resolve(e as Extract<TrainerEvent, { type: T }>), reject });
      this.child!.send(checked.data);
    });
  }

  /** Runs one analysis of the finished run in `runDir`; files it writes go to `outDir`. */
  async analyze(runDir: string, request: AnalysisRequest, cacheDir: string, outDir: string, access?: RunFolderAccess): Promise<AnalysisResult> {
    return (await this.request((requestId) => ({ type: 'analyze', requestId, runDir, request, cacheDir, outDir, access }), 'analyzed')).result;
  }

  /** Decodes `count` codes with the run's decoder. */
  async decode(runDir: string, codes: Float32Array<ArrayBuffer>, count: number, cacheDir: string, access?: RunFolderAccess): Promise<ImageRow> {
    return (await this.request((requestId) => ({ type: 'decode', requestId, runDir, codes, count, cacheDir, access }), 'decoded')).images;
  }

  /**
   * A dataset's summary and a few samples, loaded (imported) in the trainer process. While a run
   * trains, the trainer answers for the run's own dataset and refuses any other (an error answer).
   */
  async preview(ref: DatasetRef, cacheDir: string, query?: PageRequest): Promise<DatasetPreview> {
    return (await this.request((requestId) => ({ type: 'preview', requestId, dataset: ref, cacheDir, ...(query ? { query } : {}) }), 'previewed', true)).preview;
  }

  /** Pauses a run between two batches. */
  pause(runId: string): void {
    this.send('pause', runId);
  }

  /** Resumes a paused run. */
  resume(runId: string): void {
    this.send('resume', runId);
  }

  /** Stops a run after the current batch; it ends with a `done` event whose status is "stopped". */
  stop(runId: string): void {
    this.send('stop', runId);
  }

  /** Names the layer (and latent sample) whose activations the run sends after each epoch; null stops them. */
  watch(runId: string, watch: ActivationWatch | null): void {
    if (this.child && this.activeRunId === runId) this.child.send({ type: 'watch', runId, watch });
  }

  /** Kills the trainer process (on quit). */
  dispose(): void {
    const child = this.child;
    this.child = null;
    this.ready = null;
    child?.kill();
  }
}
