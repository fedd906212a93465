/**
 * The renderer ↔ main contract: every call the renderer may make, with a
 * runtime schema for its arguments and result. Electron IPC and the browser
 * mode's WebSocket both bind exactly this table; channel names are derived
 * from it, never written out twice.
 */
import { z } from 'zod';
import { AnalysisRequestSchema, AnalysisResultSchema, DecodeRequestSchema, ImageRowSchema } from '../analysis/analysis-messages';
import { ModelSpecSchema } from '../compiler/model-spec';
import { DatasetPreviewSchema, PreviewQuerySchema } from '../datasets/dataset-preview';
import { DatasetRefSchema } from '../datasets/dataset-ref';
import type { DatasetSummary } from '../datasets/dataset-ref';
import { TrainingSettingsSchema } from '../project/training-settings';
import { RUN_STATUSES, RunLabelsSchema } from '../run/run-record';
import { BACKENDS, EXPORT_FORMATS, EpochMetricsSchema, TrainerEventSchema } from './trainer-messages';
import { ActivationWatchSchema } from './live-views';

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
  /** The project as saved text, kept with the run so its graph can be reopened. */
  projectText: z.string().max(16 * 1024 * 1024).optional(),
  /** Start from the weights in this folder (a run or a TF.js export of the same graph). */
  initialWeights: z.string().min(1).max(4096).optional(),
});
/** What the renderer asks to train. */
export type TrainingStart = z.infer<typeof TrainingStartSchema>;

const runId = z.string().min(1).max(100);
const path = z.string().min(1).max(4096);

/** The result of a file dialog: a path, a cancel, or no native dialogs here (browser mode: the renderer asks itself). */
export const PickResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('picked'), path }),
  z.object({ kind: z.literal('canceled') }),
  z.object({ kind: z.literal('unsupported') }),
]);
/** The result of a file dialog. */
export type PickResult = z.infer<typeof PickResultSchema>;

/** Unsaved work kept by autosave. */
export const RecoverySchema = z.object({
  /** The project text as it would be saved. */
  text: z.string().max(16 * 1024 * 1024),
  /** The file it belongs to, if it had one. */
  filePath: z.string().nullable(),
  /** When it was kept (ISO time). */
  savedAt: z.string(),
});
/** Unsaved work kept by autosave. */
export type Recovery = z.infer<typeof RecoverySchema>;

/** A kept run as the run list shows it. */
export const RunSummarySchema = z.object({
  runId: z.string(),
  /** The project's name at the time of the run. */
  name: z.string(),
  /** "running" only for the run the service is training now; a run whose trainer went away reads "failed" (interrupted). */
  status: z.enum(RUN_STATUSES),
  finishedAt: z.string().nullable(),
  epochs: z.array(EpochMetricsSchema),
  settings: z.record(z.string(), z.unknown()),
  dataset: z.string(),
  /** Why it failed; for a folder whose metrics.json cannot be read, which file and what is wrong with it. */
  error: z.string().nullable(),
  /** Whether the run kept its project, so its graph can be reopened. */
  hasProject: z.boolean(),
  /** Whether it ended early with a checkpoint, so `runs.resume` can continue it. */
  resumable: z.boolean(),
  /** Whether it kept a checkpoint after it ended (finished, stopped early, stopped, failed), so `runs.resume` can train it for more epochs. */
  continuable: z.boolean().optional(),
  /** Why training ended and which epoch the model keeps, in a sentence (absent for runs still training, failed, or from older versions). */
  stopText: z.string().nullable().optional(),
  /** Why its model has no decoder alone (connections go around the code), so the analyses that decode codes are off; absent or null when it has one. */
  decoderAbsent: z.string().nullable().optional(),
  /** The name a person gave the run (null: none, show defaultRunName of project, dataset and start). */
  title: z.string().nullable().optional(),
  /** A person's notes on the run ('' when none). */
  notes: z.string().optional(),
  /** When it started (ISO time; null in older records). */
  startedAt: z.string().nullable().optional(),
  /** Trainable parameters of its model (null before it was built). */
  paramCount: z.number().int().nonnegative().nullable().optional(),
  /** Shape of its code, from its spec (null when the spec is missing). */
  codeShape: z.array(z.number().int().positive()).nullable().optional(),
});
/** A kept run. */
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** Commands the desktop menu sends to the renderer, which runs them as it runs its shortcuts. */
export const APP_COMMANDS = ['new', 'open', 'save', 'saveAs', 'undo', 'redo', 'copy', 'paste', 'selectAll', 'delete', 'fitView', 'autoLayout'] as const;
/** One of {@link APP_COMMANDS}. */
export type AppCommand = (typeof APP_COMMANDS)[number];

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
  /** Which layer's activations the run sends, on which latent sample (null: none); they follow on `training.event`. */
  'training.watch': { args: z.tuple([runId, ActivationWatchSchema.nullable()]), result: z.void() },
  /** The latest run's events, compacted, so a reloaded window can pick it up again (empty before any run). */
  'training.current': { args: z.tuple([]), result: z.array(TrainerEventSchema) },
  /** Reads a project file's text (the renderer validates it with the shared loader). */
  'project.read': { args: z.tuple([path]), result: z.string() },
  /** Writes a project file atomically; the previous file stays intact if the write fails. */
  'project.write': { args: z.tuple([path, z.string().max(16 * 1024 * 1024)]), result: z.void() },
  /** A native open or save dialog for project files. */
  'project.pickPath': { args: z.tuple([z.object({ mode: z.enum(['open', 'save']), defaultPath: z.string().optional() })]), result: PickResultSchema },
  /** Recently opened or saved project files, newest first. */
  'project.recent': { args: z.tuple([]), result: z.array(z.string()) },
  /** Puts a path at the top of the recent files; returns the new list. */
  'project.noteRecent': { args: z.tuple([path]), result: z.array(z.string()) },
  /** The folder new projects are saved in by default. */
  'project.defaultDir': { args: z.tuple([]), result: z.string() },
  /** Keeps unsaved work in the recovery file (autosave); null clears it (after a save, or when changes are discarded). */
  'project.writeRecovery': { args: z.tuple([RecoverySchema.nullable()]), result: z.void() },
  /** Unsaved work a previous session left in the recovery file (it crashed or was killed), if any. */
  'project.readRecovery': { args: z.tuple([]), result: RecoverySchema.nullable() },
  /** The kept runs, newest first. */
  'runs.list': { args: z.tuple([]), result: z.array(RunSummarySchema) },
  /** Deletes a kept run and its files. */
  'runs.delete': { args: z.tuple([runId]), result: z.void() },
  /** The project text a run was trained from. */
  'runs.project': { args: z.tuple([runId]), result: z.string() },
  /** The PNG of a finished or stopped run's last reconstructions (rows: input, noised where the graph adds noise, output), for the Runs view. */
  'runs.reconstructions': { args: z.tuple([runId]), result: z.instanceof(Uint8Array) },
  /** Names a run and keeps notes on it, in its record (refused while it trains); an empty name goes back to the default. */
  'runs.annotate': { args: z.tuple([runId, RunLabelsSchema]), result: z.void() },
  /**
   * Continues a failed, stopped or interrupted run from its last checkpoint for its remaining epochs, or, with
   * `moreEpochs`, any run that kept a checkpoint (finished ones too) for that many epochs after it; resolves to
   * its id. Events follow on `training.event`.
   */
  'runs.resume': { args: z.tuple([runId, z.object({ moreEpochs: z.number().int().min(1).max(10000) }).optional()]), result: runId },
  /** Exports a finished run of this app into a folder (default: the run's own export/ folder); resolves to the folder and files. */
  'runs.export': {
    args: z.tuple([runId, z.array(z.enum(EXPORT_FORMATS)).min(1), path.optional()]),
    result: z.object({ folder: z.string(), files: z.array(z.string()) }),
  },
  /** Runs one analysis of a finished run; files it writes go to the run's analysis/ folder. */
  'runs.analyze': { args: z.tuple([runId, AnalysisRequestSchema]), result: AnalysisResultSchema },
  /** Decodes codes with a finished run's decoder (the latent explorer's sliders). */
  'runs.decode': { args: z.tuple([runId, DecodeRequestSchema]), result: ImageRowSchema },
  /** Loads a dataset and returns its summary and a few sample images (the picker), or a page of them with labels, split and statistics (the Data view). */
  'datasets.preview': { args: z.tuple([DatasetRefSchema, PreviewQuerySchema.optional()]), result: DatasetPreviewSchema },
} as const;

