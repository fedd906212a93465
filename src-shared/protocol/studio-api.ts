/**
 * The renderer ↔ main contract: every call the renderer may make, with a
 * runtime schema for its arguments and result. Electron IPC and the browser
 * mode's WebSocket both bind exactly this table; channel names are derived
 * from it, never written out twice.
 */
import { z } from 'zod';
import { ModelSpecSchema } from '../compiler/model-spec';
import { DatasetRefSchema } from '../datasets/dataset-ref';
import { TrainingSettingsSchema } from '../project/training-settings';
import { BACKENDS, TrainerEventSchema } from './trainer-messages';
import type { TrainerEvent } from './trainer-messages';

/** What the app reports about itself. */
export const AppInfoSchema = z.object({
  /** The app's version (package.json). */
  version: z.string(),
  /** "electron" in the desktop app, "browser" in browser mode. */
  shell: z.enum(['electron', 'browser']),
  /** Operating system platform of the machine running the services. */
  platform: z.string(),
});
/** What the app reports about itself. */
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** What the renderer asks to train; where caches and outputs go is the main process's business. */
export const TrainingStartSchema = z.object({
  spec: ModelSpecSchema,
  dataset: DatasetRefSchema,
  settings: TrainingSettingsSchema,
  /** Force a backend (default: the best that loads). */
  backend: z.enum(BACKENDS).optional(),
  /** Train on the first N samples only. */
  maxSamples: z.number().int().positive().optional(),
});
/** What the renderer asks to train. */
export type TrainingStart = z.infer<typeof TrainingStartSchema>;

const runId = z.string().min(1).max(100);

/** Every call: its argument tuple and result schema. Keys are "namespace.method". */
export const STUDIO_CALLS = {
  /** Version, shell and platform, for the About box and bug reports. */
  'app.getInfo': { args: z.tuple([]), result: AppInfoSchema },
  /** Starts a run; resolves to its id. Events follow on `training.event`. */
  'training.start': { args: z.tuple([TrainingStartSchema]), result: runId },
  /** Pauses a run between two batches. */
  'training.pause': { args: z.tuple([runId]), result: z.void() },
  /** Resumes a paused run. */
  'training.resume': { args: z.tuple([runId]), result: z.void() },
  /** Stops a run after the current batch. */
  'training.stop': { args: z.tuple([runId]), result: z.void() },
} as const;

/** Every event main pushes to the renderer, with its payload schema. */
export const STUDIO_EVENTS = {
  /** Everything the trainer reports: progress, epochs, reconstructions, latent points, done, errors. */
  'training.event': TrainerEventSchema,
} as const;

/** Name of an event in {@link STUDIO_EVENTS}. */
export type StudioEventName = keyof typeof STUDIO_EVENTS;

/** Name of a call in {@link STUDIO_CALLS}. */
export type StudioCallName = keyof typeof STUDIO_CALLS;
/** Argument tuple of a call. */
export type StudioCallArgs<K extends StudioCallName> = z.infer<(typeof STUDIO_CALLS)[K]['args']>;
/** Result of a call. */
export type StudioCallResult<K extends StudioCallName> = z.infer<(typeof STUDIO_CALLS)[K]['result']>;

/** Main-side implementations of every call. */
export type StudioHandlers = { [K in StudioCallName]: (...args: StudioCallArgs<K>) => Promise<StudioCallResult<K>> };

/** The API the renderer sees as `window.studio`, namespaced as the call names are. */
export interface StudioApi {
  /** Facts about the running app. */
  app: {
    /** Version, shell and platform. */
    getInfo(): Promise<AppInfo>;
  };
  /** Training in the trainer process. */
  training: {
    /** Starts a run; resolves to its id. */
    start(request: TrainingStart): Promise<string>;
    /** Pauses a run between two batches. */
    pause(runId: string): Promise<void>;
    /** Resumes a paused run. */
    resume(runId: string): Promise<void>;
    /** Stops a run after the current batch. */
    stop(runId: string): Promise<void>;
    /** Subscribes to training events; returns the unsubscribe function. */
    onEvent(listener: (event: TrainerEvent) => void): () => void;
  };
}
