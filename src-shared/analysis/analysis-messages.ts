/**
 * What a person can ask of a finished run (the six uses of an autoencoder)
 * and what comes back. The same request travels renderer → main → trainer,
 * and the CLI builds it from its flags; every hop validates it with these
 * schemas. Images travel as 8-bit pixels, scores and codes as typed arrays.
 */
import { z } from 'zod';
import { DatasetRefSchema } from '../datasets/dataset-ref';

/** Kinds of noise the denoising panel can add. */
export const NOISE_TYPES = ['gaussian', 'salt-pepper', 'masking'] as const;
/** One of {@link NOISE_TYPES}. */
export type NoiseType = (typeof NOISE_TYPES)[number];

/** The analyses, one panel each. */
export const ANALYSIS_TASKS = ['denoise', 'pca', 'anomaly', 'features', 'compression', 'latent', 'generate'] as const;
/** One of {@link ANALYSIS_TASKS}. */
export type AnalysisTask = (typeof ANALYSIS_TASKS)[number];

/** The analyses that decode codes with the decoder alone: off for a model whose connections go around its code. */
export const ANALYSIS_NEEDS_DECODER: Record<AnalysisTask, boolean> = {
  denoise: false,
  pca: false,
  anomaly: false,
  features: false,
  compression: true,
  latent: true,
  generate: true,
};

/** Noise added to clean samples: gaussian (σ = level × the data's range), salt-and-pepper or masking (level = fraction of values). */
export const NoiseSpecSchema = z.object({ type: z.enum(NOISE_TYPES), level: z.number().min(0).max(1) });
/** Noise to add. */
export type NoiseSpec = z.infer<typeof NoiseSpecSchema>;

const count = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);
const label = z.number().int().min(0).max(1_000_000);

/** Dropped files together may be this large (a message must stay under the browser mode's 20 MB limit). */
export const MAX_DROPPED_BYTES = 16 * 1024 * 1024;

/** A file a person dropped onto a panel: its name and bytes (PNG, JPEG, …). */
export const DroppedFileSchema = z.object({ name: z.string().min(1).max(255), bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_DROPPED_BYTES, 'a dropped file may be at most 16 MB') });

/** One analysis of a run. */
export const AnalysisRequestSchema = z.discriminatedUnion('task', [
  /** Clean | noised | denoised validation images and mean PSNR; plus a person's own images. */
  z.object({ task: z.literal('denoise'), noise: NoiseSpecSchema.default({ type: 'gaussian', level: 0.3 }), count: count(64, 12), seed: z.number().int().min(0).default(1), files: z.array(DroppedFileSchema).max(16).refine((f) => f.reduce((n, x) => n + x.bytes.byteLength, 0) <= MAX_DROPPED_BYTES, 'dropped files may be at most 16 MB together').default([]) }),
  /** The autoencoder against PCA with as many components as the code has values. */
  z.object({ task: z.literal('pca'), maxSamples: z.number().int().min(20).max(70_000).default(5000) }),
  /** Reconstruction error of every sample of a dataset (default: the run's, all labels); scores CSV written. */
  z.object({ task: z.literal('anomaly'), dataset: DatasetRefSchema.optional(), anomalousLabels: z.array(label).max(1000).optional(), top: count(64, 12) }),
  /** The codes of a dataset written as CSV and/or NPY, and k-NN accuracy of codes against raw values. */
  z.object({ task: z.literal('features'), dataset: DatasetRefSchema.optional(), formats: z.array(z.enum(['csv', 'npy'])).min(1).default(['csv', 'npy']) }),
  /** Code bytes against the original, and JPEG at the same byte budget. */
  z.object({ task: z.literal('compression'), count: count(32, 8), budget: z.enum(['uint8', 'float32']).default('uint8') }),
  /** Samples with their codes, axes for sliders, and the decoded interpolation between two samples. */
  z.object({ task: z.literal('latent'), count: count(32, 16), from: z.number().int().min(0).default(0), to: z.number().int().min(0).default(1), steps: z.number().int().min(2).max(16).default(8) }),
  /**
   * Decoded draws from the prior: a `grid`×`grid` manifold over a 2-D code, else `samples` random codes (seeded);
   * and `pairs` interpolations of `steps` codes between the codes of held-out samples.
   */
  z.object({ task: z.literal('generate'), grid: z.number().int().min(2).max(30).default(15), samples: count(256, 64), pairs: count(16, 4), steps: z.number().int().min(2).max(16).default(10), seed: z.number().int().min(0).default(1) }),
]);
/** An analysis request as a caller writes it (defaults may be left out). */
export type AnalysisRequest = z.input<typeof AnalysisRequestSchema>;
/** An analysis request with its defaults filled in. */
export type AnalysisRequestFull = z.output<typeof AnalysisRequestSchema>;

