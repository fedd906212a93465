/**
 * Starts and stops training in the trainer process and relays its events.
 * Plain Node (no Electron), so the desktop app, browser mode and the CLI
 * share it; each passes the launcher that fits its shell. If the trainer
 * dies, the run it was serving is reported failed and the next start gets
 * a fresh process.
 */
import { randomUUID } from 'node:crypto';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import { TrainerCommandSchema, TrainerEventSchema } from '../../src-shared/protocol/trainer-messages';
import type { ExportFormat, RequestAnswer, RunFolderAccess, RunOptions, TrainerCommand, TrainerEvent } from '../../src-shared/protocol/trainer-messages';
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

export class TrainingService {
  private child: TrainerChild | null = null;
  private ready: Promise<void> | null = null;
  private readonly listeners = new Set<TrainingListener>();
  /** The run in progress, if any. */
  activeRunId: string | null = null;
  /** One-off requests (export, evaluate, analyze, decode) waiting for their answer, by request id. Their answers go to the caller only, not to every listener. */
  private readonly pending = new Map<string, { answer: RequestAnswer; resolve: (e: TrainerEvent) => void; reject: (e: Error) => void }>();
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
        if (!parsed.success) {
          console.error('Trainer sent an invalid event:', parsed.error.issues[0]);
          return;
        }
        if (parsed.data.type === 'ready') resolve();
        else if (!this.settleRequest(parsed.data)) this.emit(parsed.data);
      });
      child.onExit((description) => {
        if (this.child !== child) return;
        this.child = null;
        this.ready = null;
        reject(new Error(`The trainer process ended before it was ready (${description})`));
        for (const [requestId, p] of this.pending) {
          this.pending.delete(requestId);
          p.reject(new Error(`The trainer process stopped during an export, evaluation or analysis (${description}). Try again; if it keeps happening, the machine may be out of memory.`));
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
    const latestOnly = ['progress', 'reconstructions', 'latent', 'paused', 'resumed'];
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

  /** Resolves or rejects the request an event answers; false when it answers none. */
  private settleRequest(event: TrainerEvent): boolean {
    const id = 'requestId' in event ? event.requestId : event.type === 'error' ? event.runId : null;
    const p = id !== null ? this.pending.get(id) : undefined;
    if (!p || id === null) return false;
    this.pending.delete(id);
    if (event.type === 'error') p.reject(new Error(`${event.message}. ${event.hint}`));
    else if (event.type === p.answer) p.resolve(event);
    else p.reject(new Error(`The trainer answered a ${p.answer} request with ${event.type}`));
    return true;
  }

  /** Sends a one-off command to the trainer and waits for its answer (or its error, or the trainer's death). */
  private async request<T extends RequestAnswer>(command: (requestId: string) => TrainerCommand, answer: T): Promise<Extract<TrainerEvent, { type: T }>> {
    if (this.activeRunId) throw new Error(`A run is training (${this.activeRunId}); try again when it has finished.`);
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

  /** Kills the trainer process (on quit). */
  dispose(): void {
    const child = this.child;
    this.child = null;
    this.ready = null;
    child?.kill();
  }
}
