/**
 * The main ↔ trainer contract: commands the host sends and events the
 * trainer process streams back. Each message is validated where it arrives.
 * Images travel as typed arrays (structured clone), never JSON number arrays.
 */
import { z } from 'zod';
import { AnalysisRequestSchema, AnalysisResultSchema, DecodeRequestSchema, ImageRowSchema } from '../analysis/analysis-messages';
import { ModelSpecSchema } from '../compiler/model-spec';
import { DatasetPreviewSchema, PreviewQuerySchema } from '../datasets/dataset-preview';
import { DatasetRefSchema, DatasetSummarySchema } from '../datasets/dataset-ref';
import { EXPORT_FORMATS } from '../export/export-formats';
import { TrainingSettingsSchema } from '../project/training-settings';
import { ActivationWatchSchema, ActivationsSchema, LatentSamplesSchema } from './live-views';

/** Backends the trainer can run on (a run measures which is fastest for its model: src-main/trainer/backend/measure-backends.ts). */
export const BACKENDS = ['node', 'wasm', 'webgpu', 'cpu'] as const;
/** One of {@link BACKENDS}: tfjs-node (native libtensorflow), WebAssembly, or plain JavaScript. */
export type BackendName = (typeof BACKENDS)[number];

/** One backend's measured training step on the run's own model (before the first epoch). */
export const BackendTrialSchema = z.object({
  backend: z.enum(BACKENDS),
  /** Threads each batch was split across, as the run would train (the split planner's choice). */
  threads: z.number().int().min(1),
  /** Median milliseconds of a whole step (forward, loss, backward, optimizer), or null when it failed. */
  msPerStep: z.number().nonnegative().nullable(),
  /** Why it could not be measured (null when it was). */
  error: z.string().max(2_000).nullable(),
});
/** One backend's trial. */
export type BackendTrial = z.infer<typeof BackendTrialSchema>;

/** How the trainer chose the backend of a run: what it measured and why it took the one it did. */
export const BackendMeasurementSchema = z.object({
  trials: z.array(BackendTrialSchema).max(8),
  /** A sentence: "wasm (2 threads) 4.1 ms a step, node 12.0 ms: wasm, the fastest". */
  reason: z.string().max(2_000),
  /** True when the choice came from an earlier measurement of the same model on this machine. */
  cached: z.boolean(),
});
/** How the backend was chosen. */
export type BackendMeasurement = z.infer<typeof BackendMeasurementSchema>;

/** Options of a run beyond the project's training settings. */
export const RunOptionsSchema = z.object({
  /** Force a backend; without it the best available is chosen. */
  backend: z.enum(BACKENDS).optional(),
  /** Where to write metrics, the trained model and the reconstructions PNG at the end. */
  outDir: z.string().min(1).optional(),
  /** Folder for the binary dataset cache. */
  cacheDir: z.string().min(1),
  /** A folder with model.json + weights.bin (a run, or a TF.js export of an autoencoder) to start from instead of random weights. */
  initialWeights: z.string().min(1).optional(),
  /** Use only the first N samples (after the seeded shuffle): quick runs and tests. */
  maxSamples: z.number().int().positive().optional(),
  /** Minimum interval between progress events, in ms (at most ~10 per second by default). */
  progressIntervalMs: z.number().int().min(0).default(100),
  /** Reconstructions are also sent within an epoch at most this often, in ms. */
  reconstructionIntervalMs: z.number().int().min(0).default(3000),
  /** The project file text, kept in the run folder (project.aestudio) so its graph can be reopened. */
  projectText: z.string().max(16 * 1024 * 1024).optional(),
  /** No progress, reconstruction or latent events: only started, epoch and done (benchmarks measure the events' cost with it). */
  quiet: z.boolean().default(false),
  /** Threads to split each batch across (1: never split); without it, as many as the model's arithmetic pays for. */
  threads: z.number().int().min(1).max(16).optional(),
  /** Continue the run already in outDir from its checkpoint, appending to its record, instead of starting a new one. */
  resume: z.boolean().optional(),
});
/** Options of a run. */
export type RunOptions = z.input<typeof RunOptionsSchema>;