/** A row of 8-bit images, HWC, one after another. */
export const ImageRowSchema = z.object({
  shape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  count: z.number().int().nonnegative(),
  pixels: z.instanceof(Uint8Array),
});
/** A row of 8-bit images. */
export type ImageRow = z.infer<typeof ImageRowSchema>;

const finite = z.number();
const nullableScore = finite.nullable();

/** How well one method (the autoencoder's code, or PCA) keeps the data and separates its classes. */
export const MethodScoresSchema = z.object({
  /** Mean squared error of reconstructions of the validation samples. */
  mse: finite,
  /** Mean binary cross-entropy of the same (reconstructions clipped into (0, 1)). */
  bce: finite,
  /** 2-D points of the validation samples (x0, y0, x1, y1, …). */
  points: z.instanceof(Float32Array),
  /** "code" when the code is 2-D, else its first two principal components. */
  projection: z.enum(['code', 'pca']),
  /** Silhouette of the 2-D points grouped by label, in [-1, 1]; null without labels. */
  silhouette: nullableScore,
  /** 5-NN accuracy on the full codes (validation queries, training references); null without labels. */
  knnAccuracy: nullableScore,
});

/** What an analysis found. */
export const AnalysisResultSchema = z.discriminatedUnion('task', [
  z.object({
    task: z.literal('denoise'),
    noise: NoiseSpecSchema,
    /** Validation samples the PSNR figures average over. */
    evaluated: z.number().int(),
    psnrNoised: finite,
    psnrDenoised: finite,
    clean: ImageRowSchema,
    noised: ImageRowSchema,
    denoised: ImageRowSchema,
    /** Dropped files, as read (resized to the model's input) and as denoised. */
    files: z.array(z.object({ name: z.string(), input: ImageRowSchema, output: ImageRowSchema })),
    /** Dropped files that could not be read, with why. */
    fileErrors: z.array(z.string()),
  }),
  z.object({
    task: z.literal('pca'),
    components: z.number().int(),
    trainCount: z.number().int(),
    valCount: z.number().int(),
    labels: z.instanceof(Int32Array).nullable(),
    ae: MethodScoresSchema,
    pca: MethodScoresSchema.extend({ explainedVariance: finite }),
    /** A few validation samples: clean | autoencoder | PCA. */
    samples: z.object({ clean: ImageRowSchema, ae: ImageRowSchema, pca: ImageRowSchema }),
  }),
  z.object({
    task: z.literal('anomaly'),
    datasetName: z.string(),
    /** Mean squared reconstruction error of every sample, in dataset order. */
    scores: z.instanceof(Float32Array),
    /**
     * A VAE's negative ELBO of every sample, in dataset order: its reconstruction loss summed over its values
     * (decoded from μ) plus its KL(q(z|x) ‖ N(0, I)) (β = 1); null for any other model.
     */
    elbo: z.instanceof(Float32Array).nullable(),
    labels: z.instanceof(Int32Array).nullable(),
    /** Labels counted as anomalous for precision/recall (asked for, or the ones the run did not train on). */
    anomalousLabels: z.array(z.number().int()),
    /** The highest-scoring samples, highest first. */
    top: z.object({ indices: z.instanceof(Int32Array), images: ImageRowSchema }),
    /** Files written (absolute paths): the scores CSV. */
    files: z.array(z.string()),
  }),
  z.object({
    task: z.literal('features'),
    datasetName: z.string(),
    count: z.number().int(),
    codeSize: z.number().int(),
    files: z.array(z.string()),
    /** k-NN classification of held-out samples: on the codes and on the raw values; null without labels. */
    knn: z.object({ k: z.number().int(), trainCount: z.number().int(), testCount: z.number().int(), codes: finite, pixels: finite }).nullable(),
  }),
  z.object({
    task: z.literal('compression'),
    count: z.number().int(),
    /** Bytes of one sample stored as 8-bit values. */
    originalBytes: z.number().int(),
    codeBytes: z.object({ float32: z.number().int(), uint8: z.number().int() }),
    /** Bytes per image JPEG was allowed (the chosen code size). */
    budget: z.number().int(),
    original: ImageRowSchema,
    aeFloat: ImageRowSchema,
    aeUint8: ImageRowSchema,
    jpeg: ImageRowSchema,
    scores: z.object({
      aeFloat: z.object({ psnr: finite, ssim: finite }),
      aeUint8: z.object({ psnr: finite, ssim: finite }),
      jpeg: z.object({
        psnr: finite,
        ssim: finite,
        /** Mean bytes of the compressed image data (tables and headers, shared by every image at one quality, not counted). */
        bytes: finite,
        /** Mean bytes of the whole JPEG files, headers included. */
        fileBytes: finite,
        quality: finite,
      }),
    }),
    /** Images that did not fit the budget even at JPEG quality 1 (shown at quality 1). */
    overBudget: z.number().int(),
  }),
  z.object({
    task: z.literal('latent'),
    codeShape: z.array(z.number().int()),
    codeSize: z.number().int(),
    samples: ImageRowSchema,
    labels: z.instanceof(Int32Array).nullable(),
    /** The samples' codes, codeSize values each. */
    codes: z.instanceof(Float32Array),
    /** Slider axes: code = origin + Σ position[j] × basis[j]; the code's own values when it has ≤ 16, else its first principal directions. */
    axes: z.object({
      kind: z.enum(['code', 'pca']),
      origin: z.instanceof(Float32Array),
      basis: z.instanceof(Float32Array),
      min: z.instanceof(Float32Array),
      max: z.instanceof(Float32Array),
    }),
    from: z.number().int(),
    to: z.number().int(),
    /** Decoded codes from `from` to `to`, evenly spaced, ends included. */
    interpolation: ImageRowSchema,
  }),
  z.object({
    task: z.literal('generate'),
    codeShape: z.array(z.number().int()),
    codeSize: z.number().int(),
    /** What was sampled: a VAE's prior N(0, I), or (any other autoencoder, which has no prior) a normal fitted to its codes' mean and spread. */
    prior: z.object({ kind: z.enum(['standard-normal', 'code-statistics']), note: z.string(), mean: z.instanceof(Float32Array), std: z.instanceof(Float32Array) }),
    /** `grid` for a 2-D code (rows of `columns` images, z₁ falling down the rows, z₀ rising along them), else `random`. */
    mode: z.enum(['grid', 'random']),
    columns: z.number().int().positive(),
    /** The decoded codes, row after row. */
    images: ImageRowSchema,
    /** The codes decoded, codeSize values each, in the images' order. */
    codes: z.instanceof(Float32Array),
    /** Dataset indices of the interpolated held-out samples, two per pair. */
    pairs: z.instanceof(Int32Array),
    labels: z.instanceof(Int32Array).nullable(),
    /** The pairs' samples, two per pair (start, end). */
    originals: ImageRowSchema,
    /** One row per pair: the codes from the start's μ to the end's, evenly spaced, ends included, decoded. */
    interpolations: z.array(ImageRowSchema),
  }),
]);
/** What an analysis found. */
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;
/** The result of one task. */
export type AnalysisResultOf<T extends AnalysisTask> = Extract<AnalysisResult, { task: T }>;

/** Codes to decode (the latent explorer's sliders): `count` codes of the run's code size. */
export const DecodeRequestSchema = z.object({ codes: z.instanceof(Float32Array), count: z.number().int().min(1).max(256) });
