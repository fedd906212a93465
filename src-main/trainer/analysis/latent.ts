/** The latent explorer: samples with their codes, slider axes, the decoded path between two samples, and decoding of any code. */
import type * as tf from '@tensorflow/tfjs';
import type { AnalysisRequestFull, AnalysisResultOf, ImageRow } from '../../../src-shared/analysis/analysis-messages';
import { DatasetError } from '../data/dataset';
import type { AnalysisContext } from './analysis-context';
import { heldOut, labelsAt } from './analysis-context';
import { imageRow } from './images';
import { requireFinite } from './finite';
import { fitPca, pcaProject } from './pca';
import { gatherSamples, predictAll } from './tensors';

type Request = Extract<AnalysisRequestFull, { task: 'latent' }>;

/** Codes of at most this many values get one slider per value; larger ones get sliders along principal directions. */
export const MAX_DIRECT_SLIDERS = 16;
const PCA_SLIDERS = 8;
const RANGE_SAMPLES = 1000;

/** Slider axes over the codes of held-out samples (`n` codes of `dim` values). */
function sliderAxes(codes: Float32Array, n: number, dim: number): AnalysisResultOf<'latent'>['axes'] {
  let kind: 'code' | 'pca';
  let origin: Float32Array<ArrayBuffer>;
  let basis: Float32Array<ArrayBuffer>;
  let positions: Float32Array;
  let k: number;
  if (dim <= MAX_DIRECT_SLIDERS) {
    kind = 'code';
    k = dim;
    origin = new Float32Array(dim);
    basis = new Float32Array(dim * dim);
    for (let j = 0; j < dim; j++) basis[j * dim + j] = 1;
    positions = codes;
  } else {
    kind = 'pca';
    const fit = fitPca(codes, n, dim, Math.min(PCA_SLIDERS, n - 1));
    k = fit.k;
    origin = fit.mean;
    basis = fit.components;
    positions = pcaProject(fit, codes, n);
  }
  const min = new Float32Array(k).fill(Infinity);
  const max = new Float32Array(k).fill(-Infinity);
  for (let i = 0; i < n * k; i++) {
    min[i % k] = Math.min(min[i % k], positions[i]);
    max[i % k] = Math.max(max[i % k], positions[i]);
  }
  return { kind, origin, basis, min, max };
}

/**
 * The run's decoder, or a refusal that says why it has none: a connection
 * around the bottleneck means a code alone cannot be decoded (spec.decoderAbsent).
 */
export function decoderOf(ctx: AnalysisContext, what: string): tf.LayersModel {
  if (ctx.model.decoder) return ctx.model.decoder;
  throw new DatasetError(`${what} needs the decoder alone, and this model has none: ${ctx.spec.decoderAbsent ?? 'connections go around the code'}`,
    'Its reconstructions and the autoencoder and encoder exports still work. To decode codes, route every branch through the Bottleneck (remove the connections the canvas marks as going around it) and train again.');
}

/** Decodes `count` codes into images. */
export function decodeCodes(ctx: AnalysisContext, codes: Float32Array, count: number): ImageRow {
  const decoder = decoderOf(ctx, 'Decoding codes');
  if (codes.length !== count * ctx.codeSize) throw new DatasetError(`${codes.length} code values are not ${count} codes of ${ctx.codeSize}`, 'This is a bug in the app: the explorer sent codes of the wrong size.');
  requireFinite(codes, ctx.codeSize, { what: 'The code to decode', unit: 'code' }, undefined, 'Decode codes of finite numbers: move the sliders back into their range.');
  return imageRow(predictAll(decoder, codes, count, ctx.spec.codeShape), count, ctx.sampleShape, ctx.range);
}

/** Runs the explorer's analysis. */
export function analyzeLatent(ctx: AnalysisContext, req: Request): AnalysisResultOf<'latent'> {
  decoderOf(ctx, 'The latent explorer'); // refuse before encoding anything
  const pool = heldOut(ctx, RANGE_SAMPLES);
  const n = pool.length;
  const dim = ctx.codeSize;
  const allCodes = predictAll(ctx.model.encoder, gatherSamples(ctx.data.values, ctx.size, pool), n, ctx.sampleShape, pool);
  const count = Math.min(req.count, n);
  if (req.from >= count || req.to >= count) throw new DatasetError(`Samples ${req.from} and ${req.to} are not among the ${count} shown`, `Pick two of samples 0 to ${count - 1}.`);
  const codes = allCodes.slice(0, count * dim);
  const path = new Float32Array(req.steps * dim);
  for (let s = 0; s < req.steps; s++) {
    const t = s / (req.steps - 1);
    for (let j = 0; j < dim; j++) path[s * dim + j] = (1 - t) * codes[req.from * dim + j] + t * codes[req.to * dim + j];
  }
  return {
    task: 'latent',
    codeShape: [...ctx.spec.codeShape],
    codeSize: dim,
    samples: imageRow(gatherSamples(ctx.data.values, ctx.size, pool.subarray(0, count)), count, ctx.sampleShape, ctx.range),
    labels: labelsAt(ctx.data, pool.subarray(0, count)),
    codes,
    axes: sliderAxes(allCodes, n, dim),
    from: req.from,
    to: req.to,
    interpolation: decodeCodes(ctx, path, req.steps),
  };
}