// What an export can write: one table (src-shared/export/export-formats.ts), re-exported for the protocol's users.
export { EXPORT_FORMATS };
export type { ExportFormat } from '../export/export-formats';

/**
 * How the trainer may use the dataset ref in a run folder's record: a run in
 * the app's own runs folder is trusted as written; any other folder's ref
 * must stay inside the folder, or `fallback` (data the person gave) is used.
 */
export const RunFolderAccessSchema = z.object({ trusted: z.boolean().optional(), fallback: DatasetRefSchema.optional() });

/** How the trainer may use a run folder's dataset ref. */
export type RunFolderAccess = z.infer<typeof RunFolderAccessSchema>;

/** Commands from the host to the trainer. */
export const TrainerCommandSchema = z.discriminatedUnion('type', [
  /** Reconstruction losses of a TF.js autoencoder (a run folder or an export) on a dataset. */
  z.object({ type: z.literal('evaluate'), requestId: z.string().min(1), modelDir: z.string().min(1), dataset: DatasetRefSchema, cacheDir: z.string().min(1) }),
  /** Writes a finished run (its folder: spec.json, model.json, weights.bin, metrics.json) in other formats. */
  z.object({ type: z.literal('export'), requestId: z.string().min(1), runDir: z.string().min(1), outDir: z.string().min(1), formats: z.array(z.enum(EXPORT_FORMATS)).min(1), cacheDir: z.string().min(1), access: RunFolderAccessSchema.optional() }),
  /** One analysis of a finished run; files it writes (scores, codes) go to outDir. */
  z.object({ type: z.literal('analyze'), requestId: z.string().min(1), runDir: z.string().min(1), request: AnalysisRequestSchema, cacheDir: z.string().min(1), outDir: z.string().min(1), access: RunFolderAccessSchema.optional() }),
  /** Codes through a finished run's decoder (the latent explorer). */
  z.object({ type: z.literal('decode'), requestId: z.string().min(1), runDir: z.string().min(1), cacheDir: z.string().min(1), access: RunFolderAccessSchema.optional(), ...DecodeRequestSchema.shape }),
  /** A dataset's summary and a few samples for the picker: loading (importing) a dataset is the trainer's work, never the main process's. */
  z.object({ type: z.literal('preview'), requestId: z.string().min(1), dataset: DatasetRefSchema, cacheDir: z.string().min(1), query: PreviewQuerySchema.optional() }),
  z.object({ type: z.literal('start'), runId: z.string().min(1), spec: ModelSpecSchema, dataset: DatasetRefSchema, settings: TrainingSettingsSchema, options: RunOptionsSchema }),
  z.object({ type: z.literal('pause'), runId: z.string() }),
  z.object({ type: z.literal('resume'), runId: z.string() }),
  z.object({ type: z.literal('stop'), runId: z.string() }),
  /** Which layer's activations to send, on which latent sample, after each epoch and now (null: none). */
  z.object({ type: z.literal('watch'), runId: z.string(), watch: ActivationWatchSchema.nullable() }),
]);
/** A command to the trainer. */
export type TrainerCommand = z.input<typeof TrainerCommandSchema>;

const runId = z.string();
const finite = z.number();