/** Every event main pushes to the renderer, with its payload schema. */
export const STUDIO_EVENTS = {
  /** Everything the trainer reports: progress, epochs, reconstructions, latent points, done, errors. */
  'training.event': TrainerEventSchema,
  /** A menu command for the renderer to run. */
  'app.command': z.enum(APP_COMMANDS),
} as const;

/** Name of an event in {@link STUDIO_EVENTS}. */
export type StudioEventName = keyof typeof STUDIO_EVENTS;
/** Payload of an event, by its name. */
export type StudioEventPayload<K extends StudioEventName> = z.infer<(typeof STUDIO_EVENTS)[K]>;

/** Name of a call in {@link STUDIO_CALLS}. */
export type StudioCallName = keyof typeof STUDIO_CALLS;
/** Argument tuple of a call as the handler receives it (validated, defaults filled in). */
export type StudioCallArgs<K extends StudioCallName> = z.infer<(typeof STUDIO_CALLS)[K]['args']>;
/** Argument tuple of a call as a caller may write it (defaults are filled in where it is validated). */
export type StudioCallInput<K extends StudioCallName> = z.input<(typeof STUDIO_CALLS)[K]['args']>;
/** Result of a call. */
export type StudioCallResult<K extends StudioCallName> = z.infer<(typeof STUDIO_CALLS)[K]['result']>;

/** Main-side implementations of every call: a call in the table without a handler here is a compile error. */
export type StudioHandlers = { [K in StudioCallName]: (...args: StudioCallArgs<K>) => Promise<StudioCallResult<K>> };

/** "training" of "training.start". */
type NamespaceOf<K> = K extends `${infer N}.${string}` ? N : never;
/** The namespaces of the calls: app, training, project, runs, datasets. */
export type StudioNamespace = NamespaceOf<StudioCallName>;
/** The methods of one namespace, each typed from its table entry. */
type StudioMethods<N extends StudioNamespace> = {
  [K in StudioCallName as K extends `${N}.${infer M}` ? M : never]: (...args: StudioCallInput<K>) => Promise<StudioCallResult<K>>;
};

/**
 * The API the renderer sees, derived from {@link STUDIO_CALLS} and
 * {@link STUDIO_EVENTS}: "training.start" is `api.training.start(…)`, and
 * `api.on('training.event', listener)` gets that event's payload type. A new
 * call is one table entry; nothing here changes.
 */
export type StudioApi = { readonly [N in StudioNamespace]: StudioMethods<N> } & {
  /** Subscribes to one event; returns the unsubscribe function. Menu commands never fire in browser mode. */
  on<K extends StudioEventName>(name: K, listener: (payload: StudioEventPayload<K>) => void): () => void;
};

/** Re-exported for renderer code that only needs the summary type. */
export type { DatasetSummary };