/** Per-epoch numbers, as kept in metrics.json. */
export const EpochMetricsSchema = z.object({
  epoch: z.number().int().positive(),
  trainLoss: finite,
  /** Null when the validation split is 0. */
  valLoss: finite.nullable(),
  /** Each regularizer penalty separately, averaged over the epoch, by name (e.g. "l1:sparsity"). */
  penalties: z.record(z.string(), finite),
  /**
   * A variational autoencoder's objective, averaged over the epoch; absent for any other model. Its
   * reconstruction term is `trainLoss` (summed over a sample's values, averaged over samples; `valLoss`
   * likewise, through μ); `kl` is KL(q(z|x) ‖ N(0, I)) unweighted, `beta` the weight the epoch trained it
   * with, and `negativeElbo` = reconstruction + KL (the loss trained when β = 1).
   */
  vae: z.object({ kl: finite, beta: finite, negativeElbo: finite }).optional(),
  seconds: finite,
  samplesPerSec: finite,
  /** The learning rate the epoch trained with (a schedule changes it; absent in older records: the settings' learning rate). */
  learningRate: finite.optional(),
});
/** Why training ended: it ran all its epochs, early stopping ended it, or a person stopped it. */
export const STOP_REASONS = ['completed', 'earlyStopping', 'stoppedByUser'] as const;
/** One of {@link STOP_REASONS}. */
export type StopReason = (typeof STOP_REASONS)[number];

/** Per-epoch numbers. */
export type EpochMetrics = z.infer<typeof EpochMetricsSchema>;

/** One epoch of a layer-wise pretraining stage. */
export const PretrainEpochSchema = z.object({
  epoch: z.number().int().positive(),
  /** Mean reconstruction loss of the stage's input over the epoch. */
  trainLoss: finite,
  /** The same on the validation split's codes (null when the split is 0). */
  valLoss: finite.nullable(),
  seconds: finite,
});

/** A finished stage of layer-wise pretraining (src-shared/compiler/pretrain-plan.ts), as kept in metrics.json. */
export const PretrainStageMetricsSchema = z.object({
  /** 1 for the outermost pair. */
  stage: z.number().int().positive(),
  /** Stages in the run. */
  stages: z.number().int().positive(),
  /** The weighted encoder layer and its mirrored decoder layer. */
  pair: z.tuple([z.string(), z.string()]),
  /** Every layer the stage trained (the pair and the layers that go with it); the layers before them were frozen. */
  layers: z.array(z.string()).max(10_000),
  /** The stage's loss: the run's for the outermost stage (it reconstructs the data), MSE for the codes of the inner ones. */
  loss: z.enum(['mse', 'bce']),
  /** At most the settings' limit of epochs per stage. */
  epochs: z.array(PretrainEpochSchema).max(1000),
});
/** A finished pretraining stage. */
export type PretrainStageMetrics = z.infer<typeof PretrainStageMetricsSchema>;

/** The trainer process's memory at a moment: resident set size and live TF.js tensors. */
export const TrainerMemorySchema = z.object({ rssBytes: z.number(), tensors: z.number().int() });
/** The trainer's memory at a moment. */
export type TrainerMemory = z.infer<typeof TrainerMemorySchema>;

/** Events that answer one request (export, evaluate, analyze, decode, preview) rather than report on a run. */
export const REQUEST_ANSWERS = ['exported', 'evaluated', 'analyzed', 'decoded', 'previewed'] as const;
/** One of {@link REQUEST_ANSWERS}. */
export type RequestAnswer = (typeof REQUEST_ANSWERS)[number];

/** Events from the trainer to the host. */
export const TrainerEventSchema = z.discriminatedUnion('type', [
  /** The process is up and listening for commands. */
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({
    type: z.literal('started'),
    runId,
    backend: z.enum(BACKENDS),
    /** Why better backends were not used (empty when the best one was). */
    backendNotes: z.array(z.string()),
    /** What was measured to choose it (null when the backend was forced). */
    backendMeasurement: BackendMeasurementSchema.nullable().default(null),
    /** Threads each batch is split across, and why that many. */
    threads: z.number().int().min(1).default(1),
    threadsReason: z.string().default(''),
    paramCount: z.number().int(),
    dataset: DatasetSummarySchema,
    trainCount: z.number().int(),
    valCount: z.number().int(),
    batchesPerEpoch: z.number().int(),
    /** Thumbnails of the validation samples the latent plot shows, in its order (sent once a run; absent in quiet runs). */
    latentSamples: LatentSamplesSchema.nullable().optional(),
  }),
  z.object({
    type: z.literal('progress'),
    runId,
    epoch: z.number().int(),
    epochs: z.number().int(),
    batch: z.number().int(),
    batches: z.number().int(),
    /** Mean training loss over the epoch so far (reconstruction + penalties). */
    loss: finite,
    samplesPerSec: finite,
    etaSeconds: finite,
  }),
  z.object({ type: z.literal('epoch'), runId, metrics: EpochMetricsSchema, memory: TrainerMemorySchema.optional() }),
  /** A stage of layer-wise pretraining ended (before the first epoch of fine-tuning). */
  z.object({ type: z.literal('pretrainStage'), runId, metrics: PretrainStageMetricsSchema }),
  z.object({
    type: z.literal('reconstructions'),
    runId,
    epoch: z.number().int(),
    batch: z.number().int(),
    /** Shape of one image: [height, width, channels]. */
    shape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
    count: z.number().int(),
    /** 8-bit pixels, `count` images one after another. */
    input: z.instanceof(Uint8Array),
    /** The same inputs through the noise nodes; null when the graph has none. */
    noised: z.instanceof(Uint8Array).nullable(),
    output: z.instanceof(Uint8Array),
  }),
  z.object({
    type: z.literal('latent'),
    runId,
    epoch: z.number().int(),
    /** "code" when the code is 2-D, else "pca" (its first two principal components). */
    method: z.enum(['code', 'pca']),
    /** x0, y0, x1, y1, … */
    points: z.instanceof(Float32Array),
    labels: z.instanceof(Int32Array).nullable(),
  }),
  /** The watched layer's output on the watched sample (after each epoch, and when the watch changes). */
  z.object({ type: z.literal('activations'), runId, epoch: z.number().int().nonnegative(), batch: z.number().int().nonnegative(), layer: z.string(), sample: z.number().int(), activations: ActivationsSchema }),
  z.object({ type: z.literal('paused'), runId }),
  z.object({ type: z.literal('resumed'), runId }),
  z.object({
    type: z.literal('done'),
    runId,
    status: z.enum(['finished', 'stopped']),
    epochs: z.array(EpochMetricsSchema),
    /** Files written to options.outDir, if one was given. */
    files: z.array(z.string()),
    /** The trainer's memory once the run's models are freed: the same after every run when nothing leaks. */
    memory: TrainerMemorySchema.optional(),
    /** Why training ended. */
    stopReason: z.enum(STOP_REASONS).optional(),
    /** The epoch with the lowest validation loss, and the epoch whose weights the run's model holds (the best with keepBest, else the last). */
    bestEpoch: z.number().int().positive().nullable().optional(),
    keptEpoch: z.number().int().positive().nullable().optional(),
  }),
  /** An evaluation finished: mean losses per value over every sample of the dataset. */
  z.object({ type: z.literal('evaluated'), requestId: z.string(), count: z.number().int(), mse: finite, bce: finite }),
  /** An analysis finished. */
  z.object({ type: z.literal('analyzed'), requestId: z.string(), result: AnalysisResultSchema }),
  /** Codes decoded into images. */
  z.object({ type: z.literal('decoded'), requestId: z.string(), images: ImageRowSchema }),
  /** A dataset's preview. */
  z.object({ type: z.literal('previewed'), requestId: z.string(), preview: DatasetPreviewSchema }),
  /** An export finished; `files` are relative to its outDir. */
  z.object({ type: z.literal('exported'), requestId: z.string(), files: z.array(z.string()) }),
  /** A run or an export failed (runId holds the export's requestId for exports). */
  z.object({ type: z.literal('error'), runId: runId.nullable(), message: z.string(), hint: z.string() }),
]);
/** An event from the trainer. */
export type TrainerEvent = z.infer<typeof TrainerEventSchema>;
